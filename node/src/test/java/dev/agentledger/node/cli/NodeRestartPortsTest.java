package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /** The {@code *_listen} entries of {@code node.yaml}: key, then port. */
  private static Map<String, Integer> listenPorts(Path config) throws Exception {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String line : Files.readAllLines(config)) {
      if (line.contains("_listen:")) {
        ports.put(
            line.substring(0, line.indexOf(':')),
            Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim()));
      }
    }
    return ports;
  }

  @Test
  void aReturnedNodeRunFreesItsPortsForAnImmediateRestart() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    Map<String, Integer> ports = listenPorts(config);
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
      for (Map.Entry<String, Integer> listen : ports.entrySet()) {
        int port = listen.getValue();
        // With SO_REUSEADDR (as the node binds), so only a listener still open fails this, not a
        // connection in TIME_WAIT.
        try (ServerSocket probe = new ServerSocket()) {
          probe.setReuseAddress(true);
          probe.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (java.io.IOException e) {
          throw new AssertionError(
              "run " + run + ": " + listen.getKey() + " port " + port + " still bound: " + e, e);
        }
      }
    }
  }
}
