package dev.agentledger.node.worker.core;

/**
 * Backpressure from execution to ingress: whether this validator admits new submissions and seals
 * new batches, decided from its execution backlog (transactions in commits that consensus has
 * written and execution has not yet applied) and from its heap after the last garbage collection.
 * Pure: the caller passes both numbers in; single writer ({@link #update}), readers on any thread
 * ({@link #isOpen} and the counters are volatile). The caller counts its refusals.
 *
 * <p><b>Rule, with hysteresis.</b> Admission closes when the backlog reaches {@link
 * Limits#maxRuns}, or when the heap after the last collection reaches {@link Limits#heapPercent} of
 * the maximum heap while anything is backlogged. It opens again once the backlog is down to {@link
 * Limits#lowRuns} (half of the bound) and the heap is under {@link Limits#heapLowPercent} (ten
 * points lower), or the backlog is empty. A closed gate lets consensus go on ordering what is
 * already certified and execution go on applying it: it stops only the intake, so the backlog can
 * only shrink while it is closed, except for what is already sealed or in flight.
 *
 * <p>An empty backlog always opens the gate, whatever the heap says: a heap held by something else
 * (bounded buffers, retained state versions) is not made worse by admitting, and refusing then
 * would never end.
 */
public final class ExecutionBacklog {

  /** Why the gate is closed. */
  public enum Reason {
    /** Open. */
    NONE,
    /** The backlog reached {@link Limits#maxRuns}. */
    RUNS,
    /** The heap after the last collection reached {@link Limits#heapPercent}. */
    HEAP
  }

  /**
   * @param maxRuns committed-but-unexecuted transactions at which admission closes (at least 2)
   * @param heapPercent heap used after the last collection, in percent of the maximum heap, at
   *     which admission closes while anything is backlogged (11..100; 100: the heap never closes
   *     it)
   */
  public record Limits(long maxRuns, int heapPercent) {
    /** Transactions: about 2 s of execution at the rate measured on the demo machine. */
    public static final long DEFAULT_MAX_RUNS = 20_000;

    /** Percent of the maximum heap. */
    public static final int DEFAULT_HEAP_PERCENT = 70;

    public Limits {
      if (maxRuns < 2) {
        throw new IllegalArgumentException("the execution backlog bound must be at least 2 runs");
      }
      if (heapPercent < 11 || heapPercent > 100) {
        throw new IllegalArgumentException("the backlog heap percent must be 11..100");
      }
    }

    public static Limits defaults() {
      return new Limits(DEFAULT_MAX_RUNS, DEFAULT_HEAP_PERCENT);
    }

    /** The backlog at or under which a gate closed for it opens again: half the bound. */
    public long lowRuns() {
      return maxRuns / 2;
    }

    /** The heap percent under which a gate closed for the heap opens again: ten points lower. */
    public int heapLowPercent() {
      return heapPercent - 10;
    }
  }

  private final Limits limits;
  private final long heapLimitBytes;
  private final long heapLowBytes;

  private volatile Reason closedFor = Reason.NONE;
  private volatile long backlogRuns;
  private volatile long highWaterRuns;
  private volatile long closures;

  /**
   * @param maxHeapBytes the maximum heap ({@code Runtime.maxMemory()}); {@link Limits#heapPercent}
   *     is taken of it
   */
  public ExecutionBacklog(Limits limits, long maxHeapBytes) {
    if (maxHeapBytes < 1) {
      throw new IllegalArgumentException("the maximum heap must be positive");
    }
    this.limits = limits;
    this.heapLimitBytes =
        limits.heapPercent() >= 100 ? Long.MAX_VALUE : maxHeapBytes / 100 * limits.heapPercent();
    this.heapLowBytes =
        limits.heapPercent() >= 100 ? Long.MAX_VALUE : maxHeapBytes / 100 * limits.heapLowPercent();
  }

  /**
   * Takes the current backlog and heap and decides; returns whether admission is open.
   *
   * @param backlogRuns transactions in written commits not yet executed (negative is read as 0)
   * @param heapAfterGcBytes heap used after the last garbage collection (0: unknown)
   */
  public boolean update(long backlogRuns, long heapAfterGcBytes) {
    long runs = Math.max(0, backlogRuns);
    this.backlogRuns = runs;
    if (runs > highWaterRuns) {
      highWaterRuns = runs;
    }
    Reason now = closedFor;
    if (now == Reason.NONE) {
      if (runs >= limits.maxRuns()) {
        close(Reason.RUNS);
      } else if (runs > 0 && heapAfterGcBytes >= heapLimitBytes) {
        close(Reason.HEAP);
      }
    } else if (runs == 0 || (runs <= limits.lowRuns() && heapAfterGcBytes < heapLowBytes)) {
      closedFor = Reason.NONE;
    }
    return closedFor == Reason.NONE;
  }

  private void close(Reason reason) {
    closedFor = reason;
    closures++;
  }

  /** Whether submissions are admitted and batches sealed (any thread). */
  public boolean isOpen() {
    return closedFor == Reason.NONE;
  }

  /** Why admission is closed ({@link Reason#NONE} while open). */
  public Reason closedFor() {
    return closedFor;
  }

  /** The backlog at the last {@link #update}. */
  public long backlogRuns() {
    return backlogRuns;
  }

  /** The largest backlog seen by {@link #update} since start. */
  public long highWaterRuns() {
    return highWaterRuns;
  }

  /** How often the gate closed since start. */
  public long closures() {
    return closures;
  }

  public Limits limits() {
    return limits;
  }

  /** The heap after collection at which the gate closes, in bytes (Long.MAX_VALUE: never). */
  public long heapLimitBytes() {
    return heapLimitBytes;
  }
}
