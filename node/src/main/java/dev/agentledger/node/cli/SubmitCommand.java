package dev.agentledger.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger submit}: signs runs and sends them to validators' client ports, either from a
 * JSONL file (one run per line, per-transaction status printed) or N synthetic runs at a rate
 * (summary printed). With {@code --wait-certified} it then waits until every target validator
 * reports the accepted transactions certified and prints the ingress-to-certified throughput.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Sign and submit agent runs to validators' client ports.",
      "--file F: one JSON object per line: nonce (required), key_file or seed (64 hex) unless --key is given,",
      "  optional task_id (32 hex), parent_run/model (64 hex), started_at/ended_at (unix ns; default now),",
      "  input_tokens, output_tokens, compute_ms, gpu_ms, peak_memory_bytes, outcome (SUCCESS|FAILURE|PARTIAL|CANCELLED),",
      "  priority (0..7), max_fee, shard_hint. Prints 'LINE TXID STATUS' per run.",
      "--generate N: N synthetic runs from --agents fresh random agents, paced at --rate tx/s (0: unpaced); prints a summary."
    })
final class SubmitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Client address of a validator; repeatable (frames go round-robin).")
  List<String> addresses = new ArrayList<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Node configuration(s): client address and, through its genesis, the chain id; repeatable.")
  List<Path> configs = new ArrayList<>();

  @Option(
      names = "--chain-id",
      paramLabel = "ID",
      description = "Chain id (default: from the first --config's genesis).")
  Long chainId;

  @Option(names = "--file", paramLabel = "FILE", description = "JSONL runs to sign and submit.")
  Path file;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "Agent key file for --file lines without key_file/seed.")
  Path key;

  @Option(names = "--generate", paramLabel = "N", description = "Generate N synthetic runs.")
  Integer generate;

  @Option(
      names = "--agents",
      defaultValue = "64",
      paramLabel = "A",
      description = "Distinct synthetic agents (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "TPS",
      description = "Offered load in tx/s, open loop (0: as fast as the window allows).")
  long rate;

  @Option(
      names = "--frame",
      defaultValue = "128",
      paramLabel = "N",
      description = "Runs per SUBMIT frame, 1..256 (default: ${DEFAULT-VALUE}).")
  int frame;

  @Option(
      names = "--window",
      defaultValue = "64",
      paramLabel = "N",
      description = "SUBMIT frames in flight per connection (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--wait-certified",
      description =
          "After sending, wait until every target reports the accepted runs certified; print throughput.")
  boolean waitCertified;

  @Option(
      names = "--wait-committed",
      description =
          "While sending, poll the first target for the commit of each run (TX_QUERY); print committed tx/s and submit-to-commit latency p50/p99.")
  boolean waitCommitted;

  @Option(
      names = "--timeout-s",
      defaultValue = "120",
      paramLabel = "S",
      description = "Give up waiting after S seconds (default: ${DEFAULT-VALUE}).")
  long timeoutS;

  private static final Pattern CERTIFIED = Pattern.compile("\"certified_txs\":(\\d+)");

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<HostPort> targets = targets();
    int chain = chain();
    if ((file == null) == (generate == null)) {
      throw new MalformedInputException("give exactly one of --file or --generate");
    }
    if (frame < 1 || frame > Wire.MAX_SUBMIT_RECORDS) {
      throw new MalformedInputException("--frame must be 1.." + Wire.MAX_SUBMIT_RECORDS);
    }
    List<byte[]> runs = file != null ? fromFile(chain) : synthetic(chain, generate);
    long[] baseline = waitCertified ? certified(targets) : null;
    List<TxStatus> statuses = new ArrayList<>(runs.size());
    for (int i = 0; i < runs.size(); i++) {
      statuses.add(null);
    }
    sentAtNs = new long[runs.size()];
    CommitWatcher watcher = waitCommitted ? new CommitWatcher(targets.getFirst(), runs) : null;
    long start = System.nanoTime();
    if (watcher != null) {
      watcher.thread.start();
    }
    send(targets, runs, statuses);
    long sentNs = System.nanoTime() - start;

    Map<TxStatus, Integer> counts = new EnumMap<>(TxStatus.class);
    for (TxStatus s : statuses) {
      counts.merge(s, 1, Integer::sum);
    }
    if (file != null) {
      AgentRunFlyweight run = new AgentRunFlyweight();
      for (int i = 0; i < runs.size(); i++) {
        run.wrap(new UnsafeBuffer(runs.get(i)), 0);
        out.println(
            (i + 1) + " " + HexFormat.of().formatHex(run.transactionId()) + " " + statuses.get(i));
      }
    }
    int accepted = counts.getOrDefault(TxStatus.ACCEPTED, 0);
    out.printf(
        Locale.ROOT,
        "submitted %d runs to %d validator(s) in %.3f s (%.0f tx/s): %s%n",
        runs.size(),
        targets.size(),
        sentNs / 1e9,
        runs.size() / (sentNs / 1e9),
        counts);
    if (watcher != null) {
      watcher.sendingDone(statuses);
      watcher.thread.join(TimeUnit.SECONDS.toMillis(timeoutS));
      watcher.stop = true;
      watcher.thread.join();
      if (watcher.failure != null) {
        throw watcher.failure;
      }
      long[] latencies = new long[accepted];
      int n = 0;
      long last = start;
      for (int i = 0; i < runs.size(); i++) {
        if (statuses.get(i) == TxStatus.ACCEPTED && watcher.committedAtNs[i] != 0) {
          latencies[n++] = watcher.committedAtNs[i] - sentAtNs[i];
          last = Math.max(last, watcher.committedAtNs[i]);
        }
      }
      java.util.Arrays.sort(latencies, 0, n);
      if (n < accepted) {
        out.printf(Locale.ROOT, "timed out: %d of %d accepted runs committed%n", n, accepted);
        out.flush();
        return 1;
      }
      out.printf(
          Locale.ROOT,
          "committed %d runs (seen on %s) %.3f s after the first send: %.0f tx/s; submit-to-commit latency p50 %.1f ms, p99 %.1f ms, max %.1f ms (poll every %d ms)%n",
          n,
          targets.getFirst(),
          (last - start) / 1e9,
          n / ((last - start) / 1e9),
          latencies[(int) (0.50 * (n - 1))] / 1e6,
          latencies[(int) (0.99 * (n - 1))] / 1e6,
          latencies[n - 1] / 1e6,
          CommitWatcher.POLL_MS);
    }
    if (waitCertified && accepted > 0) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
      while (true) {
        long[] now = certified(targets);
        boolean done = true;
        for (int i = 0; i < now.length; i++) {
          done &= now[i] - baseline[i] >= accepted;
        }
        if (done) {
          break;
        }
        if (System.nanoTime() > deadline) {
          out.println(
              "timed out waiting for certification: certified_txs "
                  + java.util.Arrays.toString(now));
          out.flush();
          return 1;
        }
        Thread.sleep(20);
      }
      long allNs = System.nanoTime() - start;
      out.printf(
          Locale.ROOT,
          "certified %d accepted runs on all %d validator(s) %.3f s after the first send: %.0f tx/s ingress-to-certified%n",
          accepted,
          targets.size(),
          allNs / 1e9,
          accepted / (allNs / 1e9));
    }
    out.flush();
    return accepted == runs.size() ? 0 : 1;
  }

  private List<HostPort> targets() {
    List<HostPort> list = new ArrayList<>();
    try {
      for (Path c : configs) {
        HostPort listen = NodeConfig.load(c).clientListen();
        String host =
            listen.host().equals("0.0.0.0") || listen.host().equals("::")
                ? "127.0.0.1"
                : listen.host();
        list.add(new HostPort(host, listen.port()));
      }
      for (String a : addresses) {
        list.add(HostPort.parse(a));
      }
    } catch (ConfigException | IllegalArgumentException e) {
      throw new MalformedInputException(e.getMessage());
    }
    if (list.isEmpty()) {
      throw new MalformedInputException("give at least one --address or --config");
    }
    return list;
  }

  private int chain() {
    if (chainId != null) {
      if (chainId < 0 || chainId > Genesis.MAX_CHAIN_ID) {
        throw new MalformedInputException("--chain-id must be 0.." + Genesis.MAX_CHAIN_ID);
      }
      return (int) (long) chainId;
    }
    if (configs.isEmpty()) {
      throw new MalformedInputException("give --chain-id or --config");
    }
    try {
      return (int) Genesis.load(NodeConfig.load(configs.get(0)).genesis()).chainId();
    } catch (ConfigException e) {
      throw new MalformedInputException(e.getMessage());
    }
  }

  private List<byte[]> synthetic(int chain, int n) {
    if (n < 1 || agents < 1) {
      throw new MalformedInputException("--generate and --agents must be positive");
    }
    SecureRandom random = new SecureRandom();
    Ed25519KeyPair[] keys = new Ed25519KeyPair[agents];
    for (int i = 0; i < agents; i++) {
      keys[i] = Ed25519.generate(random);
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    List<byte[]> runs = new ArrayList<>(n);
    byte[] task = new byte[16];
    for (int i = 0; i < n; i++) {
      random.nextBytes(task);
      runs.add(
          new AgentRunBuilder()
              .chainId(chain)
              .nonce(i / agents)
              .taskId(task)
              .startedAt(now - 2_000_000_000L)
              .endedAt(now)
              .inputTokens(1000 + i % 977)
              .outputTokens(200 + i % 101)
              .computeMs(1500)
              .priority(i % 4)
              .maxFee(1000)
              .sign(keys[i % agents]));
    }
    return runs;
  }

  private List<byte[]> fromFile(int chain) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Ed25519KeyPair defaultKey = key == null ? null : KeyFile.read(key);
    List<byte[]> runs = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = json.readTree(line);
          if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
          }
          runs.add(parseRun(node, chain, now, defaultKey));
        } catch (IOException | IllegalArgumentException e) {
          throw new MalformedInputException(
              file + " line " + number + ": " + AgentLedgerCli.oneLine(e.getMessage()));
        }
      }
    }
    if (runs.isEmpty()) {
      throw new MalformedInputException(file + " holds no runs");
    }
    return runs;
  }

  private static byte[] parseRun(JsonNode n, int chain, long now, Ed25519KeyPair defaultKey)
      throws IOException {
    Ed25519KeyPair signer;
    if (n.hasNonNull("seed")) {
      signer = Ed25519KeyPair.fromSeed(hex(n, "seed", 32));
    } else if (n.hasNonNull("key_file")) {
      signer = KeyFile.read(Path.of(n.get("key_file").asText()));
    } else if (defaultKey != null) {
      signer = defaultKey;
    } else {
      throw new IllegalArgumentException("no seed or key_file, and no --key");
    }
    if (!n.hasNonNull("nonce") || !n.get("nonce").canConvertToLong()) {
      throw new IllegalArgumentException("'nonce' (integer) is required");
    }
    AgentRunBuilder b =
        new AgentRunBuilder()
            .chainId(chain)
            .nonce(n.get("nonce").asLong())
            .startedAt(longField(n, "started_at", now - 1_000_000_000L))
            .endedAt(longField(n, "ended_at", now))
            .inputTokens(longField(n, "input_tokens", 0))
            .outputTokens(longField(n, "output_tokens", 0))
            .computeMs(longField(n, "compute_ms", 0))
            .gpuMs(longField(n, "gpu_ms", 0))
            .peakMemoryBytes(longField(n, "peak_memory_bytes", 0))
            .priority((int) longField(n, "priority", 0))
            .maxFee(longField(n, "max_fee", 0))
            .shardHint((int) longField(n, "shard_hint", 0));
    if (n.hasNonNull("task_id")) {
      b.taskId(hex(n, "task_id", 16));
    }
    if (n.hasNonNull("parent_run")) {
      b.parentRun(hex(n, "parent_run", 32));
    }
    if (n.hasNonNull("model")) {
      b.model(hex(n, "model", 32));
    }
    if (n.hasNonNull("outcome")) {
      b.outcome(RunOutcome.valueOf(n.get("outcome").asText().toUpperCase(Locale.ROOT)));
    }
    return b.sign(signer);
  }

  private static long longField(JsonNode n, String field, long fallback) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("'" + field + "' must be an integer");
    }
    return v.asLong();
  }

  private static byte[] hex(JsonNode n, String field, int bytes) {
    String text = n.get(field).asText();
    if (text.length() != 2 * bytes) {
      throw new IllegalArgumentException("'" + field + "' must be " + 2 * bytes + " hex digits");
    }
    return HexFormat.of().parseHex(text);
  }

  /**
   * Sends all runs over one pipelined connection per target. Runs are routed by agent key, so each
   * agent's nonces reach one validator in order (its mempool holds nonce gaps, it does not fill
   * them).
   */
  private void send(List<HostPort> targets, List<byte[]> runs, List<TxStatus> statuses)
      throws Exception {
    List<List<Integer>> routes = new ArrayList<>();
    for (int t = 0; t < targets.size(); t++) {
      routes.add(new ArrayList<>());
    }
    for (int i = 0; i < runs.size(); i++) {
      byte[] r = runs.get(i);
      int h =
          java.util.Arrays.hashCode(
              java.util.Arrays.copyOfRange(
                  r, AgentRunDescriptor.AGENT_OFFSET, AgentRunDescriptor.AGENT_OFFSET + 32));
      routes.get(Math.floorMod(h, targets.size())).add(i);
    }
    List<Thread> threads = new ArrayList<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start = System.nanoTime();
    double perTargetRate = rate > 0 ? (double) rate / targets.size() : 0;
    for (int t = 0; t < targets.size(); t++) {
      int target = t;
      Thread thread =
          Thread.ofPlatform()
              .name("submit-" + t)
              .start(
                  () -> {
                    try {
                      sendTo(
                          targets.get(target),
                          target,
                          routes.get(target),
                          runs,
                          statuses,
                          start,
                          perTargetRate);
                    } catch (Exception e) {
                      failure.compareAndSet(null, e);
                    }
                  });
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  private void sendTo(
      HostPort address,
      int target,
      List<Integer> mine,
      List<byte[]> runs,
      List<TxStatus> statuses,
      long start,
      double txPerSec)
      throws Exception {
    if (mine.isEmpty()) {
      return;
    }
    int frames = (mine.size() + frame - 1) / frame;
    try (AgentLedgerClient client = AgentLedgerClient.connect(address.host(), address.port())) {
      Semaphore inFlight = new Semaphore(Math.max(1, window));
      AtomicReference<Exception> readFailure = new AtomicReference<>();
      Thread reader =
          Thread.ofPlatform()
              .name("submit-reader-" + target)
              .start(
                  () -> {
                    try {
                      for (int f = 0; f < frames; f++) {
                        AgentLedgerClient.SubmitResult result = client.readResult();
                        for (int i = 0; i < result.statuses().size(); i++) {
                          statuses.set(mine.get(f * frame + i), result.statuses().get(i));
                        }
                        inFlight.release();
                      }
                    } catch (Exception e) {
                      readFailure.set(e);
                      inFlight.release(1 << 20);
                    }
                  });
      double perTxNs = txPerSec > 0 ? 1e9 / txPerSec : 0;
      List<byte[]> chunk = new ArrayList<>(frame);
      for (int f = 0; f < frames; f++) {
        int from = f * frame;
        int to = Math.min(mine.size(), from + frame);
        if (perTxNs > 0) {
          long wait = start + (long) (from * perTxNs) - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        inFlight.acquire();
        if (readFailure.get() != null) {
          break;
        }
        chunk.clear();
        long now = System.nanoTime();
        for (int i = from; i < to; i++) {
          chunk.add(runs.get(mine.get(i)));
          sentAtNs[mine.get(i)] = now;
        }
        client.send(chunk);
      }
      reader.join();
      if (readFailure.get() != null) {
        throw readFailure.get();
      }
    }
  }

  private long[] sentAtNs;

  /**
   * Polls one validator with TX_QUERY for the runs sent so far and notes when each is first seen
   * committed.
   */
  private static final class CommitWatcher implements Runnable {
    static final int POLL_MS = 5;
    final HostPort target;
    final byte[][] ids;
    final long[] committedAtNs;
    final Thread thread;
    volatile boolean stop;
    volatile List<TxStatus> finalStatuses;
    volatile Exception failure;

    CommitWatcher(HostPort target, List<byte[]> runs) {
      this.target = target;
      this.ids = new byte[runs.size()][];
      AgentRunFlyweight run = new AgentRunFlyweight();
      for (int i = 0; i < runs.size(); i++) {
        ids[i] = run.wrap(new UnsafeBuffer(runs.get(i)), 0).transactionId();
      }
      this.committedAtNs = new long[runs.size()];
      this.thread = Thread.ofPlatform().name("commit-watcher").unstarted(this);
    }

    void sendingDone(List<TxStatus> statuses) {
      finalStatuses = List.copyOf(statuses);
    }

    @Override
    public void run() {
      try (AgentLedgerClient client = AgentLedgerClient.connect(target.host(), target.port())) {
        int low = 0;
        while (!stop) {
          List<TxStatus> done = finalStatuses;
          List<Integer> ask = new ArrayList<>(256);
          boolean all = done != null;
          for (int i = low; i < ids.length && ask.size() < 4096; i++) {
            if (committedAtNs[i] != 0 || (done != null && done.get(i) != TxStatus.ACCEPTED)) {
              if (i == low) {
                low++;
              }
              continue;
            }
            all = false;
            ask.add(i);
          }
          if (all && low >= ids.length) {
            return;
          }
          for (int from = 0; from < ask.size(); from += 256) {
            List<Integer> part = ask.subList(from, Math.min(ask.size(), from + 256));
            List<byte[]> q = new ArrayList<>(part.size());
            part.forEach(i -> q.add(ids[i]));
            long[] at = client.committedIndexes(q);
            long now = System.nanoTime();
            for (int k = 0; k < at.length; k++) {
              if (at[k] >= 0) {
                committedAtNs[part.get(k)] = now;
              }
            }
          }
          Thread.sleep(POLL_MS);
        }
      } catch (Exception e) {
        failure = e;
      }
    }
  }

  private static long[] certified(List<HostPort> targets) throws IOException {
    long[] counts = new long[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      try (AgentLedgerClient client =
          AgentLedgerClient.connect(targets.get(i).host(), targets.get(i).port())) {
        Matcher m = CERTIFIED.matcher(client.status());
        counts[i] = m.find() ? Long.parseLong(m.group(1)) : 0;
      }
    }
    return counts;
  }
}
