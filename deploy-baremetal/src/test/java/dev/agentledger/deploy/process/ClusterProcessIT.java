package dev.agentledger.deploy.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.deploy.cluster.SystemdUnit;
import dev.agentledger.node.cli.AgentLedgerCli;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.NodeSetup;
import dev.agentledger.node.json.JsonCasing;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 4-validator cluster of separate JVMs on loopback: {@code cluster init}, four {@code node
 * run} processes, transactions through the client library, then one validator SIGKILLed and
 * restarted from its data directory. Checks that every validator commits every transaction at the
 * same commit index and that the chained commit digests agree at common indices (so the committed
 * prefixes are equal), before and after the crash.
 */
class ClusterProcessIT {
  private static final int N = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Process> PROCESSES = new ArrayList<>();

  @TempDir static Path dir;

  private final Process[] nodes = new Process[N];
  private final Path[] configs = new Path[N];
  private final int[] clientPorts = new int[N];
  private final int[] queryPorts = new int[N];
  private int chainId;

  @AfterAll
  static void killAll() {
    for (Process p : PROCESSES) {
      p.destroyForcibly();
    }
    for (Process p : PROCESSES) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void fourProcessesCommitTheSameSequenceAcrossACrash() throws Exception {
    try {
      runScenario();
    } finally {
      killAll();
    }
  }

  private void runScenario() throws Exception {
    Path out = dir.resolve("cluster");
    StringWriter initOut = new StringWriter();
    StringWriter initErr = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            System.in,
            new PrintWriter(initOut),
            new PrintWriter(initErr),
            "cluster",
            "init",
            "--out",
            out.toString(),
            "--validators",
            "4",
            "--base-port",
            String.valueOf(freeBase()),
            "--chain-id",
            "4242");
    assertThat(status).as(initErr.toString()).isZero();
    List<Path> found;
    try (Stream<Path> s = Files.walk(out, 2)) {
      found = s.filter(p -> p.getFileName().toString().equals("node.yaml")).sorted().toList();
    }
    assertThat(found).hasSize(N);
    for (Path p : found) {
      NodeSetup setup = NodeSetup.load(p);
      int index = indexOf(setup);
      configs[index] = p;
      clientPorts[index] = setup.config().clientListen().port();
      queryPorts[index] = setup.config().queryListen().port();
      chainId = (int) setup.genesis().chainId();
    }
    // Validator 0 alone: live, but not ready (its links reach 1 of 4 stake, no quorum).
    start(0);
    Http alone = awaitAnswer(0, "/health", 120_000);
    assertThat(alone.status()).as(alone.body()).isEqualTo(200);
    // The systemd unit's start check (ExecStartPost) passes against it.
    if (Files.isExecutable(Path.of("/usr/bin/curl"))) {
      Process check =
          new ProcessBuilder(
                  SystemdUnit.healthCheck(new HostPort("0.0.0.0", queryPorts[0])).split(" "))
              .redirectErrorStream(true)
              .start();
      assertThat(check.waitFor()).as("the unit's ExecStartPost health check").isZero();
    }
    Http lonely = get(0, "/ready");
    assertThat(lonely.status()).as(lonely.body()).isEqualTo(503);
    JsonNode links = JSON.readTree(lonely.body()).path("checks").path("links");
    assertThat(links.path("ok").asBoolean()).isFalse();
    assertThat(links.path("detail").asText()).startsWith("0 of 3 peer links up");
    for (int i = 1; i < N; i++) {
      start(i);
    }
    for (int i = 0; i < N; i++) {
      awaitReady(i, 120_000);
    }
    for (int i = 0; i < N; i++) {
      Http ready = awaitAnswer(i, "/ready", 60_000, 200);
      assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("ok");
    }

    // Phase 1: transactions to every validator; all commit them at the same indices.
    List<byte[]> ids1 = submit(600, new int[] {0, 1, 2, 3});
    long[] at1 = awaitCommitted(ids1, new int[] {0, 1, 2, 3}, 60_000);
    assertChainsAgree(new int[] {0, 1, 2, 3});
    // Every validator executed and certified them: each serves a proof that verify-proof accepts.
    for (int i = 0; i < N; i++) {
      assertProofVerifies(i, ids1.get(i * 97), at1[i * 97] + 1);
    }
    assertExecutionAgrees(new int[] {0, 1, 2, 3});
    assertMetrics(0);

    // Phase 2: SIGKILL validator 3, keep submitting to the other three.
    long before = committedIndex(status(3));
    nodes[3].destroyForcibly().waitFor();
    List<byte[]> ids2 = submit(600, new int[] {0, 1, 2});
    awaitCommitted(ids2, new int[] {0, 1, 2}, 60_000);
    // Three of four equal stakes are a quorum: validator 0 stays ready with a link down.
    Http withOneDown = awaitAnswer(0, "/ready", 60_000, 200);
    assertThat(
            JSON.readTree(withOneDown.body()).path("checks").path("links").path("detail").asText())
        .startsWith("2 of 3 peer links up");

    // Phase 3: restart it from its data directory; it catches up on both phases.
    start(3);
    awaitReady(3, 120_000);
    assertThat(committedIndex(status(3)))
        .as("restart keeps the committed prefix")
        .isGreaterThanOrEqualTo(before);
    long[] again = awaitCommitted(ids1, new int[] {0, 1, 2, 3}, 60_000);
    assertThat(again)
        .as("a restart never changes where a transaction was committed")
        .isEqualTo(at1);
    long[] at2 = awaitCommitted(ids2, new int[] {0, 1, 2, 3}, 60_000);
    assertChainsAgree(new int[] {0, 1, 2, 3});
    // The restarted validator re-executed its history and collected certificates for it again
    // (it asks its peers for their commit signatures): it serves verifiable proofs of both phases.
    assertProofVerifies(3, ids1.get(5), at1[5] + 1);
    assertProofVerifies(3, ids2.get(7), at2[7] + 1);
    assertExecutionAgrees(new int[] {0, 1, 2, 3});
  }

