package dev.agentledger.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.Validator;
import dev.agentledger.node.proof.ProofVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fetches {@code GET /v1/transactions/{id}} from a randomly chosen validator's query port and
 * verifies the answer's proof offline with {@link ProofVerifier} (certificate signatures by more
 * than two thirds of the stake, RFC 9162 inclusion paths). The committee comes from {@code GET
 * /v1/committee} of one node and is accepted only if it matches the genesis exactly (chain id,
 * every key and stake), so a node cannot vouch for itself. A proof counts as verified only when it
 * proves the very bytes that were submitted. While a commit is not yet certified the node answers
 * 503; the client retries (any node) until its deadline.
 */
public final class HttpProofClient implements ProofClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<InetSocketAddress> nodes;
  private final SplittableRandom random;
  private final Duration retryFor;
  private final Committee committee;

  /**
   * @param nodes the validators' query (HTTP) addresses
   * @param genesis the genesis the committee must match
   * @param retryFor how long to keep asking while a commit is not yet certified
   */
  public HttpProofClient(
      List<InetSocketAddress> nodes, Genesis genesis, Duration retryFor, long seed)
      throws IOException, InterruptedException {
    this.nodes = List.copyOf(nodes);
    if (this.nodes.isEmpty()) {
      throw new IllegalArgumentException("no query addresses");
    }
    this.random = new SplittableRandom(seed);
    this.retryFor = retryFor;
    InetSocketAddress from = this.nodes.get(random.nextInt(this.nodes.size()));
    HttpResponse<String> answer = get(from, "/v1/committee");
    if (answer.statusCode() != 200) {
      throw new IOException("GET /v1/committee on " + from + ": HTTP " + answer.statusCode());
    }
    this.committee = Committee.fromJson(answer.body());
    String mismatch = mismatch(committee, genesis);
    if (mismatch != null) {
      throw new IOException(
          "committee served by " + from + " does not match the genesis: " + mismatch);
    }
  }

  /**
   * Null when {@code committee} is exactly the genesis committee (order-insensitive), else the
   * difference.
   */
  static String mismatch(Committee committee, Genesis genesis) {
    if (Integer.toUnsignedLong(committee.chainId()) != genesis.chainId()) {
      return "chain "
          + Integer.toUnsignedString(committee.chainId())
          + " instead of "
          + genesis.chainId();
    }
    if (committee.validators().size() != genesis.committee().size()) {
      return committee.validators().size() + " validators instead of " + genesis.committee().size();
    }
    for (Validator v : genesis.committee()) {
      long stake = committee.stakeOf(v.publicKeyBytes());
      if (stake != v.stake()) {
        return "validator " + v.id() + " has stake " + stake + " instead of " + v.stake();
      }
    }
    return null;
  }

  public Committee committee() {
    return committee;
  }

  @Override
  public Check fetchAndVerify(byte[] transactionId, byte[] record) throws Exception {
    String path = "/v1/transactions/" + HEX.formatHex(transactionId);
    long deadline = System.nanoTime() + retryFor.toNanos();
    String last = "not asked";
    while (true) {
      InetSocketAddress node = nodes.get(random.nextInt(nodes.size()));
      HttpResponse<String> answer;
      try {
        answer = get(node, path);
      } catch (IOException e) {
        answer = null;
        last = node + ": " + e.getMessage();
      }
      if (answer != null && answer.statusCode() == 200) {
        return check(node, answer.body(), record);
      }
      if (answer != null) {
        last = node + ": HTTP " + answer.statusCode() + " " + oneLine(answer.body());
        if (answer.statusCode() != 503 && answer.statusCode() != 404) {
          return new Check(false, false, last);
        }
      }
      if (System.nanoTime() > deadline) {
        return new Check(
            false, false, "no proof within " + retryFor.toSeconds() + " s, last answer " + last);
      }
      Thread.sleep(100);
    }
  }

  private Check check(InetSocketAddress node, String body, byte[] record) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      return new Check(true, false, node + ": answer is not JSON: " + e.getMessage());
    }
    String proved = answer.path("proof").path("transaction").asText("");
    if (!proved.equalsIgnoreCase(HEX.formatHex(record))) {
      return new Check(
          true, false, node + ": the proof is about other bytes than the submitted record");
    }
    ProofVerifier.Verdict verdict;
    try {
      verdict = ProofVerifier.verify(committee, body);
    } catch (IllegalArgumentException e) {
      return new Check(true, false, node + ": malformed proof: " + e.getMessage());
    }
    return new Check(true, verdict.valid(), node + ": " + verdict.message());
  }

  private HttpResponse<String> get(InetSocketAddress node, String path)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://" + node.getHostString() + ":" + node.getPort() + path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String oneLine(String text) {
    String line = text.strip().replace('\n', ' ');
    return line.length() > 160 ? line.substring(0, 160) + "..." : line;
  }

  @Override
  public void close() {
    http.close();
  }
}
