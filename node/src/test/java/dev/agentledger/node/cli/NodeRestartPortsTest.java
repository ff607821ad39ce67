package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code node run} that returned has let go of everything it held in the process: each listen
 * port can be bound again at once, and a second {@code node run} on the same configuration (the
 * same ports and data directory, so the same RocksDB lock) starts and stops cleanly right after the
 * first.
 */
class NodeRestartPortsTest {
  @TempDir Path dir;

  /** The ports of the {@code *_listen} entries of {@code node.yaml}. */
  private static List<Integer> listenPorts(Path config) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (String line : Files.readAllLines(config)) {
      if (line.contains("_listen:")) {
        ports.add(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim()));
      }
    }
    return ports;
  }

  @Test
  void aReturnedNodeRunFreesItsPortsForAnImmediateRestart() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    List<Integer> ports = listenPorts(config);
    assertThat(ports).hasSizeGreaterThanOrEqualTo(3);
    String[] args = {
      "node",
      "run",
      "--config",
      config.toString(),
      "--jit-warmup-ms",
      "0",
      "--duration-s",
      "1",
      "--min-free-disk-mib",
      "0"
    };
    for (int run = 0; run < 2; run++) {
      DataPathCommandsTest.Result result = DataPathCommandsTest.run(args);
      assertThat(result.status()).as("run %d: %s", run, result.err()).isZero();
      assertThat(result.out()).contains("agentledger node: stopping");
      for (int port : ports) {
        // With SO_REUSEADDR (as the node binds), so only a listener still open fails this, not a
        // connection in TIME_WAIT.
        try (ServerSocket probe = new ServerSocket()) {
          probe.setReuseAddress(true);
          probe.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (java.io.IOException e) {
          throw new AssertionError("run " + run + ": port " + port + " still bound: " + e, e);
        }
      }
    }
  }
}
