package dev.agentledger.bench.loadgen.cluster;

import dev.agentledger.bench.loadgen.CompletionListener;
import dev.agentledger.bench.loadgen.LoadTarget;
import dev.agentledger.bench.loadgen.StageCost;
import dev.agentledger.bench.loadgen.TargetInfo;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.client.ClusterSubmitter;
import dev.agentledger.node.net.TxStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;

/**
 * The real cluster as a load target: pre-signed runs go to the validators' client ports through
 * {@link ClusterSubmitter} (the client-side submission path that {@code agentledger submit} uses
 * too). A transaction counts as committed only when its receipt arrives on the commit feed of the
 * first validator (a SUBSCRIBE to every receipt; the commit was ordered, executed and made durable
 * there), or, with {@link Config#feed} off, when the node it was sent to answers a {@code TX_QUERY}
 * with a commit index.
 *
 * <p>{@link #submit} (the generator's thread) offers the record to the submitter; when its
 * validator's ring is full the transaction is refused at once as {@code overload_client_queue} (the
 * generator never blocks: open loop). Every status other than {@code ACCEPTED} is a rejection by
 * reason ({@code overloaded}, {@code rate_limited} and {@code agent_limit} are load shedding and
 * carry the {@value LoadTarget#OVERLOAD_PREFIX} prefix). Refusals the submitter resubmits (load
 * shedding and {@code nonce_too_far}, see {@link ClusterSubmitter}) are reported as retries, not
 * rejections; only their final answer counts. Accepted transactions that never commit stay
 * outstanding; the load generator reports them as lost after its drain timeout.
 */
public final class ClusterTarget implements LoadTarget {
  /**
   * @param validators client addresses, one per validator
   * @param ringBytes capacity of each validator's submission ring (power of two)
   * @param pollIntervalNs least pause between two commit polls of one validator
   * @param maxQueryIdsPerSec most transaction ids asked per second per validator (a sweep over many
   *     pending ids is followed by a longer pause), so that polling does not load the nodes it
   *     measures
   * @param sigverifyBackend what verifies signatures in the nodes, for the report
   * @param stageCosts CPU costs the caller can measure (for example of the node processes); may
   *     return empty
   * @param feed commits from the commit feed (true, the default) or by TX_QUERY polls (false; the
   *     poll settings apply only then)
   */
  public record Config(
      List<InetSocketAddress> validators,
      int ringBytes,
      long pollIntervalNs,
      long maxQueryIdsPerSec,
      String sigverifyBackend,
      Supplier<List<StageCost>> stageCosts,
      boolean feed) {
    public Config {
      validators = List.copyOf(validators);
      if (validators.isEmpty()) {
        throw new IllegalArgumentException("at least one validator address");
      }
      if (Integer.bitCount(ringBytes) != 1 || ringBytes < 1 << 16) {
        throw new IllegalArgumentException("ringBytes must be a power of two >= 65536");
      }
      if (pollIntervalNs < 0 || maxQueryIdsPerSec < 1) {
        throw new IllegalArgumentException(
            "poll interval must be >= 0 and the query rate positive");
      }
    }

    public Config withPolling(long newPollIntervalNs, long newMaxQueryIdsPerSec) {
      return new Config(
          validators,
          ringBytes,
          newPollIntervalNs,
          newMaxQueryIdsPerSec,
          sigverifyBackend,
          stageCosts,
          feed);
    }

    /** Commits from the commit feed ({@code true}) or by TX_QUERY polls. */
    public Config withFeed(boolean newFeed) {
      return new Config(
          validators,
          ringBytes,
          pollIntervalNs,
          maxQueryIdsPerSec,
          sigverifyBackend,
          stageCosts,
          newFeed);
    }

    public Config withStageCosts(Supplier<List<StageCost>> newStageCosts) {
      return new Config(
          validators,
          ringBytes,
          pollIntervalNs,
          maxQueryIdsPerSec,
          sigverifyBackend,
          newStageCosts,
          feed);
    }

    public static Config of(List<InetSocketAddress> validators, String sigverifyBackend) {
      return new Config(
          validators,
          1 << 24,
          TimeUnit.MILLISECONDS.toNanos(10),
          10_000,
          sigverifyBackend,
          List::of,
          true);
    }
  }

  private static final String[] REASONS = new String[256];

