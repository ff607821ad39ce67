package dev.agentledger.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Reads a committed transaction's receipt from a validator's query API ({@code GET
 * /v1/transactions/{txid}}): its execution code, fee and commit sequence. One keep-alive HTTP
 * client per reader; HTTPS when the query port serves TLS.
 */
final class ReceiptReader {
  /** A receipt as the query API reports it. */
  record Receipt(String code, long fee, long commit) {}

  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final String base;

  ReceiptReader(String host, int port) {
    this(host, port, null);
  }

  /** Over HTTPS trusting {@code tls} (null: plain HTTP). */
  ReceiptReader(String host, int port, dev.agentledger.node.net.tls.ClientTls tls) {
    this.http = http(tls);
    this.base = baseUri(host, port, tls);
  }

  /** An HTTP client that speaks HTTPS trusting {@code tls} (null: plain HTTP only). */
  static HttpClient http(dev.agentledger.node.net.tls.ClientTls tls) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.sslContext(tls.context());
    }
    return builder.build();
  }

  /** {@code http://host:port}, or {@code https://} with {@code tls}. */
  static String baseUri(String host, int port, dev.agentledger.node.net.tls.ClientTls tls) {
    return (tls != null ? "https://" : "http://")
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + port;
  }

  /**
   * Reads the receipt, asking again every {@link #NOT_CERTIFIED_RETRY_MS} ms while the API answers
   * 503: a transaction is reported committed as soon as its commit is executed, and its receipt is
   * served with the commit's certificate, which the validators sign a moment later.
   *
   * @param deadlineNanos the {@link System#nanoTime()} after which a 503 is no longer asked again
   * @throws IOException when the API cannot be reached, answers other than 200 or 503, or still
   *     answers 503 at the deadline
   */
  Receipt read(byte[] txId, long deadlineNanos) throws IOException, InterruptedException {
    while (true) {
      try {
        return read(txId);
      } catch (NotCertifiedYet e) {
        if (System.nanoTime() - deadlineNanos > 0) {
          throw e;
        }
        Thread.sleep(NOT_CERTIFIED_RETRY_MS);
      }
    }
  }

  /** Milliseconds between two reads of a receipt whose commit is not certified yet. */
  static final long NOT_CERTIFIED_RETRY_MS = 20;

  /** The API answered 503: the transaction's commit has no certificate yet. */
  static final class NotCertifiedYet extends IOException {
    NotCertifiedYet(String message) {
      super(message);
    }
  }

  /**
   * @throws IOException when the API cannot be reached, or answers other than 200 with a receipt
   *     ({@link NotCertifiedYet} for 503)
   */
  Receipt read(byte[] txId) throws IOException, InterruptedException {
    String id = HexFormat.of().formatHex(txId);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/transactions/" + id))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 503) {
      throw new NotCertifiedYet(
          "GET /v1/transactions/"
              + id
              + " answered 503: "
              + AgentLedgerCli.oneLine(response.body()));
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET /v1/transactions/" + id + " answered " + response.statusCode());
    }
    JsonNode body = json.readTree(response.body());
    JsonNode receipt = body.path("receipt");
    if (!receipt.path("code").isTextual()) {
      throw new IOException("GET /v1/transactions/" + id + ": no receipt code in the answer");
    }
    return new Receipt(
        receipt.get("code").asText(), receipt.path("fee").asLong(), body.path("commit").asLong());
  }
}
