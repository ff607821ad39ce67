package dev.agentledger.bench.loadgen.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.cli.AgentLedgerCli;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that the genesis does not know joins a running 4-validator cluster through ingress: the
 * admin key that {@code cluster init} writes registers it and funds it with {@code agentledger
 * account}, then a run signed by the new agent commits with receipt OK and its tokens show in
 * {@code GET /v1/usage/agent/{key}}. A signer without the operator or admin role gets a recorded
 * {@code NOT_REGISTRAR}.
 */
class AccountCommandClusterTest {
  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            args);
    return new Result(status, out.toString(), err.toString());
  }

  private static Result account(List<String> configs, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("account"));
    all.addAll(List.of(args));
    all.addAll(configs);
    return run(all.toArray(String[]::new));
  }

  @Test
  void anAgentRegisteredAfterGenesisRecordsARun() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir.resolve("c"), 4, 1)) {
      Path admin = cluster.dir.resolve("admin.key");
      Ed25519KeyPair agent = Ed25519.generate(new SecureRandom());
      Path agentKey = dir.resolve("agent.key");
      KeyFile.write(agentKey, agent);
      String agentHex = HexFormat.of().formatHex(agent.publicKey());
      String v0 = cluster.dir.resolve("v0").resolve("node.yaml").toString();
      List<String> all = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add("--config");
        all.add(cluster.dir.resolve("v" + i).resolve("node.yaml").toString());
      }

      // before registration the agent's run is ordered and recorded as NOT_AN_AGENT
      Path first = dir.resolve("first.jsonl");
      Files.writeString(first, "{\"nonce\": 0, \"input_tokens\": 5}\n");
      Result refused =
          run("submit", "--config", v0, "--key", agentKey.toString(), "--file", first.toString());
      assertThat(refused.out()).as(refused.out() + refused.err()).contains(" NOT_AN_AGENT fee 0");

      Result register =
          account(all, "register-agent", "--key", admin.toString(), "--agent", agentHex);
      assertThat(register.status()).as(register.out() + register.err()).isZero();
      List<String> lines = register.out().lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .matches("submitted REGISTER_AGENT ([0-9a-f]{64}) to 127\\.0\\.0\\.1:[0-9]+: ACCEPTED");
      assertThat(lines.get(1)).matches("receipt [0-9a-f]{64} OK fee 1160 commit [0-9]+");
      assertThat(lines.get(1).split(" ")[1]).isEqualTo(lines.get(0).split(" ")[2]);

      Result transfer =
          account(
              all, "transfer", "--key", admin.toString(), "--to", agentHex, "--amount", "100000");
      assertThat(transfer.status()).as(transfer.out() + transfer.err()).isZero();
      assertThat(transfer.out()).contains("submitted TRANSFER ").contains(" OK fee 1160 commit ");

      Path runs = dir.resolve("runs.jsonl");
      Files.writeString(
          runs,
          "{\"nonce\": 1, \"input_tokens\": 1200, \"output_tokens\": 300, \"compute_ms\": 2500}\n");
      Result submitted =
          run("submit", "--config", v0, "--key", agentKey.toString(), "--file", runs.toString());
      assertThat(submitted.status()).as(submitted.out() + submitted.err()).isZero();
      assertThat(submitted.out()).containsPattern("receipt 1 [0-9a-f]{64} OK fee [0-9]+ commit");

      JsonNode usage = // another validator answers the same
          get(cluster, 1, "/v1/usage/agent/" + agentHex, u -> u.path("runs").asLong() > 0);
      assertThat(usage.path("runs").asLong()).isEqualTo(1);
      assertThat(usage.path("inputTokens").asLong()).isEqualTo(1200);
      assertThat(usage.path("outputTokens").asLong()).isEqualTo(300);
      JsonNode account =
          get(
              cluster,
              3,
              "/v1/accounts/" + agentHex,
              a -> a.path("nextNonce").asText().equals("2"));
      assertThat(account.path("roles").toString()).isEqualTo("[\"agent\"]");
      assertThat(account.path("nextNonce").asText()).isEqualTo("2");

      // the agent holds neither operator nor admin: its registration is recorded as a failure,
      // and a failure after the nonce check pays the failure fee
      Result notRegistrar =
          account( // the agent's transactions all go to v0, in nonce order
              List.of("--config", v0),
              "register-agent",
              "--key",
              agentKey.toString(),
              "--agent",
              "11".repeat(32));
      assertThat(notRegistrar.status()).isEqualTo(1);
      assertThat(notRegistrar.out())
          .containsPattern("receipt [0-9a-f]{64} NOT_REGISTRAR fee [1-9][0-9]* commit");

      Result badKey =
          account(all, "grant", "--key", admin.toString(), "--account", "xyz", "--roles", "agent");
      assertThat(badKey.status()).isEqualTo(2);
      assertThat(badKey.err()).contains("--account must be 64 hex characters");
      Result badRole =
          account(
              all, "grant", "--key", admin.toString(), "--account", agentHex, "--roles", "boss");
      assertThat(badRole.status()).isEqualTo(2);
      assertThat(badRole.err()).contains("unknown role: boss");
    }
  }

  /** GET {@code path} on validator {@code node} until {@code ready} holds (it may lag a commit). */
  private static JsonNode get(
      InProcessCluster cluster, int node, String path, Predicate<JsonNode> ready) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + cluster.queryAddress(node).getPort() + path);
    HttpClient http = HttpClient.newHttpClient();
    JsonNode body = null;
    for (int attempt = 0; attempt < 400; attempt++) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        body = new ObjectMapper().readTree(response.body());
        if (ready.test(body)) {
          return body;
        }
      }
      Thread.sleep(50);
    }
    return body;
  }
}
