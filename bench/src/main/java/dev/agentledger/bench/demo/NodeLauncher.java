package dev.agentledger.bench.demo;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts {@code agentledger node run --config FILE} as its own JVM: this
 * JVM's java binary, its module and access flags (the Vector API, FFM, Agrona need them; they are
 * the flags of {@code bin/lib/env.sh}) and compile commands, its class path (the node jar and its
 * libraries), a bounded heap touched at start, the flags of {@code AGENTLEDGER_NODE_JAVA_OPTS}
 * (validator JVMs only, e.g. a garbage collector or {@code -XX:StartFlightRecording} to compare or
 * profile them), and the CLI's main class. Launching java directly, rather than {@code
 * bin/agentledger}, means no validator ever triggers a rebuild while the demo runs.
 */
public final class NodeLauncher {
  /** Main class of the command line. */
  public static final String MAIN = "dev.agentledger.node.cli.AgentLedgerCli";

  private NodeLauncher() {}

  public static Path javaBinary(Path javaHome) {
    return javaHome.resolve("bin").resolve("java");
  }

  /**
   * JVM flags of this JVM worth passing on: module/access flags, the JIT's compile commands ({@code
   * AGENTLEDGER_JIT_FLAGS} of {@code bin/lib/env.sh}) and system properties; heap flags are set
   * here.
   */
  static List<String> inheritedFlags() {
    return inheritedFlags(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /** The flags of {@code args} (a JVM's input arguments) that {@link #nodeRun} passes on. */
  static List<String> inheritedFlags(List<String> args) {
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--add-modules")
          || a.startsWith("--enable-native-access")
          || a.startsWith("--add-exports")
          || a.startsWith("--add-opens")
          || a.startsWith("--sun-misc-unsafe-memory-access")
          || a.startsWith("-XX:CompileCommand=")
          || a.startsWith("-Dagentledger.")) {
        flags.add(a);
        if (!a.contains("=") && !a.startsWith("-D") && i + 1 < args.size()) {
          flags.add(args.get(++i));
        }
      }
    }
    return flags;
  }

  /** The environment variable whose flags go on every validator's {@code java} command line. */
  public static final String NODE_JAVA_OPTS = "AGENTLEDGER_NODE_JAVA_OPTS";

  /** The flags of {@code value} ({@link #NODE_JAVA_OPTS}), split at white space; none for null. */
  static List<String> nodeJavaOpts(String value) {
    return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
  }

  /** {@code java FLAGS -cp CP AgentLedgerCli node run --config CONFIG EXTRA...}. */
  public static List<String> nodeRun(Path config, String heap, List<String> extraArgs) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary(Path.of(System.getProperty("java.home"))).toString());
    command.addAll(inheritedFlags());
    if (!command.stream().anyMatch(f -> f.startsWith("--add-modules"))) {
      // Started outside bin/agentledger (tests): the flags of bin/lib/env.sh.
      command.addAll(
          List.of(
              "--add-modules",
              "jdk.incubator.vector",
              "--enable-native-access=ALL-UNNAMED",
              "--add-exports",
              "java.base/jdk.internal.misc=ALL-UNNAMED",
              "--add-opens",
              "java.base/java.nio=ALL-UNNAMED",
              "--sun-misc-unsafe-memory-access=allow"));
    }
    command.add("-Xms" + heap);
    command.add("-Xmx" + heap);
    // the whole heap is resident from the start, so a soak's RSS slope measures growth, not the
    // heap's first touch
    command.add("-XX:+AlwaysPreTouch");
    command.addAll(nodeJavaOpts(System.getenv(NODE_JAVA_OPTS)));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN);
    command.addAll(List.of("node", "run", "--config", config.toString()));
    command.addAll(extraArgs);
    return command;
  }
}
