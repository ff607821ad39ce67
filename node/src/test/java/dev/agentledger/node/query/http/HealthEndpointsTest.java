package dev.agentledger.node.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.execution.LedgerHarness;
import dev.agentledger.node.health.HealthReport;
import dev.agentledger.node.health.NodeHealth;
import dev.agentledger.node.query.QueryApi;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /health} and {@code /ready} over a real socket, on a query port and a metrics port. */
class HealthEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LedgerHarness ledger = new LedgerHarness();
  private final HttpClient client = HttpClient.newHttpClient();
  private QueryHttpServer server;
  private volatile boolean storageOk = true;
  private volatile boolean linksOk = false;

  private final NodeHealth health =
      new NodeHealth() {
        @Override
        public HealthReport liveness() {
          return new HealthReport().check("storage", storageOk, storageOk ? "writable" : "full");
        }

        @Override
        public HealthReport readiness() {
          return liveness().check("links", linksOk, linksOk ? "3 of 3" : "0 of 3");
        }
      };

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    client.close();
  }

  private String start(boolean metricsOnly) throws Exception {
    server =
        new QueryHttpServer(
                new QueryApi(ledger.proofs, LedgerHarness.COMMITTEE, ledger.events, ledger.metrics),
                metricsOnly)
            .health(health);
    InetSocketAddress address = server.start(new InetSocketAddress("127.0.0.1", 0));
    return "http://127.0.0.1:" + address.getPort();
  }

  private HttpResponse<String> send(String url, String method) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answers200Or503WithTheReportOnTheQueryPort() throws Exception {
    String base = start(false);
    HttpResponse<String> live = send(base + "/health", "GET");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(JSON.readTree(live.body()).path("status").asText()).isEqualTo("ok");

    HttpResponse<String> notReady = send(base + "/ready", "GET");
    assertThat(notReady.statusCode()).isEqualTo(503);
    JsonNode body = JSON.readTree(notReady.body());
    assertThat(body.path("status").asText()).isEqualTo("unavailable");
    assertThat(body.path("checks").path("links").path("ok").asBoolean()).isFalse();
    assertThat(body.path("checks").path("links").path("detail").asText()).isEqualTo("0 of 3");
    assertThat(body.path("checks").path("storage").path("ok").asBoolean()).isTrue();

    linksOk = true;
    assertThat(send(base + "/ready", "GET").statusCode()).isEqualTo(200);
    storageOk = false;
    assertThat(send(base + "/health", "GET").statusCode()).isEqualTo(503);
    assertThat(send(base + "/ready", "GET").statusCode()).isEqualTo(503);

    HttpResponse<String> head = send(base + "/health", "HEAD");
    assertThat(head.statusCode()).isEqualTo(503);
    assertThat(head.body()).isEmpty();
    HttpResponse<String> post = send(base + "/ready", "POST");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");

    // The rest of the API is still served behind the health handler, on the same connection.
    assertThat(send(base + "/v1/committee", "GET").statusCode()).isEqualTo(200);
    assertThat(send(base + "/health?verbose=1", "GET").statusCode()).isEqualTo(503);
  }

  @Test
  void aMetricsOnlyPortAnswersHealthAndReadinessToo() throws Exception {
    String base = start(true);
    linksOk = true;
    assertThat(send(base + "/health", "GET").statusCode()).isEqualTo(200);
    assertThat(send(base + "/ready", "GET").statusCode()).isEqualTo(200);
    assertThat(send(base + "/metrics", "GET").statusCode()).isEqualTo(200);
    assertThat(send(base + "/v1/committee", "GET").statusCode()).isEqualTo(404);
  }
}