  static {
    for (TxStatus status : TxStatus.values()) {
      REASONS[status.code()] =
          switch (status) {
            case OVERLOADED -> "overloaded";
            case RATE_LIMITED -> OVERLOAD_PREFIX + "_rate_limited";
            case AGENT_LIMIT -> OVERLOAD_PREFIX + "_agent_limit";
            default -> status.name().toLowerCase(java.util.Locale.ROOT);
          };
    }
  }

  /** The rejection reason reported for a status code (constant strings). */
  static String reason(TxStatus status) {
    return status == null ? "unknown_status" : REASONS[status.code()];
  }

  private final Config config;
  private final dev.agentledger.node.net.tls.ClientTls tls;
  private ClusterSubmitter submitter;
  private CompletionListener listener;
  private long settledExpired;

  public ClusterTarget(Config config) {
    this(config, null);
  }

  /** Over TLS client ports trusting {@code tls} (null: plaintext). */
  public ClusterTarget(Config config, dev.agentledger.node.net.tls.ClientTls tls) {
    this.config = config;
    this.tls = tls;
  }

  @Override
  public TargetInfo info() {
    return new TargetInfo(
        "cluster",
        config.validators().size()
            + " validator processes on "
            + config.validators().stream()
                .map(address -> address.getHostString() + ":" + address.getPort())
                .toList()
            + ": client ingress, Ed25519 verification, mempool, worker batches, DAG-BFT consensus (separate JVMs, RocksDB)",
        config.feed()
            ? "its receipt arrives on the commit feed of the first validator (SUBSCRIBE: ordered, executed,"
                + " durable there); latency is from the intended send time to the delivery on the feed"
            : "the validator the run was sent to reports a consensus commit index for its transaction id (TX_QUERY);"
                + " latency is from the intended send time to the poll that saw the commit",
        config.sigverifyBackend());
  }

  @Override
  public void start(CompletionListener completions) throws Exception {
    this.listener = completions;
    ClusterSubmitter.Config submit =
        ClusterSubmitter.Config.of(config.validators())
            .withRingBytes(config.ringBytes())
            .withCommits(true, null, config.pollIntervalNs(), config.maxQueryIdsPerSec())
            .withTls(tls);
    if (config.feed()) {
      submit = submit.withFeed(null);
    }
    try {
      submitter =
          ClusterSubmitter.start(
              submit,
              new ClusterSubmitter.Listener() {
                @Override
                public void onAccepted(long sequence, long nowNs) {
                  completions.onAccepted(sequence, nowNs);
                }

                @Override
                public void onRejected(long sequence, TxStatus status, long nowNs) {
                  completions.onRejected(sequence, reason(status), nowNs);
                }

                @Override
                public void onRetried(long sequence, TxStatus status, long nowNs) {
                  completions.onRetried(sequence, reason(status), nowNs);
                }

                @Override
                public void onCommitted(long sequence, long nowNs) {
                  completions.onCommitted(sequence, nowNs);
                }
              });
    } catch (IOException e) {
      throw new IOException("cannot connect to the cluster: " + e.getMessage(), e);
    }
  }

  @Override
  public void submit(
      DirectBuffer buffer, int offset, int length, long sequence, long intendedSendNs) {
    if (!submitter.offer(buffer, offset, length, sequence)) {
      listener.onRejected(sequence, OVERLOAD_PREFIX + "_client_queue", System.nanoTime());
    }
  }

  /**
   * Runs still being resubmitted are refused now with their last status; the accepted runs of their
   * agents after them can no longer be batched (their nonces follow a gap), and their validators
   * answer them as expired once held past {@link #settleNs}'s bound.
   */
  @Override
  public void stopRetrying() {
    submitter.stopRetrying();
  }

  /**
   * The validators' default held-transaction bound ({@code node run --held-expiry-ms}) plus 5 s for
   * the answer to be asked for.
   */
  @Override
  public long settleNs() {
    return TimeUnit.MILLISECONDS.toNanos(
        dev.agentledger.node.worker.ValidatorNode.AdmissionSettings.DEFAULT_HELD_EXPIRY_MS + 5_000);
  }

  /**
   * Asks each outstanding accepted run's validator ({@code TX_QUERY}) where the run is; the ones it
   * dropped (expired) are reported refused as {@code expired}.
   */
  @Override
  public String settle() {
    ClusterSubmitter.Settlement s = submitter.settle();
    settledExpired += s.expired();
    if (s.total() == 0 && settledExpired == 0) {
      return null;
    }
    return String.format(
        java.util.Locale.ROOT,
        "%,d accepted runs without a receipt at the last ask of their validator (TX_QUERY): %,d"
            + " expired there (refused; %,d over all asks), %,d executed there but not on the feed,"
            + " %,d ordered and not executed there, %,d not ordered (mempool or batches), %,d"
            + " unreachable",
        s.total(),
        s.expired(),
        settledExpired,
        s.executedNotOnFeed(),
        s.orderedNotExecuted(),
        s.notOrdered(),
        s.unreachable());
  }

