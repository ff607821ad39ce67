package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap too small for the node: {@code node run} in its own JVM with a heap that cannot hold a
 * full mempool is refused before anything starts, with the malformed-input exit code and one line
 * naming the flag and both sizes (the pool grows as load arrives, so without the check it would
 * fail only under load); its data directory opens afterwards with a heap that fits.
 */
class NodeStartHeapTest {
  @TempDir Path dir;
  private Process node;

  @AfterEach
  void stop() throws Exception {
    if (node != null && node.isAlive()) {
      node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private List<String> nodeRun(String heap, Path config) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "-Xmx" + heap,
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "--add-exports",
            "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-cp",
            System.getProperty("java.class.path"),
            AgentLedgerCli.class.getName(),
            "node",
            "run",
            "--config",
            config.toString(),
            "--jit-warmup-ms",
            "0",
            "--duration-s",
            "1"));
    return command;
  }

  @Test
  void aHeapTooSmallForAFullMempoolIsRefusedAtStartWithOneLine() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    Path log = dir.resolve("node.log");
    node =
        new ProcessBuilder(nodeRun("128m", config))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node stopped").isTrue();
    String output = Files.readString(log);
    assertThat(node.exitValue()).as(output).isEqualTo(AgentLedgerCli.EXIT_MALFORMED);
    assertThat(output.lines().filter(l -> l.contains("a full mempool")).count())
        .as(output)
        .isEqualTo(1);
    assertThat(output)
        .contains("--mempool-capacity")
        .contains("more than the heap (128 MiB)")
        .doesNotContain("OutOfMemoryError")
        .doesNotContain("Exception in thread")
        .doesNotContain("A fatal error has been detected");

    // with a heap it fits in, the same data directory opens and serves
    Path again = dir.resolve("again.log");
    node =
        new ProcessBuilder(nodeRun("512m", config))
            .redirectErrorStream(true)
            .redirectOutput(again.toFile())
            .start();
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node stopped").isTrue();
    String second = Files.readString(again);
    assertThat(node.exitValue()).as(second).isZero();
    assertThat(second).contains("agentledger node: validator");
  }
}
