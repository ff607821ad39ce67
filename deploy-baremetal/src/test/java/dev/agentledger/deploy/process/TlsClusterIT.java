package dev.agentledger.deploy.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.cli.AgentLedgerCli;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.node.net.tls.ClientTls;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 4-validator cluster of separate JVMs whose client and query ports serve TLS: {@code
 * cluster init --tls}, four {@code node run}, then {@code submit --ca} commits a run and reads its
 * receipt over HTTPS, while a plaintext client on a client port is refused and curl with the lab CA
 * reads the query port (the curl step is skipped when curl is not installed).
 */
class TlsClusterIT {
  private static final int N = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      p.waitFor();
    }
  }

  private record Cli(int status, String out, String err) {}

  private static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(System.in, new PrintWriter(out), new PrintWriter(err), args);
    return new Cli(status, out.toString(), err.toString());
  }

  @Test
  void submitWithTheLabCaCommitsARunOnATlsCluster() throws Exception {
    Path agentKey = dir.resolve("agent.key");
    Ed25519KeyPair agent = Ed25519.generate(new SecureRandom());
    KeyFile.write(agentKey, agent);
    Path out = dir.resolve("cluster");
    Cli init =
        cli(
            "cluster",
            "init",
            "--out",
            out.toString(),
            "--validators",
            "4",
            "--base-port",
            String.valueOf(freeBase()),
            "--agent",
            HexFormat.of().formatHex(agent.publicKey()),
            "--tls");
    assertThat(init.status()).as(init.err()).isZero();
    assertThat(init.out()).contains("tls: client and query ports serve TLS 1.3");
    Path ca = out.resolve("ca.pem");
    assertThat(ca).isRegularFile();

    List<String> submitArgs = new ArrayList<>(List.of("submit"));
    int[] clientPorts = new int[N];
    int[] queryPorts = new int[N];
    for (int i = 0; i < N; i++) {
      Path config = out.resolve("v" + i).resolve("node.yaml");
      NodeConfig node = NodeConfig.load(config);
      assertThat(node.tls()).isNotNull();
      assertThat(Files.getPosixFilePermissions(node.tls().key()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      clientPorts[i] = node.clientListen().port();
      queryPorts[i] = node.queryListen().port();
      submitArgs.addAll(List.of("--config", config.toString()));
      Process p =
          new ProcessBuilder(NodeProcesses.nodeRun(config))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("node" + i + ".log").toFile())
              .start();
      processes.add(p);
    }
    ClientTls tls = ClientTls.trusting(ca);
    for (int i = 0; i < N; i++) {
      awaitReady(i, clientPorts[i], tls);
    }

    // a plaintext client on a TLS client port gets no answer: the node closes it
    try (AgentLedgerClient plain = AgentLedgerClient.connect("127.0.0.1", clientPorts[0])) {
      assertThatThrownBy(plain::status).isInstanceOf(IOException.class);
    }

    Path runs = dir.resolve("runs.jsonl");
    Files.writeString(
        runs,
        "{\"nonce\": 0, \"input_tokens\": 1200, \"output_tokens\": 300, \"compute_ms\": 2500}\n");
    submitArgs.addAll(
        List.of("--ca", ca.toString(), "--key", agentKey.toString(), "--file", runs.toString()));
    Cli submit = cli(submitArgs.toArray(new String[0]));
    assertThat(submit.status()).as(submit.out() + submit.err()).isZero();
    assertThat(submit.out()).containsPattern("(?m)^receipt 1 [0-9a-f]{64} OK fee \\d+ commit \\d+");

    // the same, with the CA taken from node.yaml's tls section
    Files.writeString(
        runs, "{\"nonce\": 1, \"input_tokens\": 10, \"output_tokens\": 3, \"compute_ms\": 25}\n");
    submitArgs.subList(submitArgs.indexOf("--ca"), submitArgs.indexOf("--ca") + 2).clear();
    Cli fromConfig = cli(submitArgs.toArray(new String[0]));
    assertThat(fromConfig.status()).as(fromConfig.out() + fromConfig.err()).isZero();
    assertThat(fromConfig.out()).containsPattern("(?m)^receipt 1 [0-9a-f]{64} OK");

    // the HTTP API over HTTPS hands the run to ingress through the node's own TLS client port
    int chain =
        (int)
            dev.agentledger.node.config.Genesis.load(
                    NodeConfig.load(out.resolve("v0").resolve("node.yaml")).genesis())
                .chainId();
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[] run =
        new dev.agentledger.node.tx.AgentRunBuilder()
            .chainId(chain)
            .nonce(2)
            .startedAt(now - 1_000_000_000L)
            .endedAt(now)
            .inputTokens(5)
            .outputTokens(1)
            .computeMs(10)
            .maxFee(1_000_000)
            .sign(agent);
    try (java.net.http.HttpClient https =
        java.net.http.HttpClient.newBuilder().sslContext(tls.context()).build()) {
      java.net.http.HttpResponse<String> answer =
          https.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          "https://127.0.0.1:" + queryPorts[0] + "/v1/transactions"))
                  .header("content-type", "application/json")
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"hex\": \"" + HexFormat.of().formatHex(run) + "\"}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("\"txId\"").contains("ACCEPTED");
    }

    if (onPath("curl")) {
      Process curl =
          new ProcessBuilder(
                  "curl",
                  "-sS",
                  "--max-time",
                  "20",
                  "--cacert",
                  ca.toString(),
                  "https://localhost:"
                      + queryPorts[0]
                      + "/v1/accounts/"
                      + HexFormat.of().formatHex(agent.publicKey()))
              .redirectErrorStream(true)
              .start();
      String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(curl.waitFor()).as(body).isZero();
      assertThat(JSON.readTree(body).path("nextNonce").asText()).isIn("2", "3");
    }
  }

  private void awaitReady(int i, int port, ClientTls tls) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    String last = "no answer";
    while (System.currentTimeMillis() < deadline) {
      assertThat(processes.get(i).isAlive()).as("validator " + i + " exited: " + log(i)).isTrue();
      try (AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", port, tls)) {
        JsonNode status = JSON.readTree(c.status());
        last = status.toString();
        if (NodeProcesses.ready(status)) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("validator " + i + " not ready: " + last + "\n" + log(i));
  }

  private String log(int i) {
    try {
      return Files.readString(dir.resolve("node" + i + ".log"));
    } catch (IOException e) {
      return "no log: " + e;
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private static int freeBase() throws IOException {
    for (int base = 27000; base < 40000; base += 1000) {
      boolean free = true;
      for (int p = base; p < base + 400 && free; p += 100) {
        for (int q = p; q < p + N && free; q++) {
          try (ServerSocket s = new ServerSocket(q)) {
            s.setReuseAddress(true);
          } catch (IOException e) {
            free = false;
          }
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free port range");
  }
}
