package dev.agentledger.deploy.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.agentledger.node.cli.AgentLedgerCli;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.config.ExecutionGenesisMapping;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.LoadAgents;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.gateway.AgentKeystore;
import dev.agentledger.node.gateway.LedgerAccounts;
import dev.agentledger.node.gateway.OtlpGateway;
import dev.agentledger.node.gateway.RunSink;
import dev.agentledger.node.gateway.SpanIngest;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.sig.Ed25519KeyPair;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway otlp} in front of a real 4-validator cluster of separate JVMs: GenAI spans sent as
 * OTLP/HTTP protobuf (built with opentelemetry-proto) and as OTLP/JSON by the unmodified
 * OpenTelemetry JavaScript SDK exporter become committed runs; the agents' usage on the ledger
 * shows exactly the spans' tokens, re-sent spans counted once; spans of agents without a key or not
 * registered are reported through partial success. The JS SDK exports for an agent registered after
 * genesis through ingress ({@code agentledger account register-agent}, then {@code transfer}).
 */
class OtlpGatewayIT {
  private static final int N = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Process> PROCESSES = new ArrayList<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;

  @AfterAll
  static void killAll() {
    for (Process p : PROCESSES) {
      p.destroyForcibly();
    }
  }

  @Test
  void genAiSpansBecomeCommittedRunsWithExactUsage() throws Exception {
    Path out = dir.resolve("cluster");
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            System.in,
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            "cluster",
            "init",
            "--out",
            out.toString(),
            "--validators",
            String.valueOf(N),
            "--base-port",
            String.valueOf(freeBase()),
            "--load-agents",
            "2");
    assertThat(status).as(err.toString()).isZero();
    List<InetSocketAddress> clients = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    Genesis genesis = null;
    for (int i = 0; i < N; i++) {
      Path config = out.resolve("v" + i).resolve("node.yaml");
      NodeConfig node = NodeConfig.load(config);
      clients.add(InetSocketAddress.createUnresolved("127.0.0.1", node.clientListen().port()));
      queries.add("127.0.0.1:" + node.queryListen().port());
      genesis = Genesis.load(node.genesis());
      start(config, i);
    }
    for (int i = 0; i < N; i++) {
      awaitReady(clients.get(i).getPort(), 180_000);
    }

    // The custodian's keystore: a registered agent, and one key the ledger does not know.
    LoadAgents load = LoadAgents.read(out.resolve(LoadAgents.FILE_NAME));
    // Account reads carry a state proof, so the query API answers them (and the gateway, which
    // reads each agent's next nonce) only once a commit is certified: until then the gateway
    // rightly answers 503 with Retry-After. An idle cluster certifies its first commit within a
    // few idle proposal delays.
    for (String query : queries) {
      awaitAccount(query, load.key(0).publicKey(), 180_000);
    }
    Path keystore = Files.createDirectory(dir.resolve("keys"));
    writeKey(keystore.resolve("agent-0.key"), load.key(0));
    byte[] strangerSeed = new byte[32];
    new SecureRandom().nextBytes(strangerSeed);
    writeKey(keystore.resolve("stranger.key"), Ed25519KeyPair.fromSeed(strangerSeed));

