package dev.agentledger.bench.demo;

import dev.agentledger.bench.soak.core.SoakAnalysis;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line that starts {@code agentledger node run --config FILE} as its own JVM: this
 * JVM's java binary, its module and access flags (the Vector API, FFM, Agrona need them; they are
 * the flags of {@code bin/lib/env.sh}) and compile commands, its class path (the node jar and its
 * libraries), a bounded heap touched at start, bounded direct memory, the JDK AOT cache of {@code
 * node run} when one was recorded for this build ({@link NodeAotCache}), the flags of {@code
 * AGENTLEDGER_NODE_JAVA_OPTS} (validator JVMs only, e.g. a garbage collector or {@code
 * -XX:StartFlightRecording} to compare or profile them), and the CLI's main class; its environment
 * caps glibc's malloc arenas ({@link #nodeEnvironment}). Launching java directly, rather than
 * {@code bin/agentledger}, means no validator ever triggers a rebuild while the demo runs.
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

  /** Environment variable that caps glibc's malloc arenas. */
  public static final String MALLOC_ARENA_MAX = "MALLOC_ARENA_MAX";

  /**
   * Environment added to a validator's: {@code MALLOC_ARENA_MAX=2} unless this process's
   * environment sets it. glibc otherwise gives each of up to 8 arenas per core to the threads that
   * allocate concurrently (RocksDB's flush and compaction threads, the JVM's), and freed memtable
   * blocks stay resident in each of them.
   */
  public static Map<String, String> nodeEnvironment() {
    return nodeEnvironment(System.getenv());
  }

  static Map<String, String> nodeEnvironment(Map<String, String> inherited) {
    return inherited.containsKey(MALLOC_ARENA_MAX) ? Map.of() : Map.of(MALLOC_ARENA_MAX, "2");
  }

  /** Largest per-thread temporary direct buffer the JDK's NIO keeps cached (bytes). */
  static final int MAX_CACHED_NIO_BUFFER = 256 * 1024;

  /**
   * The direct memory cap of a validator with heap {@code heap} ({@code -Xmx} syntax) in MiB: a
   * quarter of the heap, at least 256 MiB (the inbound rings and Netty's pooled buffers), plus half
   * the heap for the execution state's tree and newest values, which live in native memory that
   * counts against the same cap; 256 when the heap size is not understood.
   */
  static long maxDirectMib(String heap) {
    long heapMib = sizeMib(heap);
    return Math.max(256, heapMib / 4) + Math.max(0, heapMib / 2);
  }

  /** {@code 512m}, {@code 1g}, {@code 1048576k} or bytes in MiB; -1 when not such a size. */
  static long sizeMib(String size) {
    return (long) SoakAnalysis.sizeMib(size);
  }

  /** {@code java FLAGS -cp CP AgentLedgerCli node run --config CONFIG EXTRA...}. */
  public static List<String> nodeRun(Path config, String heap, List<String> extraArgs) {
    return nodeRun(config, heap, List.of(), extraArgs);
  }

  /**
   * {@code java FLAGS JVM_FLAGS -cp CP AgentLedgerCli node run --config CONFIG EXTRA...}: {@code
   * jvmFlags} (e.g. native memory tracking) go before {@link #NODE_JAVA_OPTS}'s.
   */
  public static List<String> nodeRun(
      Path config, String heap, List<String> jvmFlags, List<String> extraArgs) {
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
    // memory outside the heap has bounds too: direct buffers, and the JDK's per-thread cache of
    // temporary direct buffers (by default it keeps one as large as the largest heap buffer a
    // thread ever wrote to a channel)
    command.add("-XX:MaxDirectMemorySize=" + maxDirectMib(heap) + "m");
    command.add("-Djdk.nio.maxCachedBufferSize=" + MAX_CACHED_NIO_BUFFER);
    NodeAotCache aot = NodeAotCache.ofThisBuild();
    if (aot != null) {
      command.addAll(aot.useFlags());
    }
    command.addAll(jvmFlags);
    command.addAll(nodeJavaOpts(System.getenv(NODE_JAVA_OPTS)));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN);
    command.addAll(List.of("node", "run", "--config", config.toString()));
    command.addAll(extraArgs);
    return command;
  }
}
