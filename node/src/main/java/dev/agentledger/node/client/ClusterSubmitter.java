package dev.agentledger.node.client;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.client.core.ReconnectBackoff;
import dev.agentledger.node.client.core.ResubmitQueue;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.tls.ClientTls;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Submits signed runs to the validators' client ports and tracks each one to its commit: the one
 * client-side submission path of {@code agentledger submit} and of the load generator's cluster
 * target. Each run carries a caller-chosen sequence number; what becomes of it arrives at a {@link
 * Listener}.
 *
 * <p>Each agent is pinned to one validator ({@link #validatorOf}, a function of its public key), so
 * its nonces arrive at that validator in the order they were offered. Per validator there is one
 * lane of up to three threads and two connections:
 *
 * <ul>
 *   <li>{@link #offer} (one caller thread) copies the record into the lane's single-producer ring
 *       and returns false when the ring is full (it never blocks);
 *   <li>a sender drains the ring into {@code SUBMIT} frames of up to {@link Config#maxFrameRecords}
 *       runs, with at most {@link Config#maxFramesInFlight} frames unanswered, computing each
 *       transaction id (SHA-256 of the record);
 *   <li>a reader takes the {@code SUBMIT_RESULT}s in order: {@code ACCEPTED} runs wait for their
 *       commit, every other status is final;
 *   <li>commit tracking, when asked for, is one of two: with {@link Config#withFeed} one
 *       subscription to a validator's commit feed (its own connection and thread) completes each
 *       run when its receipt arrives, the commit time being the delivery on the feed; otherwise a
 *       poller per lane asks, over its own connection, for the commit index of every accepted and
 *       not yet committed run, {@value Wire#MAX_QUERY_IDS} ids per query, every poll interval
 *       (longer when many are pending: the ids asked per second are capped so that measuring does
 *       not load the nodes), the commit time being when the answer arrived (up to one poll period
 *       late).
 * </ul>
 *
 * A run counts as committed only once a validator reports it: its receipt on the feed (the commit
 * was executed and made durable) or a commit index from {@code TX_QUERY}. Accepted runs that never
 * commit stay outstanding.
 *
 * <p>A run refused with a retryable status (load shedding or {@code NONCE_TOO_FAR}) is not final:
 * the lane's {@link ResubmitQueue} sends it again after a capped exponential backoff ({@value
 * #RETRY_BASE_MS} ms doubling up to {@value #RETRY_MAX_MS} ms), and the agent's later runs offered
 * meanwhile wait behind it, in nonce order, so no agent is left with a nonce gap that would hold
 * its later accepted runs forever. When it is due, the agent's waiting runs go out with it,
 * pipelined in nonce order (in the same SUBMIT frame as far as they fit, up to {@link
 * ResubmitQueue#DEFAULT_MAX_IN_FLIGHT_PER_AGENT} of an agent's runs unanswered), and runs offered
 * while they are in flight follow at once: an agent's chain drains at the validator's admission
 * rate, not at one run per round trip. Runs still waiting at {@link #close} are reported as refused
 * with their last status. Other refusals are final and never resent.
 *
 * <p>A lane whose submit connection is lost (the validator stopped or restarted) connects again,
 * with a capped exponential backoff ({@value #RECONNECT_BASE_MS} ms doubling up to {@value
 * #RECONNECT_MAX_MS} ms, {@link ReconnectBackoff}) for {@link Config#reconnectForNs}, by default
 * until the submitter closes, however long the validator stays away, and then sends again, first
 * and in their order, the SUBMITs the lost connection left unanswered, then the runs offered
 * meanwhile ({@link #reconnects}, {@link #resentAfterReconnect}). An unanswered run may have been
 * admitted (ACCEPTED is durable, so it survived a crash of the validator): the validator refuses
 * its second copy as {@code NONCE_REPLAY}, which for a run sent again this way is reported as
 * accepted (its commit is owed, and tracked by its transaction id). Callers give every run of an
 * agent its own nonce, so that nonce can only have been taken by this run. A lane given a bounded
 * {@link Config#reconnectForNs} that cannot connect again in time stops ({@link #failure}); at
 * {@link #close} every run it was still owed an answer for, sent or not, is reported {@link
 * Listener#onUnanswered}, so no offered run is left without a final callback.
 */
public final class ClusterSubmitter implements AutoCloseable {
  /**
   * What became of each offered run. Callbacks arrive on the lanes' threads, in any order across
   * lanes; they must not block.
   */
  public interface Listener {
    /** The run left in a {@code SUBMIT} frame at {@code nowNs}. */
    default void onSent(long sequence, long nowNs) {}

    /** The validator admitted the run; its commit is owed. */
    void onAccepted(long sequence, long nowNs);

    /** The validator refused the run with this status (never {@code ACCEPTED}); final. */
    void onRejected(long sequence, TxStatus status, long nowNs);

    /**
     * The validator refused the run with a retryable status ({@link ResubmitQueue#retryable}); it
     * will be sent again after a backoff, and its agent's later runs wait behind it. Not final.
     */
    default void onRetried(long sequence, TxStatus status, long nowNs) {}

    /** A validator reported the run committed (only when commits are tracked). */
    void onCommitted(long sequence, long nowNs);

    /**
     * At {@link #close}: the run was offered but never answered, because its lane's connection was
     * lost or the submitter closed first. Sent and unanswered, it may have been admitted; never
     * sent, it was not. Final.
     */
    default void onUnanswered(long sequence, long nowNs) {}
  }

  /**
   * @param validators client addresses, one per validator (each gets one lane)
   * @param ringBytes capacity of each lane's submission ring (power of two, at least 64 KiB)
   * @param maxFrameRecords most runs per {@code SUBMIT} frame, 1..{@value Wire#MAX_SUBMIT_RECORDS}
   * @param maxFramesInFlight most unanswered {@code SUBMIT} frames per connection
   * @param trackCommits whether to poll for commits ({@link Listener#onCommitted})
   * @param commitsFrom the validator every lane asks about commits, or null: each lane asks the
   *     validator it submitted to
   * @param pollIntervalNs least pause between two commit polls of one lane
   * @param maxQueryIdsPerSec most transaction ids asked per second per lane
   * @param tls how to reach the validators' client ports over TLS, or null: plaintext
   * @param reconnectForNs how long a lane whose submit connection is lost tries to connect again
   *     (0: it stops at once), {@link ReconnectBackoff#UNTIL_CLOSED} by default: until the
   *     submitter closes
   */
  public record Config(
      List<InetSocketAddress> validators,
      int ringBytes,
      int maxFrameRecords,
      int maxFramesInFlight,
      boolean trackCommits,
      InetSocketAddress commitsFrom,
      long pollIntervalNs,
      long maxQueryIdsPerSec,
      boolean feed,
      ClientTls tls,
      long reconnectForNs) {
    /** Lanes that reconnect until the submitter closes. */
    public Config(
        List<InetSocketAddress> validators,
        int ringBytes,
        int maxFrameRecords,
        int maxFramesInFlight,
        boolean trackCommits,
        InetSocketAddress commitsFrom,
        long pollIntervalNs,
        long maxQueryIdsPerSec,
        boolean feed,
        ClientTls tls) {
      this(
          validators,
          ringBytes,
          maxFrameRecords,
          maxFramesInFlight,
          trackCommits,
          commitsFrom,
          pollIntervalNs,
          maxQueryIdsPerSec,
          feed,
          tls,
          ReconnectBackoff.UNTIL_CLOSED);
    }

    /** Plaintext client ports. */
    public Config(
        List<InetSocketAddress> validators,
        int ringBytes,
        int maxFrameRecords,
        int maxFramesInFlight,
        boolean trackCommits,
        InetSocketAddress commitsFrom,
        long pollIntervalNs,
        long maxQueryIdsPerSec,
        boolean feed) {
      this(
          validators,
          ringBytes,
          maxFrameRecords,
          maxFramesInFlight,
          trackCommits,
          commitsFrom,
          pollIntervalNs,
          maxQueryIdsPerSec,
          feed,
          null);
    }

    /** This configuration over TLS with {@code newTls} (null: plaintext). */
    public Config withTls(ClientTls newTls) {
      return new Config(
          validators,
          ringBytes,
          maxFrameRecords,
          maxFramesInFlight,
          trackCommits,
          commitsFrom,
          pollIntervalNs,
          maxQueryIdsPerSec,
          feed,
          newTls,
          reconnectForNs);
    }

    public Config {
      validators = List.copyOf(validators);
      if (validators.isEmpty()) {
        throw new IllegalArgumentException("at least one validator address");
      }
      if (Integer.bitCount(ringBytes) != 1 || ringBytes < 1 << 16) {
        throw new IllegalArgumentException("ringBytes must be a power of two >= 65536");
      }
      if (maxFrameRecords < 1 || maxFrameRecords > Wire.MAX_SUBMIT_RECORDS) {
        throw new IllegalArgumentException("1.." + Wire.MAX_SUBMIT_RECORDS + " runs per frame");
      }
      if (maxFramesInFlight < 1) {
        throw new IllegalArgumentException("at least one frame in flight");
      }
      if (pollIntervalNs < 0 || maxQueryIdsPerSec < 1) {
        throw new IllegalArgumentException(
            "poll interval must be >= 0 and the query rate positive");
      }
      if (reconnectForNs < 0) {
        throw new IllegalArgumentException("reconnectForNs must be >= 0");
      }
    }

    /**
     * How long a lane whose submit connection is lost tries to connect again (0: it stops at once;
     * {@link ReconnectBackoff#UNTIL_CLOSED}: until the submitter closes).
     */
    public Config withReconnect(long newReconnectForNs) {
      return new Config(
          validators,
          ringBytes,
          maxFrameRecords,
          maxFramesInFlight,
          trackCommits,
          commitsFrom,
          pollIntervalNs,
          maxQueryIdsPerSec,
          feed,
          tls,
          newReconnectForNs);
    }

    /**
     * Full frames, 65,536 frames in flight, 16 MiB rings, commits asked of each lane's validator
     * every 10 ms, at most 10,000 ids/s.
     */
    public static Config of(List<InetSocketAddress> validators) {
      return new Config(
          validators,
          1 << 24,
          Wire.MAX_SUBMIT_RECORDS,
          1 << 16,
          true,
          null,
          TimeUnit.MILLISECONDS.toNanos(10),
          10_000,
          false,
          null);
    }

    public Config withFrames(int newMaxFrameRecords, int newMaxFramesInFlight) {
      return new Config(
          validators,
          ringBytes,
          newMaxFrameRecords,
          newMaxFramesInFlight,
          trackCommits,
          commitsFrom,
          pollIntervalNs,
          maxQueryIdsPerSec,
          feed,
          tls,
          reconnectForNs);
    }

    public Config withRingBytes(int newRingBytes) {
      return new Config(
          validators,
          newRingBytes,
          maxFrameRecords,
          maxFramesInFlight,
          trackCommits,
          commitsFrom,
          pollIntervalNs,
          maxQueryIdsPerSec,
          feed,
          tls,
          reconnectForNs);
    }

    /** Commit tracking on or off, and which validator to ask (null: each lane's own). */
    public Config withCommits(
        boolean track, InetSocketAddress from, long newPollIntervalNs, long newMaxQueryIdsPerSec) {
      return new Config(
          validators,
          ringBytes,
          maxFrameRecords,
          maxFramesInFlight,
          track,
          from,
          newPollIntervalNs,
          newMaxQueryIdsPerSec,
          false,
          tls,
          reconnectForNs);
    }

    /**
     * Commits tracked through the commit feed of validator {@code from} (null: the first validator)
     * instead of TX_QUERY polls: one subscription to every receipt; a run counts as committed when
     * its receipt arrives. A feed that breaks is resumed, after the last whole commit it delivered,
     * on the next validator.
     */
    public Config withFeed(InetSocketAddress from) {
      return new Config(
          validators,
          ringBytes,
          maxFrameRecords,
          maxFramesInFlight,
          true,
          from,
          pollIntervalNs,
          maxQueryIdsPerSec,
          true,
          tls,
          reconnectForNs);
    }
  }

  /** Pause before the first resubmission of a refused run, in ms (doubled per refusal). */
  public static final long RETRY_BASE_MS = 10;

  /** Longest pause between two resubmissions of one run, in ms. */
  public static final long RETRY_MAX_MS = 1_000;

  /** Pause before a lane's first connection attempt after a loss, in ms (doubled per attempt). */
  public static final long RECONNECT_BASE_MS = 50;

  /** Longest pause between two connection attempts of a lane, in ms. */
  public static final long RECONNECT_MAX_MS = 2_000;

  private static final int RECORD = AgentRunDescriptor.ENCODED_LENGTH;
  private static final int MESSAGE = 8 + RECORD;

  private final Config config;
  private final Listener listener;
  private final Lane[] lanes;
  private FeedTracker feedTracker;
  private final AtomicReference<IOException> failure = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicLong unanswered =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong reconnects =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong reconnectAttemptsFailed =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong resent =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean running;
  private volatile boolean retrying = true;

  private ClusterSubmitter(Config config, Listener listener) {
    this.config = config;
    this.listener = listener;
    this.lanes = new Lane[config.validators().size()];
  }

  /**
   * Connects to every validator and starts the lanes.
   *
   * @throws IOException when a validator cannot be reached (nothing is left open)
   */
  public static ClusterSubmitter start(Config config, Listener listener) throws IOException {
    ClusterSubmitter submitter = new ClusterSubmitter(config, listener);
    submitter.running = true;
    try {
      if (config.feed()) {
        submitter.feedTracker = submitter.new FeedTracker();
      }
      for (int i = 0; i < submitter.lanes.length; i++) {
        submitter.lanes[i] = submitter.new Lane(i, config.validators().get(i));
      }
    } catch (IOException e) {
      submitter.close();
      throw e;
    }
    if (submitter.feedTracker != null) {
      submitter.feedTracker.start();
    }
    for (Lane lane : submitter.lanes) {
      lane.startThreads();
    }
    return submitter;
  }

  /** Which of {@code validators} takes an agent's runs: a fixed function of its public key. */
  public static int validatorOf(DirectBuffer buffer, int offset, int validators) {
    int h = buffer.getInt(offset + AgentRunDescriptor.AGENT_OFFSET, ByteOrder.LITTLE_ENDIAN);
    return Math.floorMod(h, validators);
  }

  /**
   * Queues one encoded run for its agent's validator. Called from one thread only.
   *
   * @return false when that validator's ring is full (nothing was queued)
   */
  public boolean offer(DirectBuffer buffer, int offset, int length, long sequence) {
    if (length != RECORD) {
      throw new IllegalArgumentException("a run is " + RECORD + " bytes, got " + length);
    }
    OneToOneRingBuffer ring = lanes[validatorOf(buffer, offset, lanes.length)].ring;
    int index = ring.tryClaim(1, MESSAGE);
    if (index < 0) {
      return false;
    }
    ring.buffer().putLong(index, sequence);
    ring.buffer().putBytes(index + 8, buffer, offset, length);
    ring.commit(index);
    return true;
  }

  /** Runs reported {@link Listener#onUnanswered} at {@link #close}. */
  public long unanswered() {
    return unanswered.get();
  }

  /** Submit connections lost and connected again, over all lanes. */
  public long reconnects() {
    return reconnects.get();
  }

  /** Connection attempts that failed while lanes were connecting again, over all lanes. */
  public long reconnectAttemptsFailed() {
    return reconnectAttemptsFailed.get();
  }

  /** Lanes whose submit connection is lost right now (connecting again, or given up). */
  public int lanesDown() {
    int down = 0;
    for (Lane lane : lanes) {
      if (lane != null && lane.broken) {
        down++;
      }
    }
    return down;
  }

  /** Runs sent again on a new connection because the lost one left them unanswered. */
  public long resentAfterReconnect() {
    return resent.get();
  }

  /** Retryable refusals so far, over all lanes (each one a resubmission). */
  public long retries() {
    long sum = 0;
    for (Lane lane : lanes) {
      if (lane != null) {
        synchronized (lane.resubmit) {
          sum += lane.resubmit.retries();
        }
      }
    }
    return sum;
  }

  /** The key of a record's agent in the resubmission queue: the first 8 bytes of its key. */
  static long agentOf(DirectBuffer buffer, int offset) {
    return buffer.getLong(offset + AgentRunDescriptor.AGENT_OFFSET, ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The first I/O failure of any lane, or null; its message names the validator and the connection,
   * its cause is the original exception.
   */
  public IOException failure() {
    return failure.get();
  }

  /** {@code TX_QUERY}'s answer for a run its validator accepted and then dropped unbatched. */
  public static final long EXPIRED_ANSWER = -2;

  /** {@code TX_QUERY}'s answer for a run ordered by consensus and not yet executed there. */
  public static final long ORDERED_ANSWER = -3;

  /**
   * From now on a retryable refusal is final, and the runs waiting in the lanes' resubmission
   * queues are reported refused with their last status at once (the load generator calls this when
   * its drain runs out while runs are still being retried). Their agents' later runs that were
   * already accepted can then never be batched, since their nonces follow a gap: their validators
   * drop them after the held-transaction bound and answer them as expired ({@link #settle}).
   */
  public void stopRetrying() {
    retrying = false;
    long now = System.nanoTime();
    for (Lane lane : lanes) {
      if (lane != null) {
        synchronized (lane.resubmit) {
          lane.resubmit.drainAll((sequence, status) -> listener.onRejected(sequence, status, now));
        }
      }
    }
  }

  /**
   * What {@link #settle} found for the accepted runs still waiting for their receipt.
   *
   * @param expired answered expired by their validator: reported refused ({@link TxStatus#EXPIRED})
   * @param executedNotOnFeed their validator has executed their commit, and the feed did not report
   *     it (still outstanding: only the feed completes a run)
   * @param orderedNotExecuted ordered by consensus, not yet executed at their validator
   * @param notOrdered not ordered as far as their validator knows (in its mempool, or sealed and
   *     not yet ordered)
   * @param unreachable their validator did not answer
   */
  public record Settlement(
      long expired,
      long executedNotOnFeed,
      long orderedNotExecuted,
      long notOrdered,
      long unreachable) {
    /** Runs asked about. */
    public long total() {
      return expired + executedNotOnFeed + orderedNotExecuted + notOrdered + unreachable;
    }
  }

  /**
   * With the commit feed: asks each accepted run's validator ({@code TX_QUERY}, on a connection of
   * its own) about every run still waiting for its receipt; the ones it answers as expired are
   * reported refused ({@link TxStatus#EXPIRED}), the others stay outstanding and are only counted.
   * Without the feed the pollers already do this; returns zeros then.
   */
  public Settlement settle() {
    if (feedTracker == null) {
      return new Settlement(0, 0, 0, 0, 0);
    }
    List<List<Pending>> byLane = new ArrayList<>();
    for (int i = 0; i < lanes.length; i++) {
      byLane.add(new ArrayList<>());
    }
    for (Pending p : feedTracker.pending.values()) {
      if (p.awaitingCommit()) {
        byLane.get(p.lane).add(p);
      }
    }
    long expired = 0;
    long executed = 0;
    long ordered = 0;
    long notOrdered = 0;
    long unreachable = 0;
    for (int lane = 0; lane < lanes.length; lane++) {
      List<Pending> waiting = byLane.get(lane);
      if (waiting.isEmpty()) {
        continue;
      }
      InetSocketAddress address = config.validators().get(lane);
      try (AgentLedgerClient client =
          AgentLedgerClient.connect(address.getHostString(), address.getPort(), config.tls())) {
        for (int from = 0; from < waiting.size(); from += Wire.MAX_QUERY_IDS) {
          List<Pending> chunk =
              waiting.subList(from, Math.min(waiting.size(), from + Wire.MAX_QUERY_IDS));
          List<byte[]> ids = new ArrayList<>(chunk.size());
          for (Pending p : chunk) {
            ids.add(p.key.array());
          }
          long[] answers = client.committedIndexes(ids);
          long now = System.nanoTime();
          for (int i = 0; i < chunk.size(); i++) {
            if (answers[i] == EXPIRED_ANSWER) {
              chunk.get(i).expired(now);
              expired++;
            } else if (answers[i] >= 0) {
              executed++;
            } else if (answers[i] == ORDERED_ANSWER) {
              ordered++;
            } else {
              notOrdered++;
            }
          }
        }
      } catch (IOException e) {
        unreachable += waiting.size();
      }
    }
    return new Settlement(expired, executed, ordered, notOrdered, unreachable);
  }

  @Override
  public void close() {
    running = false;
    for (Lane lane : lanes) {
      if (lane != null) {
        lane.close();
      }
    }
    if (feedTracker != null) {
      feedTracker.close();
    }
  }

  /**
   * One SUBMIT in flight: the sequences and ids of its records, in order, and with the feed their
   * commit trackers.
   */
  private record InFlight(
      long requestId,
      long[] sequences,
      byte[] ids,
      byte[] records,
      Pending[] pendings,
      boolean resent) {
    /** These runs as request {@code newRequestId}. */
    InFlight sentAs(long newRequestId) {
      return new InFlight(newRequestId, sequences, ids, records, pendings, resent);
    }

    /** These runs, which a lost connection may have delivered, to be sent again. */
    InFlight again() {
      return new InFlight(0, sequences, ids, records, pendings, true);
    }

    /** The records one per array, as {@link AgentLedgerClient#send} takes them. */
    List<byte[]> recordList() {
      List<byte[]> out = new ArrayList<>(sequences.length);
      for (int i = 0; i < sequences.length; i++) {
        out.add(Arrays.copyOfRange(records, i * RECORD, (i + 1) * RECORD));
      }
      return out;
    }
  }

  /**
   * A run sent while commits come from the feed: its receipt may arrive before its SUBMIT_RESULT
   * (another thread), so the two meet here; the listener hears onAccepted before onCommitted.
   */
  private final class Pending {
    private static final int SENT = 0;
    private static final int COMMITTED_EARLY = 1;
    private static final int ACCEPTED = 2;
    private static final int DONE = 3;

    final long sequence;
    final ByteBuffer key;
    final int lane;
    private int state = SENT;
    private long committedNs;

    Pending(long sequence, byte[] id, int lane) {
      this.sequence = sequence;
      this.key = ByteBuffer.wrap(id);
      this.lane = lane;
    }

    /** Accepted and still waiting for its receipt. */
    synchronized boolean awaitingCommit() {
      return state == ACCEPTED;
    }

    /** Its validator answered TX_QUERY that it dropped the run unbatched: refused, final. */
    synchronized void expired(long nowNs) {
      if (state == ACCEPTED) {
        state = DONE;
        feedTracker.pending.remove(key, this);
        listener.onRejected(sequence, TxStatus.EXPIRED, nowNs);
      }
    }

    synchronized void accepted(long nowNs) {
      listener.onAccepted(sequence, nowNs);
      if (state == COMMITTED_EARLY) {
        state = DONE;
        feedTracker.pending.remove(key, this);
        listener.onCommitted(sequence, committedNs);
      } else {
        state = ACCEPTED;
      }
    }

    synchronized void rejected(TxStatus status, long nowNs) {
      state = DONE;
      feedTracker.pending.remove(key, this);
      listener.onRejected(sequence, status, nowNs);
    }

    /** Refused with a retryable status: no longer tracked here (a resend registers anew). */
    synchronized void retrying() {
      state = DONE;
      feedTracker.pending.remove(key, this);
    }

    synchronized void committed(long nowNs) {
      if (state == ACCEPTED) {
        state = DONE;
        feedTracker.pending.remove(key, this);
        listener.onCommitted(sequence, nowNs);
      } else if (state == SENT) {
        state = COMMITTED_EARLY;
        committedNs = nowNs;
      }
    }
  }

  /**
   * Commit tracking by the feed: one subscription to every receipt, on its own connection and
   * thread; each receipt whose tx id is pending completes that run. When the connection fails it
   * resubscribes, after the last whole commit seen, on the next validator (a repeated receipt finds
   * nothing pending); when no validator takes it, the submitter fails.
   */
  private final class FeedTracker {
    final java.util.concurrent.ConcurrentHashMap<ByteBuffer, Pending> pending =
        new java.util.concurrent.ConcurrentHashMap<>();
    private volatile AgentLedgerClient client;
    private Thread thread;
    private int validator;
    private long lastWholeCommit;

    FeedTracker() throws IOException {
      InetSocketAddress from = config.commitsFrom();
      validator = from == null ? 0 : Math.max(0, config.validators().indexOf(from));
      client = connect(from != null ? from : config.validators().get(validator));
      lastWholeCommit = client.subscribe(0, List.of());
    }

    private AgentLedgerClient connect(InetSocketAddress address) throws IOException {
      return AgentLedgerClient.connect(address.getHostString(), address.getPort(), config.tls());
    }

    /** Registers the runs of one SUBMIT before it is sent. */
    Pending[] register(long[] sequences, byte[] ids, int n, int lane) {
      Pending[] out = new Pending[n];
      for (int i = 0; i < n; i++) {
        Pending p = new Pending(sequences[i], Arrays.copyOfRange(ids, i * 32, i * 32 + 32), lane);
        out[i] = p;
        pending.putIfAbsent(p.key, p); // a repeated id is tracked by its first copy
      }
      return out;
    }

    void start() {
      thread = Thread.ofPlatform().daemon().name("cluster-feed").start(this::loop);
    }

    private void loop() {
      while (running) {
        try {
          AgentLedgerClient.FeedBatch batch = client.readFeed();
          long now = System.nanoTime();
          for (int i = 0; i < batch.count(); i++) {
            Pending p = pending.get(ByteBuffer.wrap(batch.txIds(), i * 32, 32).slice());
            if (p != null) {
              p.committed(now);
            }
          }
          if (batch.last()) {
            lastWholeCommit = batch.sequence();
          }
        } catch (IOException | RuntimeException e) {
          if (!running || !resubscribe(e)) {
            return;
          }
        }
      }
    }

    /** Resumes after {@link #lastWholeCommit} on the next validator that takes it. */
    private boolean resubscribe(Exception cause) {
      closeClient();
      int n = config.validators().size();
      for (int attempt = 1; attempt <= n && running; attempt++) {
        int v = (validator + attempt) % n;
        try {
          client = connect(config.validators().get(v));
          client.subscribe(lastWholeCommit + 1, List.of());
          validator = v;
          return true;
        } catch (IOException e) {
          closeClient();
        }
      }
      if (running) {
        failure.compareAndSet(
            null, new IOException("commit feed: no validator serves it: " + cause, cause));
      }
      return false;
    }

    private void closeClient() {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing
      }
    }

    void close() {
      closeClient();
      if (thread != null) {
        thread.interrupt();
        try {
          thread.join(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Accepted runs of one SUBMIT, waiting for their commits. */
  private record Accepted(long[] sequences, byte[] ids, int count) {}

  private final class Lane {
    final int index;
    final InetSocketAddress address;
    final OneToOneRingBuffer ring;
    volatile AgentLedgerClient submitClient;
    final AgentLedgerClient queryClient;
    // Connection loss: the reader marks it and parks; the sender closes the lost connection,
    // takes the unanswered SUBMITs back, connects again and sends them first.
    final Object link = new Object();
    volatile boolean broken;
    boolean readerParked;
    boolean dead;
    IOException lostBecause;
    // SUBMITs taken back from a lost connection and not yet sent again (the sender's; read at close
    // after the sender stopped).
    final List<InFlight> unsent = new ArrayList<>();
    final Semaphore window;
    final BlockingQueue<InFlight> inFlight;
    final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    final ResubmitQueue resubmit =
        new ResubmitQueue(
            TimeUnit.MILLISECONDS.toNanos(RETRY_BASE_MS),
            TimeUnit.MILLISECONDS.toNanos(RETRY_MAX_MS));
    final List<Thread> threads = new ArrayList<>();
    // when the sender connects again after a loss (the sender's thread only)
    final ReconnectBackoff backoff =
        new ReconnectBackoff(
            TimeUnit.MILLISECONDS.toNanos(RECONNECT_BASE_MS),
            TimeUnit.MILLISECONDS.toNanos(RECONNECT_MAX_MS),
            config.reconnectForNs());

    Lane(int index, InetSocketAddress address) throws IOException {
      this.index = index;
      this.address = address;
      this.ring =
          new OneToOneRingBuffer(
              new UnsafeBuffer(
                  ByteBuffer.allocateDirect(
                      config.ringBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
      this.window = new Semaphore(config.maxFramesInFlight());
      this.inFlight = new ArrayBlockingQueue<>(config.maxFramesInFlight());
      this.submitClient =
          AgentLedgerClient.connect(address.getHostString(), address.getPort(), config.tls());
      AgentLedgerClient query = null;
      if (config.trackCommits() && !config.feed()) {
        InetSocketAddress from = config.commitsFrom() != null ? config.commitsFrom() : address;
        try {
          query = AgentLedgerClient.connect(from.getHostString(), from.getPort(), config.tls());
        } catch (IOException e) {
          submitClient.close();
          throw e;
        }
      }
      this.queryClient = query;
    }

    void startThreads() {
      threads.add(Thread.ofPlatform().daemon().name("cluster-send-" + index).start(this::sendLoop));
      threads.add(
          Thread.ofPlatform().daemon().name("cluster-results-" + index).start(this::resultLoop));
      if (queryClient != null) {
        threads.add(
            Thread.ofPlatform().daemon().name("cluster-poll-" + index).start(this::pollLoop));
      }
    }

    private void fail(String what, Exception e) {
      if (running) {
        failure.compareAndSet(
            null, new IOException("validator " + index + " " + what + ": " + e, e));
      }
    }

    void sendLoop() {
      int max = config.maxFrameRecords();
      byte[][] records = new byte[max][RECORD];
      long[] sequences = new long[max];
      int[] count = new int[1];
      UnsafeBuffer[] views = new UnsafeBuffer[max];
      for (int i = 0; i < max; i++) {
        views[i] = new UnsafeBuffer(records[i]);
      }
      List<byte[]> recordList = Arrays.asList(records);
      AgentRunFlyweight run = new AgentRunFlyweight();
      Sha256 hasher = new Sha256();
      IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
      long[] nowNs = new long[1];
      ResubmitQueue.Sink resend =
          (agent, sequence, record) -> {
            int n = count[0]++;
            sequences[n] = sequence;
            System.arraycopy(record, 0, records[n], 0, RECORD);
          };
      org.agrona.concurrent.MessageHandler take =
          (type, buffer, at, length) -> {
            long agent = agentOf(buffer, at + 8);
            if (resubmit.holds(agent)) {
              byte[] copy = new byte[RECORD];
              buffer.getBytes(at + 8, copy);
              resubmit.park(agent, buffer.getLong(at), copy, nowNs[0]);
              return;
            }
            int n = count[0]++;
            sequences[n] = buffer.getLong(at);
            buffer.getBytes(at + 8, records[n]);
          };
      try {
        while (running) {
          if (broken) {
            if (!recover()) {
              return;
            }
            continue;
          }
          count[0] = 0;
          nowNs[0] = System.nanoTime();
          synchronized (resubmit) {
            resubmit.drainDue(nowNs[0], max, resend);
            if (count[0] < max) {
              ring.read(take, max - count[0]);
            }
          }
          int n = count[0];
          if (n == 0) {
            idle.idle();
            continue;
          }
          idle.reset();
          byte[] ids = new byte[n * 32];
          for (int i = 0; i < n; i++) {
            run.wrap(views[i], 0);
            run.transactionId(hasher, ids, i * 32);
          }
          long[] seqs = Arrays.copyOf(sequences, n);
          byte[] sent = new byte[n * RECORD];
          for (int i = 0; i < n; i++) {
            System.arraycopy(records[i], 0, sent, i * RECORD, RECORD);
          }
          Pending[] pendings =
              feedTracker == null ? null : feedTracker.register(seqs, ids, n, index);
          long now = System.nanoTime();
          for (int i = 0; i < n; i++) {
            listener.onSent(seqs[i], now);
          }
          send(new InFlight(0, seqs, ids, sent, pendings, false), recordList.subList(0, n));
        }
      } catch (InterruptedException | RuntimeException e) {
        fail("submit connection", e);
      }
    }

    /**
     * Sends one SUBMIT within the window. When the connection is lost first (or by this send), the
     * SUBMIT is kept to be sent again on the next connection.
     */
    private boolean send(InFlight frame, List<byte[]> records) throws InterruptedException {
      while (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        if (broken || !running) {
          unsent.add(frame);
          return false;
        }
      }
      if (broken) {
        window.release();
        unsent.add(frame);
        return false;
      }
      AgentLedgerClient client = submitClient;
      long requestId;
      try {
        requestId = client.send(records);
      } catch (IOException e) {
        window.release();
        unsent.add(frame.again()); // part of it may have left
        lost(client, e);
        return false;
      }
      // The reader waits in take() when an answer overtakes this put.
      inFlight.put(frame.sentAs(requestId));
      return true;
    }

    /** Marks {@code client} lost (once: a later connection is not marked by an old failure). */
    private void lost(AgentLedgerClient client, IOException e) {
      synchronized (link) {
        if (submitClient == client && !broken) {
          broken = true;
          lostBecause = e;
          link.notifyAll();
        }
      }
    }

    /**
     * On the sender's thread, after the connection was lost: closes it, waits until the reader
     * stopped reading it, takes back the SUBMITs it left unanswered (in order, before the ones this
     * thread could not send), connects again with backoff ({@link #backoff}), and sends them first.
     * False when the lane gives up (the submitter closes, or no connection within a bounded {@link
     * Config#reconnectForNs}).
     */
    private boolean recover() throws InterruptedException {
      AgentLedgerClient old = submitClient;
      closeQuietly(old);
      synchronized (link) {
        while (running && !readerParked && !dead) {
          link.wait(10);
        }
        if (!running || dead) {
          return false;
        }
      }
      List<InFlight> taken = new ArrayList<>();
      inFlight.drainTo(taken);
      window.release(taken.size());
      List<InFlight> back = new ArrayList<>();
      for (InFlight frame : taken) {
        back.add(frame.again());
      }
      back.addAll(unsent);
      unsent.clear();
      unsent.addAll(back);
      backoff.lost(System.nanoTime());
      AgentLedgerClient fresh = null;
      IOException last = lostBecause;
      while (running && backoff.tries()) {
        try {
          fresh =
              AgentLedgerClient.connect(address.getHostString(), address.getPort(), config.tls());
          break;
        } catch (IOException e) {
          last = e;
        }
        reconnectAttemptsFailed.incrementAndGet();
        long pauseNs = backoff.failed(System.nanoTime());
        if (pauseNs < 0) {
          break;
        }
        TimeUnit.NANOSECONDS.sleep(pauseNs);
      }
      if (fresh == null) {
        synchronized (link) {
          dead = true;
          link.notifyAll();
        }
        fail("submit connection", last == null ? new IOException("connection lost") : last);
        return false;
      }
      synchronized (link) {
        submitClient = fresh;
        broken = false;
        link.notifyAll();
      }
      reconnects.incrementAndGet();
      List<InFlight> again = new ArrayList<>(unsent);
      unsent.clear();
      for (int k = 0; k < again.size(); k++) {
        InFlight frame = again.get(k);
        if (broken) {
          unsent.addAll(again.subList(k, again.size()));
          break;
        }
        if (send(frame, frame.recordList()) && frame.resent()) {
          resent.addAndGet(frame.sequences().length);
        }
      }
      return true;
    }

    void resultLoop() {
      try {
        while (running) {
          AgentLedgerClient client = submitClient;
          AgentLedgerClient.SubmitResult result;
          try {
            result = client.readResult();
          } catch (IOException e) {
            if (!running || !awaitConnection(client, e)) {
              return;
            }
            continue;
          }
          long now = System.nanoTime();
          InFlight request = inFlight.take();
          window.release();
          if (request.requestId() != result.requestId()
              || request.sequences().length != result.statuses().size()) {
            throw new IOException(
                "answer "
                    + result.requestId()
                    + " ("
                    + result.statuses().size()
                    + " statuses) does not match request "
                    + request.requestId()
                    + " ("
                    + request.sequences().length
                    + " records)");
          }
          UnsafeBuffer sentRecords = new UnsafeBuffer(request.records());
          if (request.pendings() != null) {
            for (int i = 0; i < request.pendings().length; i++) {
              TxStatus status = admitted(request, result.statuses().get(i));
              if (retry(sentRecords, i, request.sequences()[i], status, now)) {
                request.pendings()[i].retrying();
              } else if (status == TxStatus.ACCEPTED) {
                request.pendings()[i].accepted(now);
              } else {
                request.pendings()[i].rejected(status, now);
              }
            }
            continue;
          }
          long[] acceptedSeqs = new long[request.sequences().length];
          byte[] acceptedIds = new byte[request.ids().length];
          int a = 0;
          for (int i = 0; i < request.sequences().length; i++) {
            TxStatus status = admitted(request, result.statuses().get(i));
            long sequence = request.sequences()[i];
            if (retry(sentRecords, i, sequence, status, now)) {
              continue;
            }
            if (status == TxStatus.ACCEPTED) {
              acceptedSeqs[a] = sequence;
              System.arraycopy(request.ids(), i * 32, acceptedIds, a * 32, 32);
              a++;
              listener.onAccepted(sequence, now);
            } else {
              listener.onRejected(sequence, status, now);
            }
          }
          if (a > 0 && queryClient != null) {
            accepted.add(new Accepted(acceptedSeqs, acceptedIds, a));
          }
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        fail("submit results", e);
      } finally {
        synchronized (link) {
          dead |= running; // a reader that stopped while the lane runs ends the lane
          link.notifyAll();
        }
      }
    }

    /**
     * On the reader's thread: {@code client} failed. Marks it lost and waits until the sender has
     * connected again (true) or the lane gave up (false).
     */
    private boolean awaitConnection(AgentLedgerClient client, IOException e)
        throws InterruptedException {
      lost(client, e);
      synchronized (link) {
        readerParked = true;
        link.notifyAll();
        try {
          while (running && !dead && submitClient == client) {
            link.wait(100);
          }
        } finally {
          readerParked = false;
        }
        return running && !dead;
      }
    }

    /**
     * The answer to a run: {@code NONCE_REPLAY} for a run sent again after a lost connection means
     * its first copy was admitted (its nonce is its own), so it counts as {@code ACCEPTED}.
     */
    private static TxStatus admitted(InFlight request, TxStatus status) {
      return request.resent() && status == TxStatus.NONCE_REPLAY ? TxStatus.ACCEPTED : status;
    }

    /**
     * Records the answer to run {@code i} of a SUBMIT in the resubmission queue: true when it was a
     * retryable refusal (queued to be sent again, the listener told {@link Listener#onRetried}).
     */
    private boolean retry(UnsafeBuffer sent, int i, long sequence, TxStatus status, long now) {
      long agent = agentOf(sent, i * RECORD);
      if (ResubmitQueue.retryable(status) && running && retrying) {
        byte[] record = new byte[RECORD];
        sent.getBytes(i * RECORD, record);
        synchronized (resubmit) {
          resubmit.refused(agent, sequence, record, status, now);
        }
        listener.onRetried(sequence, status, now);
        return true;
      }
      synchronized (resubmit) {
        resubmit.answered(agent, sequence, now);
      }
      return false;
    }

    void pollLoop() {
      int max = Wire.MAX_QUERY_IDS;
      long[] pendingSeqs = new long[1 << 12];
      byte[] pendingIds = new byte[32 << 12];
      int pending = 0;
      byte[][] ids = new byte[max][32];
      List<byte[]> idList = Arrays.asList(ids);
      try {
        while (running) {
          for (Accepted a; (a = accepted.poll()) != null; ) {
            if (pending + a.count() > pendingSeqs.length) {
              int size = Math.max(pendingSeqs.length * 2, pending + a.count());
              pendingSeqs = Arrays.copyOf(pendingSeqs, size);
              pendingIds = Arrays.copyOf(pendingIds, size * 32);
            }
            System.arraycopy(a.sequences(), 0, pendingSeqs, pending, a.count());
            System.arraycopy(a.ids(), 0, pendingIds, pending * 32, a.count() * 32);
            pending += a.count();
          }
          int kept = 0;
          for (int from = 0; from < pending; from += max) {
            int n = Math.min(pending, from + max) - from;
            for (int i = 0; i < n; i++) {
              System.arraycopy(pendingIds, (from + i) * 32, ids[i], 0, 32);
            }
            long[] indexes = queryClient.committedIndexes(idList.subList(0, n));
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
              int at = from + i;
              if (indexes[i] >= 0) {
                listener.onCommitted(pendingSeqs[at], now);
              } else if (indexes[i] == EXPIRED_ANSWER) {
                listener.onRejected(pendingSeqs[at], TxStatus.EXPIRED, now);
              } else {
                pendingSeqs[kept] = pendingSeqs[at];
                System.arraycopy(pendingIds, at * 32, pendingIds, kept * 32, 32);
                kept++;
              }
            }
          }
          long queried = pending;
          pending = kept;
          TimeUnit.NANOSECONDS.sleep(
              Math.max(
                  config.pollIntervalNs(), queried * 1_000_000_000L / config.maxQueryIdsPerSec()));
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        fail("commit queries", e);
      }
    }

    private void closeQuietly(AgentLedgerClient client) {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing a lost or finished connection
      }
    }

    void close() {
      closeQuietly(submitClient);
      if (queryClient != null) {
        try {
          queryClient.close();
        } catch (IOException ignored) {
          // closing
        }
      }
      for (Thread thread : threads) {
        thread.interrupt();
        try {
          thread.join(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      closeQuietly(submitClient); // one the sender connected while the submitter closed
      long now = System.nanoTime();
      synchronized (resubmit) {
        resubmit.drainAll((sequence, status) -> listener.onRejected(sequence, status, now));
      }
      List<InFlight> owed = new ArrayList<>();
      inFlight.drainTo(owed);
      owed.addAll(unsent);
      for (InFlight request : owed) {
        for (long sequence : request.sequences()) {
          unanswered.incrementAndGet();
          listener.onUnanswered(sequence, now);
        }
      }
      if (threads.isEmpty() || !threads.get(0).isAlive()) { // the ring's one reader has stopped
        ring.read(
            (type, buffer, at, length) -> {
              unanswered.incrementAndGet();
              listener.onUnanswered(buffer.getLong(at), now);
            },
            Integer.MAX_VALUE);
      }
    }
  }
}
