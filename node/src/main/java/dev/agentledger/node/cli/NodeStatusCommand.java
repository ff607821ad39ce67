package dev.agentledger.node.cli;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger node status}: the status JSON of a running validator, from its client port.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Print a running validator's status as one JSON line (transport, peers, mempool, batches, certificates).")
final class NodeStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final class Target {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "The node's configuration (its client_listen is used).")
    Path config;

    @Option(
        names = "--address",
        paramLabel = "HOST:PORT",
        description = "The node's client address.")
    String address;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @picocli.CommandLine.Mixin CaOption caOption = new CaOption();

  @Override
  public Integer call() throws Exception {
    HostPort address = resolve(target.config, target.address);
    dev.agentledger.node.net.tls.ClientTls tls =
        caOption.resolve(target.config == null ? List.of() : List.of(target.config));
    try (AgentLedgerClient client =
        AgentLedgerClient.connect(address.host(), address.port(), tls)) {
      spec.commandLine().getOut().println(client.status());
    }
    return 0;
  }

  static HostPort resolve(Path config, String address) throws MalformedInputException {
    try {
      if (config != null) {
        HostPort listen = NodeConfig.load(config).clientListen();
        String host =
            listen.host().equals("0.0.0.0") || listen.host().equals("::")
                ? "127.0.0.1"
                : listen.host();
        return new HostPort(host, listen.port());
      }
      return HostPort.parse(address);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new MalformedInputException(e.getMessage());
    }
  }
}
