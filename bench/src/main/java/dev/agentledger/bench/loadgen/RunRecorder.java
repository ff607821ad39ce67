package dev.agentledger.bench.loadgen;

import dev.agentledger.bench.loadgen.core.CompositeSchedule;
import dev.agentledger.bench.loadgen.core.RateSchedule;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Records what became of every transaction of one run: a state byte per sequence number (so
 * duplicates and losses are counted exactly, not estimated), latency histograms measured from the
 * intended send time that the schedule fixes, and per-second counts for the timeline. Completion
 * callbacks may come from any thread; none allocates after the first rejection of each reason.
 */
public final class RunRecorder implements CompletionListener {
  static final int SUBMITTED = 1;
  static final int ACCEPTED = 2;
  static final int REJECTED = 4;
  static final int COMMITTED = 8;
  static final int DUPLICATE_COMMIT = 16;
  private static final int FINISHED = REJECTED | COMMITTED;

  private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(byte[].class);
  private static final long HIGHEST_NS = TimeUnit.HOURS.toNanos(1);
  private static final long BUCKET_NS = TimeUnit.SECONDS.toNanos(1);

  private final RateSchedule schedule;
  private final byte[] state;
  private final long[] roundFirst;
  private final Histogram[] roundCommitLatency;
  private final Histogram commitLatency = new ConcurrentHistogram(HIGHEST_NS, 3);
  private final Histogram acceptLatency = new ConcurrentHistogram(HIGHEST_NS, 3);
  private final Histogram acceptToCommit = new ConcurrentHistogram(HIGHEST_NS, 3);
  private final long[] acceptedAtNs;
  private final Histogram sendLag = new Histogram(HIGHEST_NS, 3);
  private final AtomicLongArray committedPerSecond;
  private final AtomicLongArray rejectedPerSecond;
  private final long[] submittedPerSecond;
  private final Map<String, LongAdder> rejectedByReason = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> refusedAfterAcceptanceByReason = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> retriedByReason = new ConcurrentHashMap<>();
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong lastCommitNs = new AtomicLong(Long.MIN_VALUE);
  private volatile long submitted;
  private long startNs;

