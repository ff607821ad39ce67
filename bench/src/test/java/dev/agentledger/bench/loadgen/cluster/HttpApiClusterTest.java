package dev.agentledger.bench.loadgen.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.api.OpenApi;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.AccountOpDescriptor;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/JSON API of a real 4-validator cluster, through the JDK's plain HTTP client: the admin
 * registers and funds an agent by posting JSON (fields plus a signature over the encoded signing
 * message, and the record as hex), the agent posts a run as base64, the receipts and the usage are
 * read back; bad requests get RFC 9457 problem details; {@code /openapi.json} as served validates
 * with {@code @apidevtools/swagger-parser} (skipped with a message without node and npm) and every
 * GET path it lists answers something other than 404.
 */
class HttpApiClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  private String base;

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String type, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode submit(String body) throws Exception {
    HttpResponse<String> r = post("/v1/transactions", "application/json", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).isEqualTo("application/json");
    return JSON.readTree(r.body());
  }

  /** Polls {@code GET /v1/transactions/{id}} until the receipt is there; its code. */
  private String receipt(String txId) throws Exception {
    for (int i = 0; i < 1200; i++) {
      HttpResponse<String> r = get("/v1/transactions/" + txId);
      if (r.statusCode() == 200) {
        return JSON.readTree(r.body()).path("receipt").path("code").asText();
      }
      assertThat(r.statusCode()).as(r.body()).isIn(404, 503);
      assertThat(r.headers().firstValue("content-type").orElse(""))
          .isEqualTo("application/problem+json");
      Thread.sleep(50);
    }
    throw new AssertionError(txId + " never committed");
  }

  private void assertProblem(HttpResponse<String> r, int status, String slug, String detail)
      throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type").orElse(""))
        .isEqualTo("application/problem+json");
    JsonNode p = JSON.readTree(r.body());
    assertThat(p.path("type").asText()).isEqualTo("urn:agentledger:problem:" + slug);
    assertThat(p.path("status").asInt()).isEqualTo(status);
    assertThat(p.path("title").asText()).isNotBlank();
    assertThat(p.path("detail").asText()).contains(detail);
  }

  @Test
  void registerFundAndRunOverHttpThenReadItBack() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir.resolve("c"), 4, 1)) {
      base = "http://127.0.0.1:" + cluster.queryAddress(0).getPort();
      Ed25519KeyPair admin = KeyFile.read(cluster.dir.resolve("admin.key"));
      String adminHex = HEX.formatHex(admin.publicKey());
      Ed25519KeyPair agent = Ed25519.generate(new SecureRandom());
      String agentHex = HEX.formatHex(agent.publicKey());
      int chain = 77;
      long opFee = FeeSchedule.defaults().opFee(AccountOpDescriptor.ENCODED_LENGTH);

      // 1. REGISTER_AGENT as fields: encode, sign the signing message, submit fields + signature
      ObjectNode fields =
          JSON.createObjectNode()
              .put("kind", "REGISTER_AGENT")
              .put("chainId", chain)
              .put("signer", adminHex)
              .put("nonce", 0)
              .put("target", agentHex)
              .put("maxFee", opFee);
      HttpResponse<String> encoded =
          post("/v1/transactions/encode", "application/json", fields.toString());
      assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
      JsonNode encoding = JSON.readTree(encoded.body());
      byte[] message = HEX.parseHex(encoding.path("signingMessage").asText());
      fields.put("signature", HEX.formatHex(admin.sign(message)));
      JsonNode registered = submit(fields.toString());
      assertThat(registered.path("accepted").asInt()).as(registered.toString()).isEqualTo(1);
      JsonNode first = registered.path("results").get(0);
      assertThat(first.path("status").asText()).isEqualTo("ACCEPTED");
      assertThat(receipt(first.path("txId").asText())).isEqualTo("OK");

      // 2. TRANSFER as the record in hex, plus a forged copy in the same request
      byte[] transfer =
          AccountOpBuilder.transfer(agent.publicKey(), 100_000)
              .chainId(chain)
              .nonce(1)
              .maxFee(opFee)
              .sign(admin);
      byte[] forged = transfer.clone();
      forged[AccountOpDescriptor.ARGUMENT_OFFSET] ^= 1;
      JsonNode transferred =
          submit(
              "{\"transactions\":[{\"hex\":\""
                  + HEX.formatHex(transfer)
                  + "\"},{\"hex\":\""
                  + HEX.formatHex(forged)
                  + "\"}]}");
      assertThat(transferred.path("results").get(0).path("status").asText()).isEqualTo("ACCEPTED");
      assertThat(transferred.path("results").get(1).path("status").asText())
          .isEqualTo("BAD_SIGNATURE");
      assertThat(transferred.path("rejected").asInt()).isEqualTo(1);
      assertThat(receipt(transferred.path("results").get(0).path("txId").asText())).isEqualTo("OK");

      // 3. a run of the new agent, base64
      long now = System.currentTimeMillis() * 1_000_000L;
      byte[] run =
          new AgentRunBuilder()
              .chainId(chain)
              .nonce(0)
              .startedAt(now - 2_000_000_000L)
              .endedAt(now)
              .inputTokens(1200)
              .outputTokens(300)
              .computeMs(2500)
              .maxFee(100_000)
              .sign(agent);
      JsonNode ran = submit("{\"base64\":\"" + Base64.getEncoder().encodeToString(run) + "\"}");
      String runId = ran.path("results").get(0).path("txId").asText();
      assertThat(receipt(runId)).isEqualTo("OK");
      JsonNode tx = JSON.readTree(get("/v1/transactions/" + runId).body());
      assertThat(tx.path("transaction").path("agent").asText()).isEqualTo(agentHex);
      JsonNode usage = null;
      for (int i = 0; i < 400; i++) {
        usage = JSON.readTree(get("/v1/usage/agent/" + agentHex).body());
        if (usage.path("runs").asLong() > 0) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(usage.path("inputTokens").asLong()).isEqualTo(1200);
      assertThat(usage.path("outputTokens").asLong()).isEqualTo(300);
      assertThat(JSON.readTree(get("/v1/accounts/" + agentHex).body()).path("roles").toString())
          .isEqualTo("[\"agent\"]");

      // 4. bad requests: problem details
      assertProblem(
          post("/v1/transactions", "application/json", "{not json"),
          400,
          "bad-transaction",
          "the body is not JSON");
      assertProblem(
          post("/v1/transactions", "application/json", "{\"kind\":\"RUN\",\"colour\":1}"),
          400,
          "bad-transaction",
          "unknown field \"colour\" for kind RUN");
      assertProblem(
          post("/v1/transactions", "application/json", "{\"hex\":\"0101\"}"),
          400,
          "bad-transaction",
          "got 2 bytes");
      fields.put("nonce", -1);
      assertProblem(
          post("/v1/transactions", "application/json", fields.toString()),
          400,
          "bad-transaction",
          "\"nonce\" must be 0..18446744073709551615, got -1");
      assertProblem(
          post("/v1/transactions", "text/plain", "{}"),
          415,
          "unsupported-media-type",
          "text/plain");
      HttpResponse<String> wrongMethod = get("/v1/transactions");
      assertProblem(wrongMethod, 405, "method-not-allowed", "POST only");
      assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
      assertProblem(get("/v1/accounts/zz"), 400, "bad-request", "lower-case hex");
      assertProblem(get("/v1/nothing"), 404, "not-found", "no such resource");

      // 5. the OpenAPI document as served
      HttpResponse<String> doc = get("/openapi.json");
      assertThat(doc.statusCode()).isEqualTo(200);
      assertThat(doc.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(OpenApi.document());
      JsonNode paths = JSON.readTree(doc.body()).path("paths");
      for (var names = paths.fieldNames(); names.hasNext(); ) {
        String path = names.next();
        if (!paths.path(path).has("get") || path.contains("stream") || path.equals("/v1/feed")) {
          continue;
        }
        String concrete =
            path.replace("{txId}", runId)
                .replace("{key}", agentHex)
                .replace("{scope}", "agent")
                .replace("{id}", agentHex)
                .replace("{payer}", adminHex)
                .replace("{agent}", agentHex)
                .replace("{sequence}", "latest");
        assertThat(get(concrete).statusCode()).as(concrete).isEqualTo(200);
      }
      validateWithSwaggerParser(doc.body());
    }
  }

  private void validateWithSwaggerParser(String document) throws Exception {
    if (!onPath("node") || !onPath("npm")) {
      System.out.println(
          "HttpApiClusterTest: swagger-parser validation skipped: node and npm are not on the PATH");
      return;
    }
    Path js = Files.createDirectories(dir.resolve("openapi-check"));
    for (String f : List.of("package.json", "package-lock.json", "validate.mjs")) {
      try (var in = HttpApiClusterTest.class.getResourceAsStream("/openapi-check/" + f)) {
        assertThat(in).as(f).isNotNull();
        Files.copy(in, js.resolve(f));
      }
    }
    run(js, "npm", "ci", "--no-audit", "--no-fund");
    Path served = Files.writeString(dir.resolve("openapi.json"), document);
    String out = run(js, "node", "validate.mjs", served.toString());
    JsonNode verdict = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(verdict.path("valid").asBoolean()).as(out).isTrue();
    assertThat(verdict.path("openapi").asText()).isEqualTo("3.1.0");
    // and it can fail: a document with a broken reference is refused
    Path broken =
        Files.writeString(
            dir.resolve("broken.json"), document.replace("#/components/schemas/Problem", "#/nope"));
    Process p =
        new ProcessBuilder("node", "validate.mjs", broken.toString())
            .directory(js.toFile())
            .redirectErrorStream(true)
            .start();
    String refused = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(refused).isEqualTo(1);
    assertThat(refused).contains("\"valid\":false");
  }

  private static String run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  private static boolean onPath(String tool) {
    try {
      return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
