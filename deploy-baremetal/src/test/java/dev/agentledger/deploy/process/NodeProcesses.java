package dev.agentledger.deploy.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentledger.node.cli.AgentLedgerCli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the multi-process tests share: how a validator JVM is started and when it is ready. */
final class NodeProcesses {
  private NodeProcesses() {}

  /**
   * The command line of one {@code node run} JVM on this test's class path: the project's JVM
   * flags, a small serial-GC heap, NIO with one I/O thread (four validators share two cores).
   */
  static List<String> nodeRun(Path config) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String f : System.getProperty("agentledger.jvm.flags", "").trim().split("\\s+")) {
      if (!f.isEmpty()) {
        cmd.add(f);
      }
    }
    cmd.addAll(
        List.of(
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            AgentLedgerCli.class.getName(),
            "node",
            "run",
            "--config",
            config.toString(),
            "--transport",
            "nio",
            "--io-threads",
            "1",
            "--consensus-verify-threads",
            "1",
            // C1 only (above): the JIT never settles, so the warm-up is held to its old 4 s
            "--jit-warmup-ms",
            "4000"));
    return cmd;
  }

  /** A validator is ready when its status shows every peer connected and consensus running. */
  static boolean ready(JsonNode status) {
    boolean all = true;
    for (JsonNode peer : status.path("peers")) {
      all &= peer.path("connected").asBoolean();
    }
    return all && status.has("consensus");
  }
}