  /**
   * Names the first {@code max} accepted runs still without their commit ({@link
   * RunRecorder#lostSequences}), one line each: run number, transaction id, agent, nonce, the
   * validator it was sent to (its agent's, {@link ClusterSubmitter#validatorOf}) and where that
   * validator holds it ({@code TX_WHERE}), then the same for the agent's neighbouring nonces (up to
   * {@value #NEIGHBOURS} either side) with their fates here. A validator that cannot be asked is
   * said so. Call after the run, while the validators still run.
   */
  public List<String> describeLost(
      dev.agentledger.bench.loadgen.PresignedPool pool,
      dev.agentledger.bench.loadgen.RunRecorder recorder,
      int max) {
    List<Long> lost = recorder.lostSequences();
    return describeLost(pool, recorder, lost.subList(0, Math.min(max, lost.size())));
  }

  /**
   * {@link #describeLost(dev.agentledger.bench.loadgen.PresignedPool,
   * dev.agentledger.bench.loadgen.RunRecorder, int)} for the given runs ({@code lost}: sequences of
   * accepted runs the caller found without their commit).
   */
  public List<String> describeLost(
      dev.agentledger.bench.loadgen.PresignedPool pool,
      dev.agentledger.bench.loadgen.RunRecorder recorder,
      List<Long> lost) {
    List<String> out = new java.util.ArrayList<>();
    if (lost.isEmpty()) {
      return out;
    }
    org.agrona.concurrent.UnsafeBuffer records = pool.buffer();
    int record = dev.agentledger.node.tx.AgentRunDescriptor.ENCODED_LENGTH;
    int agentAt = dev.agentledger.node.tx.AgentRunDescriptor.AGENT_OFFSET;
    java.util.Map<java.nio.ByteBuffer, java.util.TreeMap<Long, Long>> byAgent =
        new java.util.HashMap<>();
    for (long sequence : lost) {
      byAgent.put(agentKey(records, pool.offsetOf(sequence) + agentAt), new java.util.TreeMap<>());
    }
    // Every sent run of those agents, by nonce (records repeat past the pool's size).
    long sent = recorder.tally().submitted();
    for (long sequence = 0; sequence < sent; sequence++) {
      int at = pool.offsetOf(sequence);
      java.util.TreeMap<Long, Long> nonces = byAgent.get(agentKey(records, at + agentAt));
      if (nonces != null) {
        nonces.putIfAbsent(dev.agentledger.node.tx.TransactionSlot.nonce(records, at), sequence);
      }
    }
    java.util.HexFormat hex = java.util.HexFormat.of();
    dev.agentledger.node.tx.AgentRunFlyweight run = new dev.agentledger.node.tx.AgentRunFlyweight();
    int validators = config.validators().size();
    for (long sequence : lost) {
      int at = pool.offsetOf(sequence);
      run.wrap(records, at);
      long nonce = run.nonce();
      java.nio.ByteBuffer agent = agentKey(records, at + agentAt);
      int v = ClusterSubmitter.validatorOf(records, at, validators);
      InetSocketAddress address = config.validators().get(v);
      List<Long> asked = new java.util.ArrayList<>();
      java.util.TreeMap<Long, Long> nonces = byAgent.get(agent);
      for (var e : nonces.subMap(nonce - NEIGHBOURS, true, nonce + NEIGHBOURS, true).entrySet()) {
        asked.add(e.getValue());
      }
      List<byte[]> asking = new java.util.ArrayList<>();
      for (long s : asked) {
        byte[] r = new byte[record];
        records.getBytes(pool.offsetOf(s), r);
        asking.add(r);
      }
      List<String> where = null;
      String answer;
      try (AgentLedgerClient client =
          AgentLedgerClient.connect(address.getHostString(), address.getPort(), tls)) {
        where = client.where(asking);
        answer = ": " + where.get(asked.indexOf(sequence));
      } catch (IOException | RuntimeException e) {
        answer = ", which could not be asked: " + e.getMessage();
      }
      StringBuilder line =
          new StringBuilder(
              String.format(
                  java.util.Locale.ROOT,
                  "lost: run %d, tx %s, agent %s, nonce %d, sent to v%d (%s:%d)%s",
                  sequence,
                  hex.formatHex(run.transactionId()),
                  hex.formatHex(agent.array(), 0, 8),
                  nonce,
                  v,
                  address.getHostString(),
                  address.getPort(),
                  answer));
      if (where == null) {
        out.add(line.toString());
        continue;
      }
      for (int i = 0; i < asked.size(); i++) {
        long s = asked.get(i);
        if (s != sequence) {
          run.wrap(records, pool.offsetOf(s));
          line.append(
              String.format(
                  java.util.Locale.ROOT,
                  "%n    nonce %d (run %d): %s; at v%d: %s",
                  run.nonce(),
                  s,
                  recorder.fate(s),
                  v,
                  where.get(i)));
        }
      }
      out.add(line.toString());
    }
    return out;
  }

