package dev.agentledger.bench.loadgen.cluster;

import dev.agentledger.bench.loadgen.CompletionListener;
import dev.agentledger.bench.loadgen.LoadTarget;
import dev.agentledger.bench.loadgen.StageCost;
import dev.agentledger.bench.loadgen.TargetInfo;
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