  private record Http(int status, String body) {}

  /** The first answer of {@code node} to {@code path} (its query port may not be bound yet). */
  private Http awaitAnswer(int node, String path, long timeoutMs) throws Exception {
    return awaitAnswer(node, path, timeoutMs, -1);
  }

  /** Polls {@code path} on {@code node} until it answers {@code status} (-1: any status). */
  private Http awaitAnswer(int node, String path, long timeoutMs, int status) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    String last = "no answer";
    while (System.currentTimeMillis() < deadline) {
      assertThat(nodes[node].isAlive())
          .as("validator " + node + " exited; log:\n" + log(node))
          .isTrue();
      try {
        Http answer = get(node, path);
        if (status < 0 || answer.status() == status) {
          return answer;
        }
        last = answer.status() + " " + answer.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("validator " + node + " " + path + ": " + last + "\n" + log(node));
  }

  private Http get(int node, String path) throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> r =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + queryPorts[node] + path))
                .timeout(java.time.Duration.ofSeconds(10))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    return new Http(r.statusCode(), r.body());
  }

  /**
   * Fetches a transaction with its proof from {@code node} (waiting for its certificate) and runs
   * verify-proof on it.
   */
  private void assertProofVerifies(int node, byte[] txId, long expectedSequence) throws Exception {
    String hex = java.util.HexFormat.of().formatHex(txId);
    long deadline = System.currentTimeMillis() + 60_000;
    Http answer;
    while (true) {
      answer = get(node, "/v1/transactions/" + hex);
      if (answer.status() == 200) {
        break;
      }
      assertThat(answer.status())
          .as("GET transaction from validator " + node + ": " + answer.body())
          .isIn(404, 503);
      assertThat(System.currentTimeMillis())
          .as(
              "validator "
                  + node
                  + " never served a certified proof of "
                  + hex
                  + ": "
                  + answer.body()
                  + "\n"
                  + get(node, "/status").body()
                  + "\n"
                  + log(node))
          .isLessThan(deadline);
      Thread.sleep(200);
    }
    JsonNode tx = JSON.readTree(answer.body());
    assertThat(tx.path("txId").asText()).isEqualTo(hex);
    assertThat(tx.path("commit").asLong())
        .as("ledger sequence = consensus index + 1")
        .isEqualTo(expectedSequence);
    assertThat(tx.path("receipt").path("code").asText()).isNotEmpty();
    Path proof = dir.resolve("proof-" + node + "-" + hex.substring(0, 8) + ".json");
    Files.writeString(proof, answer.body());
    Path committee = dir.resolve("committee-" + node + ".json");
    Files.writeString(committee, get(node, "/v1/committee").body());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        AgentLedgerCli.execute(
            System.in,
            new PrintWriter(out),
            new PrintWriter(err),
            "verify-proof",
            "--committee",
            committee.toString(),
            "--proof",
            proof.toString());
    assertThat(code).as("verify-proof of validator " + node + "'s proof: " + out + err).isZero();
    assertThat(out.toString()).startsWith("valid: ");
    // One changed byte in the served proof is refused.
    JsonNode parsed = JSON.readTree(answer.body());
    String sig = parsed.findValue("signature").asText();
    String flipped = (sig.charAt(0) == '0' ? '1' : '0') + sig.substring(1);
    Files.writeString(proof, answer.body().replace(sig, flipped));
    StringWriter out2 = new StringWriter();
    int code2 =
        AgentLedgerCli.execute(
            System.in,
            new PrintWriter(out2),
            new PrintWriter(new StringWriter()),
            "verify-proof",
            "--committee",
            committee.toString(),
            "--proof",
            proof.toString());
    assertThat(code2).as("a proof with a changed certificate signature: " + out2).isEqualTo(1);
  }

  /** The Prometheus endpoint carries every stage's counters, with values that reflect the run. */
  private void assertMetrics(int node) throws Exception {
    Http m = get(node, "/metrics");
    assertThat(m.status()).isEqualTo(200);
    Map<String, Double> values = new HashMap<>();
    for (String line : m.body().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        int space = line.lastIndexOf(' ');
        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    assertThat(values.get("agentledger_ingress_transactions_total{status=\"accepted\"}"))
        .isPositive();
    assertThat(values.get("agentledger_worker_transactions_total{stage=\"certified\"}"))
        .isPositive();
    assertThat(values.get("agentledger_consensus_committed_transactions_total"))
        .isGreaterThanOrEqualTo(600);
    assertThat(values.get("agentledger_execution_commits_total")).isPositive();
    assertThat(values.get("agentledger_execution_certificates_total")).isPositive();
    assertThat(values).containsKey("agentledger_mempool_transactions{state=\"pending\"}");
    assertThat(values.keySet()).noneMatch(k -> k.contains("agent=")); // no per-agent labels
    // The standard series: JVM and process, build info, one link gauge per peer.
    assertThat(values.get("agentledger_peers_connected")).isEqualTo(3.0);
    assertThat(values.get("agentledger_peer_connected{peer=\"1\"}")).isEqualTo(1.0);
    assertThat(values.keySet())
        .anyMatch(k -> k.startsWith("agentledger_build_info{version=\""))
        .contains("process_cpu_seconds_total", "process_open_fds", "jvm_threads_current")
        .contains("jvm_memory_used_bytes{area=\"heap\"}");
    assertThat(values.get("process_resident_memory_bytes")).isPositive();
    // The real promtool accepts the whole exposition (format and lint), where it is installed.
    Path promtool = Path.of("/usr/bin/promtool");
    if (Files.isExecutable(promtool)) {
      Path file = dir.resolve("metrics-" + node + ".txt");
      Files.writeString(file, m.body());
      Process check =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectInput(file.toFile())
              .redirectErrorStream(true)
              .start();
      String findings = new String(check.getInputStream().readAllBytes());
      assertThat(check.waitFor()).as(findings).isZero();
      assertThat(findings).as("promtool check metrics").isBlank();
    }
  }

  /** Every validator executed the same commits to the same hashes and state roots. */
  private void assertExecutionAgrees(int[] targets) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      long common = Long.MAX_VALUE;
      for (int t : targets) {
        common =
            Math.min(
                common, JSON.readTree(get(t, "/status").body()).path("executedSequence").asLong());
      }
      if (common >= 1) {
        long from = Math.max(1, common - 50);
        JsonNode page =
            JSON.readTree(
                get(targets[0], "/v1/commits?from=" + from + "&limit=" + (common - from + 1))
                    .body());
        JsonCasing.assertCamelCase(page, Set.of());
        JsonNode status = JSON.readTree(get(targets[0], "/status").body());
        JsonCasing.assertCamelCase(status, JsonCasing.STATUS_DATA_MAPS);
        assertThat(status.path("storage").path("dataDirFreeBytes").isNumber()).isTrue();
        assertThat(status.path("execution").path("divergentSignatures").asLong()).isZero();
        assertThat(status.path("feed").path("publishedSequence").isNumber()).isTrue();
        JsonNode reference = page.path("commits");
        assertThat(reference.size()).isEqualTo((int) (common - from + 1));
        for (int t : targets) {
          JsonNode mine =
              JSON.readTree(
                      get(t, "/v1/commits?from=" + from + "&limit=" + (common - from + 1)).body())
                  .path("commits");
          for (int k = 0; k < reference.size(); k++) {
            assertThat(mine.get(k).path("hash").asText())
                .as("commit " + (from + k) + " on validator " + t)
                .isEqualTo(reference.get(k).path("hash").asText());
            assertThat(mine.get(k).path("stateRoot").asText())
                .isEqualTo(reference.get(k).path("stateRoot").asText());
          }
        }
        return;
      }
      assertThat(System.currentTimeMillis())
          .as("no commit executed everywhere")
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static int indexOf(NodeSetup setup) {
    for (int i = 0; i < setup.genesis().committee().size(); i++) {
      if (setup.genesis().committee().get(i).id().equals(setup.self().id())) {
        return i;
      }
    }
    throw new AssertionError("validator not in its genesis");
  }

  private static int freeBase() throws IOException {
    SecureRandom r = new SecureRandom();
    for (int attempt = 0; attempt < 50; attempt++) {
      // below Linux's ephemeral range (32768+), where outgoing connections could take a port
      // between the probe and the bind
      int base = 10_000 + r.nextInt(22_000);
      boolean free = true;
      for (int p = base; p < base + 40 && free; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free port range");
  }

  private void start(int i) throws IOException {
    List<String> cmd = NodeProcesses.nodeRun(configs[i]);
    Path log = dir.resolve("node" + i + ".log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    nodes[i] = p;
    PROCESSES.add(p);
  }

  private JsonNode status(int i) throws IOException {
    try (AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", clientPorts[i])) {
      return JSON.readTree(c.status());
    }
  }

  private static long committedIndex(JsonNode status) {
    return status.path("consensus").path("committedIndex").asLong(-1);
  }

  private void awaitReady(int i, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    String last = "no answer";
    while (System.currentTimeMillis() < deadline) {
      assertThat(nodes[i].isAlive()).as("validator " + i + " exited; log:\n" + log(i)).isTrue();
      try {
        JsonNode s = status(i);
        last = s.toString();
        if (NodeProcesses.ready(s)) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "validator " + i + " not ready: " + last + "\n" + log(i) + "\n" + threadDump(nodes[i]));
  }

  private static String threadDump(Process p) {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  String.valueOf(p.pid()),
                  "Thread.print")
              .redirectErrorStream(true)
              .start();
      String s =
          new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      jcmd.waitFor();
      return s.length() > 6000 ? s.substring(0, 6000) : s;
    } catch (IOException | InterruptedException e) {
      return "no thread dump: " + e;
    }
  }

  private String log(int i) {
    try {
      String s = Files.readString(dir.resolve("node" + i + ".log"));
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return e.toString();
    }
  }

  private List<byte[]> submit(int count, int[] targets) throws IOException {
    SecureRandom random = new SecureRandom();
    Ed25519KeyPair[] agents = new Ed25519KeyPair[8];
    for (int a = 0; a < agents.length; a++) {
      agents[a] = Ed25519.generate(random);
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    List<byte[]> ids = new ArrayList<>();
    Map<Integer, List<byte[]>> perTarget = new HashMap<>();
    byte[] task = new byte[16];
    for (int i = 0; i < count; i++) {
      random.nextBytes(task);
      byte[] run =
          new AgentRunBuilder()
              .chainId(chainId)
              .nonce(i / agents.length)
              .taskId(task)
              .startedAt(now - 2_000_000_000L)
              .endedAt(now)
              .inputTokens(1000 + i)
              .outputTokens(200)
              .computeMs(1500)
              .maxFee(100_000_000L) // covers the fee: ingress refuses a run whose fee exceeds it
              .sign(agents[i % agents.length]);
      ids.add(new AgentRunFlyweight().wrap(new UnsafeBuffer(run), 0).transactionId());
      // An agent's runs go to one validator, so its nonces arrive in order there.
      perTarget
          .computeIfAbsent(targets[(i % agents.length) % targets.length], k -> new ArrayList<>())
          .add(run);
    }
    for (Map.Entry<Integer, List<byte[]>> e : perTarget.entrySet()) {
      try (AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", clientPorts[e.getKey()])) {
        List<byte[]> runs = e.getValue();
        for (int from = 0; from < runs.size(); from += 200) {
          List<TxStatus> statuses = c.submit(runs.subList(from, Math.min(runs.size(), from + 200)));
          assertThat(statuses)
              .as("submission to validator " + e.getKey())
              .containsOnly(TxStatus.ACCEPTED);
        }
      }
    }
    return ids;
  }

  /** Waits until every target committed every id; asserts they agree on the index; returns it. */
  private long[] awaitCommitted(List<byte[]> ids, int[] targets, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    long[][] seen = new long[N][];
    for (int t : targets) {
      while (true) {
        long[] at = committedAt(t, ids);
        if (Arrays.stream(at).allMatch(x -> x >= 0)) {
          seen[t] = at;
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          long missing = Arrays.stream(at).filter(x -> x < 0).count();
          throw new AssertionError(
              "validator "
                  + t
                  + " misses "
                  + missing
                  + " of "
                  + ids.size()
                  + " commits; status "
                  + status(t)
                  + "\n"
                  + log(t));
        }
        Thread.sleep(200);
      }
    }
    for (int t : targets) {
      assertThat(seen[t])
          .as("commit index of each transaction on validator " + t + " vs " + targets[0])
          .isEqualTo(seen[targets[0]]);
    }
    return seen[targets[0]];
  }

  private long[] committedAt(int i, List<byte[]> ids) throws IOException {
    long[] out = new long[ids.size()];
    try (AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", clientPorts[i])) {
      for (int from = 0; from < ids.size(); from += 256) {
        long[] part = c.committedIndexes(ids.subList(from, Math.min(ids.size(), from + 256)));
        System.arraycopy(part, 0, out, from, part.length);
      }
    }
    return out;
  }

  /**
   * The chained commit digests of all targets agree on at least one common index, and on every
   * common one.
   */
  private void assertChainsAgree(int[] targets) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      List<Map<Long, String>> windows = new ArrayList<>();
      for (int t : targets) {
        Map<Long, String> w = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                status(t).path("consensus").path("commitChain").properties().iterator();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          w.put(Long.parseLong(e.getKey()), e.getValue().asText());
        }
        windows.add(w);
      }
      int common = 0;
      for (Map.Entry<Long, String> e : windows.getFirst().entrySet()) {
        boolean everywhere = true;
        for (Map<Long, String> w : windows) {
          String v = w.get(e.getKey());
          if (v == null) {
            everywhere = false;
          } else {
            assertThat(v).as("chained digest of commit " + e.getKey()).isEqualTo(e.getValue());
          }
        }
        if (everywhere) {
          common++;
        }
      }
      if (common > 0) {
        return;
      }
      assertThat(System.currentTimeMillis())
          .as("no commit index common to all validators' status windows")
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
