package dev.agentledger.node.query;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.execution.LedgerHarness;
import dev.agentledger.node.json.JsonCasing;
import dev.agentledger.node.proof.ProofVerifier;
import dev.agentledger.node.query.http.QueryHttpServer;
import dev.agentledger.node.tx.AccountOpBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The query API over a real socket on loopback; every proof served is checked offline. */
class QueryHttpServerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LedgerHarness ledger = new LedgerHarness();
  private QueryHttpServer server;
  private HttpClient client;
  private String base;
  private byte[] first;
  private byte[] second;

  @BeforeEach
  void start() throws Exception {
    var c1 =
        ledger.commit(
            List.of(
                run(0).sign(AGENT),
                op(AccountOpBuilder.authorize(AGENT.publicKey(), true), 0).sign(OPERATOR)));
    first = c1.txIds().get(0);
    var c2 =
        ledger.commit(
            List.of(
                run(1).parentRun(first).payer(OPERATOR.publicKey()).sign(AGENT),
                run(0).sign(AGENT2),
                run(2).sign(AGENT)));
    second = c2.txIds().get(0);
    server =
        new QueryHttpServer(
            new QueryApi(ledger.proofs, LedgerHarness.COMMITTEE, ledger.events, ledger.metrics));
    InetSocketAddress address = server.start(new InetSocketAddress("127.0.0.1", 0));
    base = "http://127.0.0.1:" + address.getPort();
    client = HttpClient.newHttpClient();
  }

  @AfterEach
  void stop() {
    server.close();
    client.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path, int status) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private void assertProofValid(JsonNode proof) {
    ProofVerifier.Verdict verdict = ProofVerifier.verify(LedgerHarness.COMMITTEE, proof.toString());
    assertThat(verdict.valid()).as(verdict.message()).isTrue();
  }

  @Test
  void transactionsComeWithAnInclusionProof() throws Exception {
    JsonNode tx = json("/v1/transactions/" + HEX.formatHex(second), 200);
    assertThat(tx.get("commit").asLong()).isEqualTo(2);
    assertThat(tx.get("receipt").get("code").asText()).isEqualTo("OK");
    assertThat(tx.get("transaction").get("payer").asText())
        .isEqualTo(HEX.formatHex(OPERATOR.publicKey()));
    assertThat(tx.get("transaction").get("parentRun").asText()).isEqualTo(HEX.formatHex(first));
    assertProofValid(tx.get("proof"));
    assertProofValid(tx); // a whole answer: its proof member is what is checked
    JsonNode failed =
        json(
            "/v1/transactions/"
                + HEX.formatHex(ledger.store.commit(2).orElseThrow().txIds().get(1)),
            200);
    assertThat(failed.get("receipt").get("code").asText()).isEqualTo("INSUFFICIENT_BALANCE");
    assertProofValid(failed.get("proof"));
    json("/v1/transactions/" + "00".repeat(32), 404);
    json("/v1/transactions/xyz", 400);
  }

  @Test
  void usageAndBalancesComeWithStateProofs() throws Exception {
    JsonNode usage = json("/v1/usage/agent/" + HEX.formatHex(AGENT.publicKey()), 200);
    assertThat(usage.get("runs").asLong()).isEqualTo(3);
    assertThat(usage.get("inputTokens").asLong()).isEqualTo(30);
    assertThat(usage.get("outcomes").get("success").asLong()).isEqualTo(3);
    assertProofValid(usage.get("proof"));
    JsonNode payer = json("/v1/usage/payer/" + HEX.formatHex(OPERATOR.publicKey()), 200);
    assertThat(payer.get("runs").asLong()).isEqualTo(1);
    assertProofValid(payer.get("proof"));
    JsonNode task = json("/v1/usage/task/" + HEX.formatHex(task(1)), 200);
    assertProofValid(task.get("proof"));
    JsonNode account = json("/v1/accounts/" + HEX.formatHex(OPERATOR.publicKey()), 200);
    assertThat(account.get("roles").get(0).asText()).isEqualTo("operator");
    assertThat(account.get("balance").asLong()).isLessThan(1_000_000);
    assertProofValid(account.get("proof"));
    JsonNode absent = json("/v1/accounts/" + HEX.formatHex(STRANGER.publicKey()), 200);
    assertThat(absent.get("present").asBoolean()).isFalse();
    assertProofValid(absent.get("proof"));
    JsonNode auth =
        json(
            "/v1/authorizations/"
                + HEX.formatHex(OPERATOR.publicKey())
                + "/"
                + HEX.formatHex(AGENT.publicKey()),
            200);
    assertThat(auth.get("present").asBoolean()).isTrue();
    assertProofValid(auth.get("proof"));
    json("/v1/usage/planet/" + HEX.formatHex(AGENT.publicKey()), 400);
  }

  @Test
  void runsArePagedAndTheHistoryIsADag() throws Exception {
    String agent = HEX.formatHex(AGENT.publicKey());
    JsonNode page = json("/v1/agents/" + agent + "/runs?from=0&limit=2", 200);
    assertThat(page.get("total").asLong()).isEqualTo(3);
    assertThat(page.get("runs")).hasSize(2);
    assertThat(page.get("next").asLong()).isEqualTo(2);
    assertThat(page.get("runs").get(0).get("txId").asText()).isEqualTo(HEX.formatHex(first));
    for (JsonNode run : page.get("runs")) {
      assertProofValid(run.get("proof"));
    }
    JsonNode rest = json("/v1/agents/" + agent + "/runs?from=2&limit=2", 200);
    assertThat(rest.get("runs")).hasSize(1);
    assertThat(rest.get("next").isNull()).isTrue();
    JsonNode history = json("/v1/agents/" + agent + "/history", 200);
    assertThat(history.get("nodes")).hasSize(3);
    assertThat(history.get("edges")).hasSize(1);
    assertThat(history.get("edges").get(0).get("child").asText()).isEqualTo(HEX.formatHex(second));
    assertThat(history.get("edges").get(0).get("parent").asText()).isEqualTo(HEX.formatHex(first));
    json("/v1/agents/" + agent + "/runs?limit=x", 400);
  }

  @Test
  void commitsEventsAndMetrics() throws Exception {
    JsonNode latest = json("/v1/commits/latest", 200);
    assertThat(latest.get("sequence").asLong()).isEqualTo(2);
    assertThat(latest.get("certificate")).hasSize(4);
    JsonNode one = json("/v1/commits/1", 200);
    assertThat(latest.get("previous").asText()).isEqualTo(one.get("hash").asText());
    json("/v1/commits/9", 404);
    JsonNode page = json("/v1/commits?from=1&limit=5", 200);
    JsonCasing.assertCamelCase(page, java.util.Set.of());
    assertThat(page.get("latestCertified").isNumber()).isTrue();
    assertThat(page.get("commits")).hasSize(2);
    assertThat(page.get("commits").get(0).get("stateRoot").asText()).hasSize(64);
    assertThat(page.get("commits").get(0).get("txRoot").asText()).hasSize(64);
    JsonCasing.assertCamelCase(latest, java.util.Set.of());

    JsonNode events = json("/v1/events?from=2", 200);
    assertThat(events.get("events"))
        .extracting(e -> e.get("type").asText())
        .containsExactly("RUN_RECORDED", "PAYMENT_FAILED", "RUN_RECORDED");
    assertThat(json("/v1/events?from=1", 200).get("events")).hasSize(5);

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("# TYPE agentledger_execution_transactions_total counter")
        .contains("agentledger_execution_transactions_total{result=\"failed\"} 1")
        .contains("agentledger_execution_commits_total 2")
        .contains("agentledger_query_requests_total{route=\"metrics\",status=\"2xx\"}")
        .contains("agentledger_execution_commit_seconds_bucket{le=\"+Inf\"} 2")
        .doesNotContain(HEX.formatHex(AGENT.publicKey()));
    assertThat(json("/v1/committee", 200).get("validators")).hasSize(4);
    json("/nowhere", 404);
  }

  @Test
  void answersWaitForACertificate() throws Exception {
    var uncertified = ledger.commit(List.of(run(3).sign(AGENT)), 1); // 10 + 20 of 100
    json("/v1/transactions/" + HEX.formatHex(uncertified.txIds().get(0)), 503);
    // State answers use the latest certified commit: usage still shows three runs, provably.
    JsonNode usage = json("/v1/usage/agent/" + HEX.formatHex(AGENT.publicKey()), 200);
    assertThat(usage.get("runs").asLong()).isEqualTo(3);
    assertProofValid(usage.get("proof"));
  }

  /** Reads SSE events (id and data lines) from a live stream until {@code count} arrived. */
  private List<String[]> readEvents(String path, String lastEventId, int count) throws Exception {
    java.net.URL url = URI.create(base + path).toURL();
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) url.openConnection();
    c.setReadTimeout(20_000);
    if (lastEventId != null) {
      c.setRequestProperty("Last-Event-ID", lastEventId);
    }
    assertThat(c.getResponseCode()).isEqualTo(200);
    assertThat(c.getContentType()).startsWith("text/event-stream");
    List<String[]> events = new java.util.ArrayList<>();
    try (var in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                c.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String id = null;
      String line;
      while (events.size() < count && (line = in.readLine()) != null) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          events.add(new String[] {id, line.substring(6)});
        }
      }
    } finally {
      c.disconnect();
    }
    return events;
  }

  @Test
  void eventStreamReplaysThenDeliversLiveAndResumesFromLastEventId() throws Exception {
    List<dev.agentledger.node.execution.core.ExecutionEvent> all = ledger.events.read(1, 1000);
    assertThat(all).hasSizeGreaterThanOrEqualTo(3);
    // Replay of history in commit order, ids commit:index.
    List<String[]> replay = readEvents("/v1/events/stream?from=1", null, all.size());
    assertThat(replay).hasSize(all.size());
    for (int i = 0; i < all.size(); i++) {
      assertThat(replay.get(i)[0])
          .isEqualTo(all.get(i).commitSequence() + ":" + all.get(i).txIndex());
      assertThat(JSON.readTree(replay.get(i)[1]).get("txId").asText())
          .isEqualTo(HEX.formatHex(all.get(i).txId()));
    }
    // Resume after the first event: exactly the rest, nothing repeated.
    List<String[]> resumed = readEvents("/v1/events/stream", replay.getFirst()[0], all.size() - 1);
    assertThat(resumed)
        .extracting(e -> e[0])
        .containsExactlyElementsOf(
            replay.subList(1, replay.size()).stream().map(e -> e[0]).toList());
    // Live: a subscriber at the head receives the next commit's events as they are committed.
    java.util.concurrent.CompletableFuture<List<String[]>> live =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return readEvents("/v1/events/stream?from=3", null, 1);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(
        200); // usually the subscriber is live by now; if not, from=3 replays the commit: same
    // answer
    var c3 = ledger.commit(List.of(run(3).sign(AGENT)));
    assertThat(c3.record().sequence()).isEqualTo(3);
    List<String[]> got = live.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(got).hasSize(1);
    assertThat(got.getFirst()[0]).startsWith("3:");
    assertThat(get("/v1/events/stream?from=x").statusCode()).isEqualTo(400);
  }

  /** One raw HTTP/1.1 request (no client-side URI checks); returns the status line. */
  private static String rawStatusLine(int port, String target) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String reply =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      return reply.lines().findFirst().orElse("(empty reply)");
    }
  }

  @Test
  void malformedPercentEncodingGets400() throws Exception {
    int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    assertThat(rawStatusLine(port, "/v1/accounts/%zz")).isEqualTo("HTTP/1.1 400 Bad Request");
    assertThat(rawStatusLine(port, "/v1/events?from=%")).isEqualTo("HTTP/1.1 400 Bad Request");
    assertThat(rawStatusLine(port, "/v1/committee")).isEqualTo("HTTP/1.1 200 OK");
  }

  @Test
  void theMetricsPortServesOnlyMetrics() throws Exception {
    try (QueryHttpServer metrics =
        new QueryHttpServer(
            new QueryApi(ledger.proofs, LedgerHarness.COMMITTEE, ledger.events, ledger.metrics),
            true)) {
      int port = metrics.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
      assertThat(rawStatusLine(port, "/metrics")).isEqualTo("HTTP/1.1 200 OK");
      assertThat(rawStatusLine(port, "/v1/committee")).isEqualTo("HTTP/1.1 404 Not Found");
      assertThat(rawStatusLine(port, "/v1/transactions/" + "00".repeat(32)))
          .isEqualTo("HTTP/1.1 404 Not Found");
    }
  }

  @Test
  void aRequestThatNeverCompletesIsClosed() throws Exception {
    try (QueryHttpServer guarded =
            new QueryHttpServer(
                new QueryApi(ledger.proofs, LedgerHarness.COMMITTEE, ledger.events, ledger.metrics),
                false,
                new dev.agentledger.node.net.ConnectionLimits.Settings(8, 8, 60_000, 300));
        java.net.Socket socket = new java.net.Socket()) {
      int port = guarded.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write("GET /v1/comm".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(socket.getInputStream().read()).as("closed, no answer").isEqualTo(-1);
    }
  }
}
