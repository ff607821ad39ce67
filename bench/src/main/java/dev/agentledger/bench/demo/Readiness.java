package dev.agentledger.bench.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Ways to tell that a started node serves: its port accepts connections, or it wrote a ready file.
 */
public final class Readiness {
  private Readiness() {}

  /** True when a TCP connection to {@code host:port} succeeds within 200 ms. */
  public static BooleanSupplier tcp(String host, int port) {
    return () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 200);
        return true;
      } catch (IOException e) {
        return false;
      }
    };
  }

  /** True when {@code file} exists. */
  public static BooleanSupplier file(Path file) {
    return () -> Files.exists(file);
  }

  /**
   * Polls every probe until all are ready, a supervised child exits, or the timeout passes.
   *
   * @return null when all are ready, otherwise why not
   */
  public static String awaitAll(
      List<BooleanSupplier> probes, ProcessSupervisor supervisor, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ProcessSupervisor.Child> dead = supervisor.exited();
      if (!dead.isEmpty()) {
        ProcessSupervisor.Child child = dead.get(0);
        return child.name()
            + " exited with status "
            + child.process().exitValue()
            + " before it was ready (log: "
            + child.log()
            + ")";
      }
      if (probes.stream().allMatch(BooleanSupplier::getAsBoolean)) {
        return null;
      }
      if (System.nanoTime() > deadline) {
        return "not ready after " + timeout.toSeconds() + " s";
      }
      Thread.sleep(100);
    }
  }
}
