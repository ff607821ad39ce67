package dev.agentledger.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.client.ClusterSubmitter;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.execution.core.FeeSchedule;
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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * reports the accepted transactions certified and prints the ingress-to-certified throughput. The
 * sending, the per-run statuses and {@code --wait-committed}'s commit polling go through {@link
 * ClusterSubmitter}, the same client-side path as {@code loadgen --target cluster}.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Sign and submit agent runs to validators' client ports.",
      "--file F: one JSON object per line: nonce (required), key_file or seed (64 hex) unless --key is given,",
      "  optional task_id (32 hex), parent_run/model (64 hex), started_at/ended_at (unix ns; default now),",
      "  input_tokens, output_tokens, compute_ms, gpu_ms, peak_memory_bytes, outcome (SUCCESS|FAILURE|PARTIAL|CANCELLED),",
      "  priority (0..7), max_fee (default: --max-fee, else the run's fee under the genesis fee schedule), shard_hint.",
      "  Prints 'LINE TXID STATUS' per run, then 'receipt LINE TXID CODE fee FEE commit SEQ' per committed run.",
      "--generate N: N synthetic runs from --agents fresh random agents, paced at --rate tx/s (0: unpaced); prints a summary.",
      "Unless --no-wait, waits for the commit of every accepted run and prints its receipt's execution code",
      "  (read from the query API of the first --config, or --query-address); the exit status does not depend on it."
    })
