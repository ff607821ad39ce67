package dev.agentledger.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.deploy.preflight.Finding;
import dev.agentledger.deploy.preflight.Finding.Level;
import dev.agentledger.deploy.preflight.HostProbe;
import dev.agentledger.deploy.preflight.Preflight;
import dev.agentledger.deploy.preflight.SystemHostProbe;
import dev.agentledger.node.cli.AgentLedgerCli;
import dev.agentledger.node.cli.MalformedInputException;
import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.config.NodeSetup;
import dev.agentledger.node.config.SigBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger preflight [--config FILE] [--json]}: checks this host for a node and explains
 * each finding. Exit status 0 when nothing failed (warnings allowed), 1 when a check failed.
 */
@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    description = {
      "Check this host before running a node.",
      "Checks CPU features, kernel and io_uring, limits, huge pages, disk space and fsync latency,",
      "clock synchronisation, NIC speed, GPU and driver, OpenCL devices (and the node configuration).",
      "One line per finding: PASS/WARN/FAIL, what was found, what it enables, how to fix it. Exit 1 on any FAIL."
    })
final class PreflightCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Node configuration: checks it, its genesis and key, and uses its data_dir, backend, cpus and ports.")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory to check without --config (default: the current directory).")
  Path dataDir;

  @Option(
      names = "--backend",
      paramLabel = "B",
      description = "Signature backend to check for without --config: cpu, opencl or cuda.")
  String backend;

  @Option(
      names = "--packaged-archs",
      paramLabel = "LIST",
      split = ",",
      description = "CUDA architectures of the packaged kernels (default: sm_80,sm_90).")
  List<String> packagedArchs;

  @Option(
      names = "--fsync-samples",
      paramLabel = "N",
      defaultValue = "16",
      description =
          "write+fsync rounds measured in the data directory (default: ${DEFAULT-VALUE}).")
  int fsyncSamples;

  @Option(names = "--json", description = "Write the findings as one JSON document.")
  boolean json;

  @Option(
      names = "--java-opts",
      paramLabel = "OPTIONS",
      description =
          "JVM options the node runs with, checked for huge pages (default: the --unit's, else $AGENTLEDGER_JAVA_OPTS).")
  String javaOpts;

  @Option(
      names = "--heap",
      paramLabel = "SIZE",
      description =
          "Heap the node runs with, as -Xmx takes it (default: the --unit's, else $AGENTLEDGER_HEAP, else 4g).")
  String heap;

  @Option(
      names = "--unit",
      paramLabel = "FILE",
      description =
          "The node's systemd unit, whose AGENTLEDGER_JAVA_OPTS and AGENTLEDGER_HEAP are checked.")
  Path unit;

  /** {@code Environment=NAME=VALUE} of {@code unitText}, or null. */
  static String unitEnvironment(String unitText, String name) {
    String prefix = "Environment=" + name + "=";
    String value = null;
    for (String line : unitText.split("\n")) {
      if (line.startsWith(prefix)) {
        value = line.substring(prefix.length()).strip(); // the last assignment wins, as in systemd
      }
    }
    return value;
  }

  /** The host to probe; tests replace it. */
  HostProbe probe = new SystemHostProbe();

  @Override
  public Integer call() throws IOException {
    if (fsyncSamples < 1 || fsyncSamples > 10_000) {
      throw new MalformedInputException(
          "--fsync-samples: " + fsyncSamples + " is out of range (1..10000)");
    }
    String unitText = null;
    if (unit != null) {
      try {
        unitText = java.nio.file.Files.readString(unit);
      } catch (IOException e) {
        throw new MalformedInputException("--unit: cannot read " + unit + ": " + e.getMessage());
      }
    }
    String opts =
        firstNonNull(
            javaOpts,
            unitText == null ? null : unitEnvironment(unitText, "AGENTLEDGER_JAVA_OPTS"),
            unitText == null ? null : "",
            System.getenv("AGENTLEDGER_JAVA_OPTS"),
            "");
    long heapBytes =
        heapBytes(
            firstNonNull(
                heap,
                unitText == null ? null : unitEnvironment(unitText, "AGENTLEDGER_HEAP"),
                System.getenv("AGENTLEDGER_HEAP"),
                "4g"));
    List<Finding> configFindings = new ArrayList<>();
    Preflight.Options options =
        Preflight.Options.withoutConfig(dataDir != null ? dataDir : Path.of("").toAbsolutePath());
    SigBackend chosen = null;
    if (backend != null) {
      chosen = SigBackend.fromConfigName(backend);
      if (chosen == null) {
        throw new MalformedInputException(
            "--backend: '" + backend + "' is not one of cpu, opencl, cuda");
      }
    }
    options =
        new Preflight.Options(
            options.dataDir(),
            chosen,
            CpuList.empty(),
            List.of(),
            packagedArchs != null ? packagedArchs : Preflight.Options.defaultArchs(),
            fsyncSamples);
    if (config != null) {
      try {
        NodeConfig node = NodeConfig.load(config);
        options =
            new Preflight.Options(
                node.dataDir(),
                node.sigBackend(),
                node.cpus(),
                List.of(
                    node.peerListen(),
                    node.clientListen(),
                    node.queryListen(),
                    node.metricsListen()),
                options.packagedCudaArchs(),
                fsyncSamples);
        NodeSetup setup = NodeSetup.load(config);
        setup.key().destroy();
        configFindings.add(
            Finding.pass(
                "config",
                config
                    + ": validator "
                    + setup.self().id()
                    + " of "
                    + setup.genesis().committee().size()
                    + ", chain "
                    + setup.genesis().chainId()
                    + ", genesis sha256 "
                    + setup.genesis().digestHex().substring(0, 16)
                    + "...",
                "configuration, genesis and key agree"));
        String keyProblem = dev.agentledger.node.keys.KeyFile.permissionProblem(node.keyFile());
        configFindings.add(
            keyProblem == null
                ? Finding.pass(
                    "key.mode",
                    node.keyFile() + ": readable by its owner only",
                    "the validator key stays private")
                : Finding.fail(
                    "key.mode",
                    keyProblem,
                    "node run refuses a validator key that group or others can read",
                    "chmod 600 " + node.keyFile()));
      } catch (IOException e) {
        configFindings.add(
            Finding.fail(
                "config",
                AgentLedgerCli.oneLine(e.getMessage()),
                "the node refuses to start with this configuration",
                "fix the named field(s)"));
      }
    }
    List<Finding> findings = new ArrayList<>(configFindings);
    findings.addAll(Preflight.run(probe, options));
    findings.add(Preflight.jvmHugePages(probe, opts, heapBytes));
    Level worst = Preflight.worst(findings);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(toJson(findings, worst));
    } else {
      for (Finding finding : findings) {
        out.println(finding.line());
      }
      out.println(summary(findings, worst));
    }
    return worst == Level.FAIL ? AgentLedgerCli.EXIT_FAILURE : 0;
  }

  private static String firstNonNull(String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** A -Xmx size (4g, 512m, 1048576k, bytes) in bytes; a clear error for anything else. */
  static long heapBytes(String size) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([1-9][0-9]{0,12})([kKmMgG]?)").matcher(size.strip());
    if (!m.matches()) {
      throw new MalformedInputException("--heap: '" + size + "' is not a -Xmx size such as 4g");
    }
    long value = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
      case "k" -> value << 10;
      case "m" -> value << 20;
      case "g" -> value << 30;
      default -> value;
    };
  }

  static String summary(List<Finding> findings, Level worst) {
    long pass = findings.stream().filter(f -> f.level() == Level.PASS).count();
    long warn = findings.stream().filter(f -> f.level() == Level.WARN).count();
    long fail = findings.stream().filter(f -> f.level() == Level.FAIL).count();
    return "preflight: "
        + worst
        + " ("
        + pass
        + " pass, "
        + warn
        + " warn, "
        + fail
        + " fail)"
        + (worst == Level.FAIL ? ": do not start a node here until the FAIL lines are fixed" : "");
  }

  static String toJson(List<Finding> findings, Level worst) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("status", worst.name());
    for (Level level : Level.values()) {
      root.put(
          level.name().toLowerCase(java.util.Locale.ROOT),
          findings.stream().filter(f -> f.level() == level).count());
    }
    ArrayNode list = root.putArray("findings");
    for (Finding f : findings) {
      list.addObject()
          .put("level", f.level().name())
          .put("check", f.check())
          .put("detail", f.detail())
          .put("impact", f.impact())
          .put("fix", f.fix());
    }
    return mapper.writeValueAsString(root) + "\n";
  }
}