    try (RunSink sink = new RunSink(clients);
        OtlpGateway gateway =
            new OtlpGateway(
                new SpanIngest(
                    (int) genesis.chainId(),
                    ExecutionGenesisMapping.fees(genesis.fees()),
                    new AgentKeystore(keystore),
                    new LedgerAccounts(queries),
                    sink))) {
      InetSocketAddress bound = gateway.start(new InetSocketAddress("127.0.0.1", 0));
      URI traces = URI.create("http://127.0.0.1:" + bound.getPort() + "/v1/traces");

      // Protobuf: three runs of agent-0, one span of an agent without a key, one of an agent the
      // ledger does not know, and one plain HTTP span (not an agent run).
      byte[] body = export().toByteArray();
      ExportTraceServiceResponse first = post(traces, body);
      assertThat(first.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
      assertThat(first.getPartialSuccess().getErrorMessage())
          .contains("no key for agent 'ghost'")
          .contains("is not registered on the ledger");
      ExportTraceServiceResponse again = post(traces, body); // a re-send of the same spans
      assertThat(again.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
      assertThat(gateway.counts()[0]).isEqualTo(3); // accepted once
      assertThat(gateway.counts()[2]).isEqualTo(3); // recognised as re-sent
      assertThat(gateway.counts()[3]).isEqualTo(2); // not GenAI, twice

      JsonNode usage0 = awaitUsage(queries.get(0), load.key(0).publicKey(), 60, 180_000);
      assertThat(usage0.path("runs").asLong()).isEqualTo(3);
      assertThat(usage0.path("outputTokens").asLong()).isEqualTo(6);
      assertThat(usage0.path("outcomes").path("failure").asLong()).isEqualTo(1);

      // Malformed and unsupported requests get the specification's errors.
      assertThat(
              postRaw(traces, "application/x-protobuf", new byte[] {(byte) 0xff, 1}).statusCode())
          .isEqualTo(400);
      assertThat(postRaw(traces, "text/plain", new byte[] {1}).statusCode()).isEqualTo(415);

      // An agent registered after genesis, through ingress: the cluster's admin key registers it
      // and funds it with signed account operations (agentledger account), and the custodian's
      // keystore gets its key.
      byte[] lateSeed = new byte[32];
      new SecureRandom().nextBytes(lateSeed);
      Ed25519KeyPair late = Ed25519KeyPair.fromSeed(lateSeed);
      writeKey(keystore.resolve("agent-late.key"), late);
      String lateHex = HexFormat.of().formatHex(late.publicKey());
      String admin = out.resolve("admin.key").toString();
      String[] register = accountArgs(out, "register-agent", "--key", admin, "--agent", lateHex);
      StringWriter registered = new StringWriter();
      assertThat(cli(registered, register)).as(registered.toString()).isZero();
      assertThat(registered.toString())
          .containsPattern("receipt [0-9a-f]{64} OK fee [0-9]+ commit");
      StringWriter funded = new StringWriter();
      assertThat(
              cli(
                  funded,
                  accountArgs(
                      out, "transfer", "--key", admin, "--to", lateHex, "--amount", "1000000")))
          .as(funded.toString())
          .isZero();
      assertThat(funded.toString()).containsPattern("receipt [0-9a-f]{64} OK fee [0-9]+ commit");

      // The unmodified OpenTelemetry JavaScript SDK exporter (OTLP/HTTP JSON), exporting twice,
      // for the agent registered after genesis.
      Path js = npmInstall();
      Process node =
          new ProcessBuilder(
                  "node",
                  js.resolve("export-genai.mjs").toString(),
                  traces.toString(),
                  "agent-late")
              .directory(js.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(node.exitValue()).as(output).isZero();
      JsonNode sent = JSON.readTree(output.lines().reduce((a, b) -> b).orElseThrow());
      assertThat(sent.path("results").toString()).as(output).isEqualTo("[0,0]");
      JsonNode usage1 =
          awaitUsage(queries.get(1), late.publicKey(), sent.path("input_tokens").asLong(), 180_000);
      assertThat(usage1.path("outputTokens").asLong())
          .isEqualTo(sent.path("output_tokens").asLong());
      assertThat(usage1.path("runs").asLong()).isEqualTo(sent.path("spans").asLong());
      assertThat(gateway.counts()[2]).isEqualTo(3 + sent.path("spans").asLong());
    }
  }

  private static ExportTraceServiceRequest export() {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long t0 = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
    for (int i = 0; i < 3; i++) {
      scope.addSpans(
          span(i, t0 + i * 1_000_000_000L, "agent-0", 10L * (i + 1), i + 1, i == 2 ? 2 : 1));
    }
    scope.addSpans(span(10, t0, "ghost", 5, 5, 1));
    scope.addSpans(span(11, t0, "stranger", 5, 5, 1));
    scope.addSpans(
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(id(16, 20)))
            .setSpanId(ByteString.copyFrom(id(8, 20)))
            .setName("GET /health")
            .setStartTimeUnixNano(t0)
            .setEndTimeUnixNano(t0 + 1_000_000)
            .addAttributes(string("http.request.method", "GET")));
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  private static Span span(int n, long start, String agent, long in, long out, int status) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(id(16, 1)))
        .setSpanId(ByteString.copyFrom(id(8, n + 1)))
        .setName("chat")
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + 250_000_000L)
        .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder().setCodeValue(status))
        .addAttributes(string("gen_ai.operation.name", "chat"))
        .addAttributes(string("gen_ai.agent.id", agent))
        .addAttributes(string("gen_ai.request.model", "gpt-4o"))
        .addAttributes(integer("gen_ai.usage.input_tokens", in))
        .addAttributes(integer("gen_ai.usage.output_tokens", out))
        .build();
  }

  private static byte[] id(int length, int n) {
    byte[] id = new byte[length];
    id[length - 1] = (byte) n;
    id[0] = 0x5a;
    return id;
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private static ExportTraceServiceResponse post(URI traces, byte[] body) throws Exception {
    HttpResponse<byte[]> r = postRaw(traces, "application/x-protobuf", body);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return ExportTraceServiceResponse.parseFrom(r.body());
  }

  private static HttpResponse<byte[]> postRaw(URI traces, String type, byte[] body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(traces)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Polls an agent's usage until its input tokens reach {@code inputTokens}. */
  private static void awaitAccount(String query, byte[] key, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    String last = "no answer";
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://" + query + "/v1/accounts/" + HexFormat.of().formatHex(key)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return;
      }
      last = r.statusCode() + " " + r.body();
      Thread.sleep(250);
    }
    throw new AssertionError(query + " never answered an account read: " + last);
  }

  private static JsonNode awaitUsage(String query, byte[] agent, long inputTokens, long timeoutMs)
      throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    JsonNode last = null;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://" + query + "/v1/usage/agent/" + HexFormat.of().formatHex(agent)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        last = JSON.readTree(r.body());
        if (last.path("inputTokens").asLong() >= inputTokens) {
          assertThat(last.path("inputTokens").asLong()).isEqualTo(inputTokens);
          return last;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("usage never reached " + inputTokens + " input tokens: " + last);
  }

  private static Path npmInstall() throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "skipped: node and npm are needed for the JS SDK");
    Path js = Files.createDirectories(dir.resolve("otel-js"));
    for (String f : List.of("package.json", "package-lock.json", "export-genai.mjs")) {
      try (var in = OtlpGatewayIT.class.getResourceAsStream("/otel-js/" + f)) {
        Files.copy(in, js.resolve(f));
      }
    }
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(js.toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(npm.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(npm.exitValue()).as(log).isZero();
    return js;
  }

  private static boolean onPath(String tool) {
    try {
      return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** {@code agentledger account ARGS --config v0..v3/node.yaml}. */
  private static String[] accountArgs(Path cluster, String... args) {
    List<String> all = new ArrayList<>(List.of("account"));
    all.addAll(List.of(args));
    for (int i = 0; i < N; i++) {
      all.add("--config");
      all.add(cluster.resolve("v" + i).resolve("node.yaml").toString());
    }
    return all.toArray(String[]::new);
  }

  /** Runs the CLI in this JVM; its standard output and error go to {@code out}. */
  private static int cli(StringWriter out, String... args) {
    PrintWriter writer = new PrintWriter(out);
    int status = AgentLedgerCli.execute(System.in, writer, writer, args);
    writer.flush();
    return status;
  }

  private static void writeKey(Path file, Ed25519KeyPair key) throws IOException {
    KeyFile.write(file, key);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  private static void start(Path config, int i) throws IOException {
    List<String> cmd = NodeProcesses.nodeRun(config);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node" + i + ".log").toFile())
            .start();
    PROCESSES.add(p);
  }

  private static void awaitReady(int clientPort, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    String last = "no answer";
    while (System.currentTimeMillis() < deadline) {
      try (AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", clientPort)) {
        JsonNode s = JSON.readTree(c.status());
        last = s.toString();
        if (NodeProcesses.ready(s)) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("validator on client port " + clientPort + " not ready: " + last);
  }

  private static int freeBase() throws IOException {
    SecureRandom r = new SecureRandom();
    for (int attempt = 0; attempt < 50; attempt++) {
      // below Linux's ephemeral range (32768+), where outgoing connections could take a port
      // between the probe and the bind
      int base = 10_000 + r.nextInt(22_000);
      boolean free = true;
      for (int p = base; p < base + 400 && free; p += 100) {
        for (int k = 0; k < N && free; k++) {
          try (ServerSocket s = new ServerSocket(p + k)) {
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
