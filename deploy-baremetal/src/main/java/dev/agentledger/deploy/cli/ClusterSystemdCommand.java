package dev.agentledger.deploy.cli;

import dev.agentledger.deploy.cluster.SystemdUnit;
import dev.agentledger.node.cli.MalformedInputException;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentledger cluster systemd --config node.yaml}: print the hardened unit of one node. */
@Command(
    name = "systemd",
    mixinStandardHelpOptions = true,
    description =
        "Print the systemd unit (or its tmpfiles.d / sysusers.d lines) for one node configuration.")
final class ClusterSystemdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The node configuration (node.yaml).")
  Path config;

  @Option(
      names = "--user",
      defaultValue = "agentledger",
      description = "Service user (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(
      names = "--huge-pages",
      defaultValue = "thp",
      paramLabel = "MODE",
      description =
          "Huge pages for the validator heap, via AGENTLEDGER_JAVA_OPTS in the unit: thp (transparent), reserved (vm.nr_hugepages) or off (default: ${DEFAULT-VALUE}).")
  String hugePages;

  @Option(
      names = "--install-dir",
      defaultValue = "/opt/agentledger",
      paramLabel = "DIR",
      description = "Appliance install directory (default: ${DEFAULT-VALUE}).")
  Path installDir;

  @Option(
      names = "--config-dir",
      defaultValue = "/etc/agentledger",
      paramLabel = "DIR",
      description = "Installed node directories (default: ${DEFAULT-VALUE}).")
  Path configDir;

  @Option(
      names = "--part",
      defaultValue = "unit",
      paramLabel = "PART",
      description = "unit, tmpfiles or sysusers (default: ${DEFAULT-VALUE}).")
  String part;

  @Override
  public Integer call() {
    NodeConfig node;
    try {
      node = NodeConfig.load(config);
    } catch (ConfigException e) {
      throw new MalformedInputException(e.getMessage());
    }
    String text;
    try {
      SystemdUnit.Options options =
          SystemdUnit.Options.defaults()
              .withUser(user)
              .withInstallDir(installDir)
              .withConfigDir(configDir);
      try {
        options = options.withHugePages(SystemdUnit.HugePages.parse(hugePages));
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException("--huge-pages: " + e.getMessage());
      }
      // A node directory holds its data dir relative to itself; on the host it lives under
      // config-dir/<id>.
      Path dataDir =
          node.dataDir().startsWith(config.toAbsolutePath().getParent())
              ? config.toAbsolutePath().getParent().relativize(node.dataDir())
              : node.dataDir();
      text =
          switch (part) {
            case "unit" ->
                SystemdUnit.render(
                    node.validatorId(),
                    node.name(),
                    dataDir,
                    node.sigBackend(),
                    node.cpus(),
                    node.queryListen(),
                    options);
            case "tmpfiles" -> SystemdUnit.tmpfiles(node.validatorId(), dataDir, options);
            case "sysusers" -> SystemdUnit.sysusers(options);
            default ->
                throw new MalformedInputException(
                    "--part: '" + part + "' is not unit, tmpfiles or sysusers");
          };
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(e.getMessage());
    }
    spec.commandLine().getOut().print(text);
    return 0;
  }
}
