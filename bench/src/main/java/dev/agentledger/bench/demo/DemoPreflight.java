package dev.agentledger.bench.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is written or started, what the demo needs from this machine: a JVM to
 * start the validators with, a writable data directory, and free loopback ports for every
 * validator's peer, client, query and metrics listeners. Every problem is named, so a refusal says
 * exactly what to fix; the demo never falls back to a simulation.
 */
public final class DemoPreflight {
  /** One port a validator will listen on. */
  public record Port(String owner, String role, int port) {}

  private DemoPreflight() {}

  /**
   * The ports {@code cluster init --base-port base} gives {@code validators} validators on one
   * host.
   */
  public static List<Port> ports(int validators, int base) {
    List<Port> ports = new ArrayList<>();
    String[] roles = {"peer", "client", "query", "metrics"};
    for (int i = 0; i < validators; i++) {
      for (int r = 0; r < roles.length; r++) {
        ports.add(new Port("v" + i, roles[r], base + 100 * r + i));
      }
    }
    return ports;
  }

  /** Problems that prevent the demo (empty when none). */
  public static List<String> problems(Path javaHome, Path dataDir, List<Port> ports) {
    List<String> problems = new ArrayList<>();
    Path java = NodeLauncher.javaBinary(javaHome);
    if (!Files.isExecutable(java)) {
      problems.add("no java executable at " + java + " to start the validators with");
    }
    try {
      Files.createDirectories(dataDir);
      Path probe = Files.createTempFile(dataDir, ".preflight", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      problems.add(
          "data directory "
              + dataDir
              + " is not writable ("
              + e.getMessage()
              + "); choose another with --data-dir");
    }
    for (Port port : ports) {
      if (port.port() < 1 || port.port() > 65_535) {
        problems.add(
            port.owner()
                + " "
                + port.role()
                + " port "
                + port.port()
                + " is not a port; choose another --base-port");
        continue;
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port.port()));
      } catch (IOException e) {
        problems.add(
            port.owner()
                + " "
                + port.role()
                + " port 127.0.0.1:"
                + port.port()
                + " is in use (another cluster or demo still running?); stop it or choose another --base-port");
      }
    }
    return problems;
  }
}