  /**
   * Asks, for up to {@code patience}, every {@code every}, the validators of the first {@code max}
   * lost runs where they hold them ({@code TX_WHERE}), until each is committed: one line per run
   * with how long after the first ask its commit was seen, or where it still was at the end. Tells
   * a late commit (the run's validator still orders it) from a run that stays stuck.
   */
  public List<String> followLost(
      dev.agentledger.bench.loadgen.PresignedPool pool,
      dev.agentledger.bench.loadgen.RunRecorder recorder,
      int max,
      java.time.Duration patience,
      java.time.Duration every)
      throws InterruptedException {
    List<Long> lost = recorder.lostSequences();
    lost = lost.subList(0, Math.min(max, lost.size()));
    int validators = config.validators().size();
    long start = System.nanoTime();
    String[] last = new String[lost.size()];
    long[] seenNs = new long[lost.size()];
    java.util.Arrays.fill(seenNs, -1);
    int open = lost.size();
    while (open > 0) {
      for (int i = 0; i < lost.size(); i++) {
        if (seenNs[i] >= 0) {
          continue;
        }
        int at = pool.offsetOf(lost.get(i));
        InetSocketAddress address =
            config.validators().get(ClusterSubmitter.validatorOf(pool.buffer(), at, validators));
        byte[] r = new byte[dev.agentledger.node.tx.AgentRunDescriptor.ENCODED_LENGTH];
        pool.buffer().getBytes(at, r);
        try (AgentLedgerClient client =
            AgentLedgerClient.connect(address.getHostString(), address.getPort(), tls)) {
          last[i] = client.where(List.of(r)).get(0);
        } catch (IOException | RuntimeException e) {
          last[i] = "could not ask: " + e.getMessage();
        }
        if (last[i].startsWith("committed")) {
          seenNs[i] = System.nanoTime() - start;
          open--;
        }
      }
      if (open == 0 || System.nanoTime() - start >= patience.toNanos()) {
        break;
      }
      Thread.sleep(every.toMillis());
    }
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < lost.size(); i++) {
      out.add(
          seenNs[i] >= 0
              ? String.format(
                  java.util.Locale.ROOT,
                  "lost run %d: %s, seen %.1f s after the first ask",
                  lost.get(i),
                  last[i],
                  seenNs[i] / 1e9)
              : String.format(
                  java.util.Locale.ROOT,
                  "lost run %d: after %d s of asking still %s",
                  lost.get(i),
                  patience.toSeconds(),
                  last[i]));
    }
    return out;
  }

  /** How many of a lost run's agent's nonces either side {@link #describeLost} asks about. */
  static final int NEIGHBOURS = 2;

  private static java.nio.ByteBuffer agentKey(org.agrona.DirectBuffer buffer, int at) {
    byte[] key = new byte[32];
    buffer.getBytes(at, key);
    return java.nio.ByteBuffer.wrap(key);
  }

  @Override
  public List<StageCost> stageCosts() {
    return config.stageCosts().get();
  }

  /** Submit connections lost and connected again ({@link ClusterSubmitter#reconnects}). */
  public long reconnects() {
    return submitter == null ? 0 : submitter.reconnects();
  }

  /** Runs a lost connection left unanswered and sent again on the new one. */
  public long resentAfterReconnect() {
    return submitter == null ? 0 : submitter.resentAfterReconnect();
  }

  /** The first I/O failure of any connection, or null. */
  public String failure() {
    IOException failure = submitter == null ? null : submitter.failure();
    return failure == null ? null : failure.getMessage();
  }

  @Override
  public void close() throws Exception {
    if (submitter != null) {
      submitter.close();
    }
  }
}