final class SubmitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin CaOption caOption = new CaOption();

  /** TLS to the client and query ports, or null: plaintext. */
  private dev.agentledger.node.net.tls.ClientTls tls;

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
      names = "--max-fee",
      paramLabel = "MICROS",
      description =
          "max_fee of every run without its own (default: the run's fee under the genesis fee schedule of the first --config, else under the cluster init schedule).")
  Long maxFee;

  @Option(
      names = "--no-wait",
      description =
          "Return once every run is answered ACCEPTED or rejected: do not wait for commits and receipts.")
  boolean noWait;

  @Option(
      names = "--query-address",
      paramLabel = "HOST:PORT",
      description =
          "Query API (HTTP) to read receipts from (default: query_listen of the first --config).")
  String queryAddress;

  @Option(
      names = "--timeout-s",
      defaultValue = "120",
      paramLabel = "S",
      description = "Give up waiting after S seconds (default: ${DEFAULT-VALUE}).")
  long timeoutS;

  private static final Pattern CERTIFIED = Pattern.compile("\"certifiedTxs\":(\\d+)");

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<HostPort> targets = targets();
    tls = caOption.resolve(configs);
    int chain = chain();
    if ((file == null) == (generate == null)) {
      throw new MalformedInputException("give exactly one of --file or --generate");
    }
    if (frame < 1 || frame > Wire.MAX_SUBMIT_RECORDS) {
      throw new MalformedInputException("--frame must be 1.." + Wire.MAX_SUBMIT_RECORDS);
    }
    if (maxFee != null && maxFee < 0) {
      throw new MalformedInputException("--max-fee must be >= 0");
    }
    FeeSchedule fees = feeSchedule();
    List<byte[]> runs = file != null ? fromFile(chain, fees) : synthetic(chain, generate, fees);
    HostPort query = queryTarget();
    long[] baseline = waitCertified ? certified(targets) : null;
    Tracker tracker = new Tracker(runs.size());
    int accepted;
    List<TxStatus> statuses;
    long start = System.nanoTime();
    try (ClusterSubmitter submitter =
        ClusterSubmitter.start(submitConfig(targets).withTls(tls), tracker)) {
      send(submitter, tracker, runs, start);
      long sentNs = System.nanoTime() - start;
      statuses = Arrays.asList(tracker.statuses);

      Map<TxStatus, Integer> counts = new EnumMap<>(TxStatus.class);
      for (TxStatus s : statuses) {
        counts.merge(s, 1, Integer::sum);
      }
      if (file != null) {
        AgentRunFlyweight run = new AgentRunFlyweight();
        for (int i = 0; i < runs.size(); i++) {
          run.wrap(new UnsafeBuffer(runs.get(i)), 0);
          out.println(
              (i + 1)
                  + " "
                  + HexFormat.of().formatHex(run.transactionId())
                  + " "
                  + statuses.get(i));
        }
      }
      accepted = counts.getOrDefault(TxStatus.ACCEPTED, 0);
      out.printf(
          Locale.ROOT,
          "submitted %d runs to %d validator(s) in %.3f s (%.0f tx/s): %s%n",
          runs.size(),
          targets.size(),
          sentNs / 1e9,
          runs.size() / (sentNs / 1e9),
          counts);
      if (waitCommitted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (tracker.committed.get() < accepted && System.nanoTime() < deadline) {
          rethrow(submitter.failure());
          Thread.sleep(1);
        }
        rethrow(submitter.failure());
        long[] latencies = new long[accepted];
        int n = 0;
        long last = start;
        for (int i = 0; i < runs.size(); i++) {
          long committedAt = tracker.committedAtNs.get(i);
          if (statuses.get(i) == TxStatus.ACCEPTED && committedAt != 0) {
            latencies[n++] = committedAt - tracker.sentAtNs[i];
            last = Math.max(last, committedAt);
          }
        }
        Arrays.sort(latencies, 0, n);
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
            POLL_MS);
      } else if (!noWait && accepted > 0) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (tracker.committed.get() < accepted && System.nanoTime() < deadline) {
          rethrow(submitter.failure());
          Thread.sleep(5);
        }
        rethrow(submitter.failure());
        if (tracker.committed.get() < accepted) {
          out.printf(
              Locale.ROOT,
              "timed out: %d of %d accepted runs committed within %d s%n",
              tracker.committed.get(),
              accepted,
              timeoutS);
          out.flush();
          return 1;
        }
      }
    }
    if (!noWait && accepted > 0) {
      printReceipts(out, runs, statuses, tracker, query);
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
          out.println("timed out waiting for certification: certifiedTxs " + Arrays.toString(now));
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

  private List<byte[]> synthetic(int chain, int n, FeeSchedule fees) {
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
              .maxFee(defaultMaxFee(fees, 1000 + i % 977, 200 + i % 101, 1500, 0))
              .sign(keys[i % agents]));
    }
    return runs;
  }

  private List<byte[]> fromFile(int chain, FeeSchedule fees) throws IOException {
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
          runs.add(parseRun(node, chain, now, defaultKey, fees));
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

  private byte[] parseRun(
      JsonNode n, int chain, long now, Ed25519KeyPair defaultKey, FeeSchedule fees)
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
    long inputTokens = longField(n, "input_tokens", 0);
    long outputTokens = longField(n, "output_tokens", 0);
    long computeMs = longField(n, "compute_ms", 0);
    long gpuMs = longField(n, "gpu_ms", 0);
    AgentRunBuilder b =
        new AgentRunBuilder()
            .chainId(chain)
            .nonce(n.get("nonce").asLong())
            .startedAt(longField(n, "started_at", now - 1_000_000_000L))
            .endedAt(longField(n, "ended_at", now))
            .inputTokens(inputTokens)
            .outputTokens(outputTokens)
            .computeMs(computeMs)
            .gpuMs(gpuMs)
            .peakMemoryBytes(longField(n, "peak_memory_bytes", 0))
            .priority((int) longField(n, "priority", 0))
            .maxFee(
                longField(
                    n, "max_fee", defaultMaxFee(fees, inputTokens, outputTokens, computeMs, gpuMs)))
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

  /**
   * {@code --max-fee}, else the fee this run costs under {@code fees} (the executor charges exactly
   * that, so the run is never refused for FEE_EXCEEDS_MAX_FEE); negative usage is left for the
   * builder to refuse.
   */
  private long defaultMaxFee(
      FeeSchedule fees, long inputTokens, long outputTokens, long computeMs, long gpuMs) {
    if (maxFee != null) {
      return maxFee;
    }
    if (inputTokens < 0 || outputTokens < 0 || computeMs < 0 || gpuMs < 0) {
      return 0;
    }
    long fee =
        fees.runFee(AgentRunDescriptor.ENCODED_LENGTH, inputTokens, outputTokens, computeMs, gpuMs);
    return fee == FeeSchedule.OVERFLOW ? Long.MAX_VALUE : fee;
  }

  /** The genesis fee schedule of the first --config, else the one cluster init writes. */
  private FeeSchedule feeSchedule() {
    if (configs.isEmpty()) {
      return FeeSchedule.defaults();
    }
    try {
      return dev.agentledger.node.config.ExecutionGenesisMapping.fees(
          Genesis.load(NodeConfig.load(configs.getFirst()).genesis()).fees());
    } catch (ConfigException e) {
      throw new MalformedInputException(e.getMessage());
    }
  }

  /** --query-address, else the query_listen of the first --config, else null. */
  private HostPort queryTarget() {
    try {
      if (queryAddress != null) {
        return HostPort.parse(queryAddress);
      }
      if (configs.isEmpty()) {
        return null;
      }
      HostPort listen = NodeConfig.load(configs.getFirst()).queryListen();
      String host =
          listen.host().equals("0.0.0.0") || listen.host().equals("::")
              ? "127.0.0.1"
              : listen.host();
      return new HostPort(host, listen.port());
    } catch (ConfigException | IllegalArgumentException e) {
      throw new MalformedInputException(e.getMessage());
    }
  }

  /**
   * Reads the receipt of every committed run from the query API and prints it: one line per run for
   * --file, a count per execution code for --generate. A query API that cannot be read is reported
   * in one line; it does not change the exit status.
   */
  private void printReceipts(
      PrintWriter out,
      List<byte[]> runs,
      List<TxStatus> statuses,
      Tracker tracker,
      HostPort query) {
    if (query == null) {
      out.println(
          "receipts: not read (give --config or --query-address to name a validator's query API)");
      return;
    }
    ReceiptReader reader = new ReceiptReader(query.host(), query.port(), tls);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
    AgentRunFlyweight run = new AgentRunFlyweight();
    Map<String, Integer> codes = new java.util.TreeMap<>();
    try {
      for (int i = 0; i < runs.size(); i++) {
        if (statuses.get(i) != TxStatus.ACCEPTED || tracker.committedAtNs.get(i) == 0) {
          continue;
        }
        run.wrap(new UnsafeBuffer(runs.get(i)), 0);
        byte[] txId = run.transactionId();
        ReceiptReader.Receipt receipt = reader.read(txId, deadline);
        codes.merge(receipt.code(), 1, Integer::sum);
        if (file != null) {
          out.println(
              "receipt "
                  + (i + 1)
                  + " "
                  + HexFormat.of().formatHex(txId)
                  + " "
                  + receipt.code()
                  + " fee "
                  + receipt.fee()
                  + " commit "
                  + receipt.commit());
        }
      }
    } catch (IOException e) {
      out.println(
          "receipts: not read from " + query + ": " + AgentLedgerCli.oneLine(e.getMessage()));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (file == null) {
      out.println("receipts: " + codes);
    }
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

  /** Commits are polled from the first target, every {@value} ms. */
  private static final int POLL_MS = 5;

  /**
   * One pipelined connection per target, {@code --frame} runs per SUBMIT, {@code --window} frames
   * in flight; with {@code --wait-committed} every connection asks the first target for commits. A
   * lost connection fails the command at once (no reconnecting: a one-shot submit reports it).
   */
  private ClusterSubmitter.Config submitConfig(List<HostPort> targets) {
    List<InetSocketAddress> addresses = new ArrayList<>(targets.size());
    for (HostPort t : targets) {
      addresses.add(InetSocketAddress.createUnresolved(t.host(), t.port()));
    }
    return ClusterSubmitter.Config.of(addresses)
        .withRingBytes(1 << 20)
        .withFrames(frame, Math.max(1, window))
        .withCommits(
            waitCommitted || !noWait,
            waitCommitted || !noWait ? addresses.getFirst() : null,
            TimeUnit.MILLISECONDS.toNanos(POLL_MS),
            Long.MAX_VALUE)
        .withReconnect(0);
  }

  /**
   * Offers every run to the submitter, paced at {@code --rate} when given, and waits for every
   * SUBMIT_RESULT. The submitter routes runs by agent key, so each agent's nonces reach one
   * validator in order (its mempool holds nonce gaps, it does not fill them).
   */
  private void send(ClusterSubmitter submitter, Tracker tracker, List<byte[]> runs, long start)
      throws Exception {
    double perTxNs = rate > 0 ? 1e9 / rate : 0;
    for (int i = 0; i < runs.size(); i++) {
      if (perTxNs > 0) {
        long wait = start + (long) (i * perTxNs) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      UnsafeBuffer run = new UnsafeBuffer(runs.get(i));
      while (!submitter.offer(run, 0, run.capacity(), i)) {
        rethrow(submitter.failure());
        Thread.sleep(1);
      }
    }
    while (tracker.answered.get() < runs.size()) {
      rethrow(submitter.failure());
      Thread.sleep(1);
    }
  }

  private static void rethrow(IOException failure) throws Exception {
    if (failure != null) {
      throw failure.getCause() instanceof Exception cause ? cause : failure;
    }
  }

  /** What the submitter reported, by run index. */
  private static final class Tracker implements ClusterSubmitter.Listener {
    final TxStatus[] statuses;
    final long[] sentAtNs;
    final AtomicLongArray committedAtNs;
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger committed = new AtomicInteger();

    Tracker(int runs) {
      statuses = new TxStatus[runs];
      sentAtNs = new long[runs];
      committedAtNs = new AtomicLongArray(runs);
    }

    @Override
    public void onSent(long sequence, long nowNs) {
      sentAtNs[(int) sequence] = nowNs;
    }

    @Override
    public void onAccepted(long sequence, long nowNs) {
      statuses[(int) sequence] = TxStatus.ACCEPTED;
      answered.incrementAndGet();
    }

    @Override
    public void onRejected(long sequence, TxStatus status, long nowNs) {
      statuses[(int) sequence] = status;
      answered.incrementAndGet();
    }

    @Override
    public void onCommitted(long sequence, long nowNs) {
      committedAtNs.set((int) sequence, nowNs);
      committed.incrementAndGet();
    }
  }

  private long[] certified(List<HostPort> targets) throws IOException {
    long[] counts = new long[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      try (AgentLedgerClient client =
          AgentLedgerClient.connect(targets.get(i).host(), targets.get(i).port(), tls)) {
        Matcher m = CERTIFIED.matcher(client.status());
        counts[i] = m.find() ? Long.parseLong(m.group(1)) : 0;
      }
    }
    return counts;
  }
}