  /**
   * @param schedule the run's schedule (fixes each transaction's intended send time)
   * @param timelineSeconds seconds the timeline covers (schedule plus drain); later events land in
   *     the last bucket
   */
  public RunRecorder(RateSchedule schedule, int timelineSeconds) {
    if (schedule.count() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "run too large for one recorder: " + schedule.count() + " transactions");
    }
    this.schedule = schedule;
    this.state = new byte[(int) schedule.count()];
    this.acceptedAtNs = new long[(int) schedule.count()];
    this.committedPerSecond = new AtomicLongArray(Math.max(1, timelineSeconds));
    this.rejectedPerSecond = new AtomicLongArray(Math.max(1, timelineSeconds));
    this.submittedPerSecond = new long[Math.max(1, timelineSeconds)];
    if (schedule instanceof CompositeSchedule composite) {
      roundFirst = new long[composite.segmentCount()];
      for (int r = 0; r < roundFirst.length; r++) {
        roundFirst[r] = composite.firstIndex(r);
      }
    } else {
      roundFirst = new long[] {0};
    }
    roundCommitLatency = new Histogram[roundFirst.length];
    for (int r = 0; r < roundFirst.length; r++) {
      roundCommitLatency[r] = new ConcurrentHistogram(HIGHEST_NS, 3);
    }
  }

  /** Fixes the start of the schedule; call before the first submission. */
  public void start(long startNs) {
    this.startNs = startNs;
  }

  public long startNs() {
    return startNs;
  }

  /** Intended send time of {@code sequence}. */
  public long intendedNs(long sequence) {
    return startNs + schedule.offsetNs(sequence);
  }

  /** Called by the (single) sender thread just before it hands {@code sequence} to the target. */
  public void onSubmitting(long sequence, long intendedNs, long actualNs) {
    STATE.getAndBitwiseOr(state, (int) sequence, (byte) SUBMITTED);
    sendLag.recordValue(Math.clamp(actualNs - intendedNs, 0, HIGHEST_NS));
    submittedPerSecond[bucket(intendedNs, submittedPerSecond.length)]++;
    submitted = sequence + 1;
  }

  @Override
  public void onAccepted(long sequence, long nowNs) {
    if (!valid(sequence)) {
      return;
    }
    byte before = (byte) STATE.getAndBitwiseOr(state, (int) sequence, (byte) ACCEPTED);
    if ((before & ACCEPTED) == 0) {
      acceptedAtNs[(int) sequence] = nowNs;
      acceptLatency.recordValue(Math.clamp(nowNs - intendedNs(sequence), 0, HIGHEST_NS));
    }
  }

  @Override
  public void onRejected(long sequence, String reason, long nowNs) {
    if (!valid(sequence)) {
      return;
    }
    byte before = (byte) STATE.getAndBitwiseOr(state, (int) sequence, (byte) REJECTED);
    if ((before & FINISHED) == 0) {
      finished.incrementAndGet();
      rejectedByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
      if ((before & ACCEPTED) != 0) {
        refusedAfterAcceptanceByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
      }
      rejectedPerSecond.incrementAndGet(bucket(nowNs, rejectedPerSecond.length()));
    }
  }

  @Override
  public void onRetried(long sequence, String reason, long nowNs) {
    if (valid(sequence)) {
      retriedByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }
  }

  /** Resubmissions after a passing refusal, by the refusal's reason code. */
  public Map<String, Long> retriedByReason() {
    Map<String, Long> out = new java.util.TreeMap<>();
    retriedByReason.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  /** Resubmissions after a passing refusal, in all. */
  public long retries() {
    long n = 0;
    for (LongAdder count : retriedByReason.values()) {
      n += count.sum();
    }
    return n;
  }

  @Override
  public void onCommitted(long sequence, long commitNs) {
    if (!valid(sequence)) {
      return;
    }
    byte before = (byte) STATE.getAndBitwiseOr(state, (int) sequence, (byte) COMMITTED);
    if ((before & COMMITTED) != 0) {
      STATE.getAndBitwiseOr(state, (int) sequence, (byte) DUPLICATE_COMMIT);
      return;
    }
    if ((before & REJECTED) == 0) {
      finished.incrementAndGet();
    }
    long latencyNs = Math.clamp(commitNs - intendedNs(sequence), 0, HIGHEST_NS);
    commitLatency.recordValue(latencyNs);
    if ((before & ACCEPTED) != 0) {
      acceptToCommit.recordValue(
          Math.clamp(commitNs - acceptedAtNs[(int) sequence], 0, HIGHEST_NS));
    }
    roundCommitLatency[roundOf(sequence)].recordValue(latencyNs);
    committedPerSecond.incrementAndGet(bucket(commitNs, committedPerSecond.length()));
    lastCommitNs.accumulateAndGet(commitNs, Math::max);
  }

  /** The round (top-level segment of a composite schedule) that {@code sequence} belongs to. */
  private int roundOf(long sequence) {
    int lo = 0;
    int hi = roundFirst.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (roundFirst[mid] <= sequence) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * Rounds of the run: the segments of a composite schedule (a workload file's rounds), else one.
   */
  public int rounds() {
    return roundFirst.length;
  }

  /** Commit latency from the intended send of the transactions of round {@code r}. */
  public Histogram roundCommitLatency(int r) {
    return roundCommitLatency[r];
  }

  /** Exact counts of round {@code r}'s transactions. Call after the target stopped. */
  public Tally roundTally(int r) {
    long end = r + 1 < roundFirst.length ? roundFirst[r + 1] : state.length;
    return tally(roundFirst[r], end, false);
  }

  private boolean valid(long sequence) {
    return sequence >= 0 && sequence < submitted;
  }

  private int bucket(long nowNs, int buckets) {
    long index = (nowNs - startNs) / BUCKET_NS;
    return (int) Math.clamp(index, 0, buckets - 1);
  }

  /** Submitted transactions not yet committed or rejected. */
  public long outstanding() {
    return submitted - finished.get();
  }

  /** Last commit time seen, or {@code Long.MIN_VALUE}. */
  public long lastCommitNs() {
    return lastCommitNs.get();
  }

  public Histogram commitLatency() {
    return commitLatency;
  }

  public Histogram acceptLatency() {
    return acceptLatency;
  }

  /**
   * From the acceptance to the commit of each committed transaction whose acceptance was heard
   * first: how long accepted work waits in the system, without the time a refused transaction spent
   * being resubmitted.
   */
  public Histogram acceptToCommit() {
    return acceptToCommit;
  }

  public Histogram sendLag() {
    return sendLag;
  }

  /** Exact counts from the per-transaction states. Call after the target stopped. */
  public Tally tally() {
    return tally(0, state.length, true);
  }

  private Tally tally(long from, long to, boolean withReasons) {
    long sub = 0,
        acc = 0,
        rej = 0,
        com = 0,
        lost = 0,
        unanswered = 0,
        dup = 0,
        rejectedAfterAccept = 0;
    long n = Math.min(submitted, to);
    for (int i = (int) from; i < n; i++) {
      int s = (byte) STATE.getAcquire(state, i);
      if ((s & SUBMITTED) == 0) {
        continue;
      }
      sub++;
      boolean accepted = (s & (ACCEPTED | COMMITTED)) != 0;
      if (accepted) {
        acc++;
      }
      if ((s & COMMITTED) != 0) {
        com++;
      } else if ((s & REJECTED) != 0) {
        rej++;
        if ((s & ACCEPTED) != 0) {
          rejectedAfterAccept++;
        }
      } else if (accepted) {
        lost++;
      } else {
        unanswered++;
      }
      if ((s & DUPLICATE_COMMIT) != 0) {
        dup++;
      }
    }
    Map<String, Long> reasons = new TreeMap<>();
    if (withReasons) {
      rejectedByReason.forEach((reason, count) -> reasons.put(reason, count.sum()));
    }
    return new Tally(sub, acc, rej, reasons, rejectedAfterAccept, com, lost, unanswered, dup);
  }

  /**
   * Sequence numbers of committed transactions (for proof sampling). Call after the target stopped.
   */
  public java.util.List<Long> committedSequences() {
    java.util.List<Long> committed = new java.util.ArrayList<>();
    long n = submitted;
    for (int i = 0; i < n; i++) {
      if ((((byte) STATE.getAcquire(state, i)) & COMMITTED) != 0) {
        committed.add((long) i);
      }
    }
    return committed;
  }

  /**
   * Sequence numbers of lost transactions: accepted, never committed nor rejected. Call after the
   * target stopped.
   */
  public java.util.List<Long> lostSequences() {
    java.util.List<Long> lost = new java.util.ArrayList<>();
    long n = submitted;
    for (int i = 0; i < n; i++) {
      int s = (byte) STATE.getAcquire(state, i);
      if ((s & ACCEPTED) != 0 && (s & FINISHED) == 0) {
        lost.add((long) i);
      }
    }
    return lost;
  }

  /**
   * Sequence numbers of transactions accepted and then refused (the target answered a refusal after
   * the acceptance, e.g. a validator that dropped a held run as expired), not committed. Call after
   * the target stopped.
   */
  public java.util.List<Long> refusedAfterAcceptanceSequences() {
    java.util.List<Long> refused = new java.util.ArrayList<>();
    long n = submitted;
    for (int i = 0; i < n; i++) {
      int s = (byte) STATE.getAcquire(state, i);
      if ((s & ACCEPTED) != 0 && (s & REJECTED) != 0 && (s & COMMITTED) == 0) {
        refused.add((long) i);
      }
    }
    return refused;
  }

  /** Refusals that came after an acceptance, by the refusal's reason code. */
  public Map<String, Long> refusedAfterAcceptanceByReason() {
    Map<String, Long> out = new TreeMap<>();
    refusedAfterAcceptanceByReason.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  /**
   * What became of {@code sequence}, in words: committed, rejected, accepted and not committed,
   * sent and unanswered, or not sent. Call after the target stopped.
   */
  public String fate(long sequence) {
    if (sequence < 0 || sequence >= submitted) {
      return "not sent";
    }
    int s = (byte) STATE.getAcquire(state, (int) sequence);
    if ((s & COMMITTED) != 0) {
      return "committed";
    }
    if ((s & REJECTED) != 0) {
      return (s & ACCEPTED) != 0 ? "accepted, then refused" : "refused";
    }
    if ((s & ACCEPTED) != 0) {
      return "accepted, not committed";
    }
    return (s & SUBMITTED) != 0 ? "sent, unanswered" : "not sent";
  }

  /** Committed, rejected and submitted transactions per second of the run. */
  public long[][] timeline() {
    int n = submittedPerSecond.length;
    long[][] rows = new long[n][];
    for (int i = 0; i < n; i++) {
      rows[i] =
          new long[] {
            i, submittedPerSecond[i], committedPerSecond.get(i), rejectedPerSecond.get(i)
          };
    }
    return rows;
  }

  /**
   * Exact outcome counts.
   *
   * @param submitted handed to the target
   * @param accepted admitted by the target (or committed without an acceptance callback)
   * @param rejected refused (at admission or later), never committed
   * @param rejectedByReason rejections by reason code
   * @param rejectedAfterAccept rejected after having been accepted (e.g. a bad signature found
   *     after admission)
   * @param committed committed
   * @param lost accepted, never committed nor rejected
   * @param unanswered submitted, with no answer at all
   * @param duplicateCommits transactions reported committed more than once
   */
  public record Tally(
      long submitted,
      long accepted,
      long rejected,
      Map<String, Long> rejectedByReason,
      long rejectedAfterAccept,
      long committed,
      long lost,
      long unanswered,
      long duplicateCommits) {
    /** Rejections whose reason marks shed load. */
    public long overloadRejections() {
      return rejectedByReason.entrySet().stream()
          .filter(e -> e.getKey().startsWith(LoadTarget.OVERLOAD_PREFIX))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }
}
