package dev.agentledger.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.client.AgentLedgerClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Ways to tell that a started node serves: its port accepts connections, or it wrote a ready file.
 */
public final class Readiness {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Readiness() {}

  /**
   * A validator is ready when its client port answers STATUS and the node reports at least {@code
   * peers} peers connected, and its {@code GET /status} on the query port answers 200.
   */
  public static BooleanSupplier validator(
      InetSocketAddress client, InetSocketAddress query, int peers) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI status = URI.create("http://" + query.getHostString() + ":" + query.getPort() + "/status");
    return () -> {
      try (AgentLedgerClient c =
          AgentLedgerClient.connect(client.getHostString(), client.getPort())) {
        JsonNode json = JSON.readTree(c.status());
        int connected = 0;
        for (JsonNode peer : json.path("peers")) {
          connected += peer.path("connected").asBoolean() ? 1 : 0;
        }
        return connected >= peers && httpOk(http, status);
      } catch (IOException e) {
        return false;
      }
    };
  }

  /** Whether {@code GET uri} answers 200 within a second. */
  public static boolean httpOk(HttpClient http, URI uri) {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

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
