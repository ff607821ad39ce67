package dev.agentledger.node.worker.core;

/**
 * Admission bounded by queueing delay: whether this validator admits new submissions, decided from
 * how long the work it has already accepted will take to commit at the rate it is committing now
 * (Little's law: delay = work queued / throughput). Pure: the caller passes the time, the queued
 * work and the count of executed transactions in; single writer ({@link #update}), readers on any
 * thread ({@link #isOpen} and the counters are volatile). Composes with {@link ExecutionBacklog}:
 * the node admits only while both are open; this gate never pauses sealing (sealing is how the
 * queue drains).
 *
 * <p><b>Queued work.</b> What must be executed here before a run accepted now is: {@code
 * queuedRuns} as the caller counts it (the node: {@code validators x} its own admitted runs not yet
 * ordered, that is in the verify stage, ready in the mempool, sealed and not certified, certified
 * and not ordered, plus every run ordered and not executed; its own runs are about one in {@code
 * validators} of what the committee orders, so each of them waits behind that many).
 *
 * <p><b>Commit rate.</b> Executed transactions per second over the last {@link #WINDOW_NS} (one
 * sample every {@link #SAMPLE_NS}), so a burst of large commits does not swing it. The bound
 * follows from the rate alone, so it is recomputed with each sample; an {@link #update} between
 * samples compares and stores, nothing more.
 *
 * <p><b>Rule, with hysteresis.</b> The bound is {@code max(floorRuns, rate x targetDelay)}.
 * Admission closes when the queued work exceeds the bound and opens again once it is down to half
 * of it, or empty. The floor keeps a validator that has committed nothing yet (start, idle) open
 * for a first load.
 */
public final class QueueDelayGate {
  /** Time between two rate samples. */
  public static final long SAMPLE_NS = 250_000_000L;

  /** The rate is taken over this much of the past (at most). */
  public static final long WINDOW_NS = 4_000_000_000L;

  private static final int SAMPLES = (int) (WINDOW_NS / SAMPLE_NS) + 1;

  /**
   * @param targetDelayMs the queueing delay at which admission closes, in ms (0: never closes)
   * @param floorRuns queued work under which admission never closes, in transactions (at least 1)
   */
  public record Limits(long targetDelayMs, long floorRuns) {
    /**
     * A few seconds from acceptance to commit: on the 2-core demo machine the pipeline alone (seal,
     * certify, order, execute) takes about one second under load.
     */
    public static final long DEFAULT_TARGET_DELAY_MS = 2_000;

    /** About one worker batch per validator of a 4-validator committee. */
    public static final long DEFAULT_FLOOR_RUNS = 4_000;

    public Limits {
      if (targetDelayMs < 0 || targetDelayMs > 600_000) {
        throw new IllegalArgumentException("the admission delay target must be 0..600000 ms");
      }
      if (floorRuns < 1) {
        throw new IllegalArgumentException("the admission floor must be at least 1 run");
      }
    }

    public static Limits defaults() {
      return new Limits(DEFAULT_TARGET_DELAY_MS, DEFAULT_FLOOR_RUNS);
    }

    /** Whether the gate can close at all. */
    public boolean enabled() {
      return targetDelayMs > 0;
    }
  }

  private final Limits limits;
  private final long[] sampleNs = new long[SAMPLES];
  private final long[] sampleExecuted = new long[SAMPLES];
  private int samples;
  private int newest = -1;

  private volatile boolean open = true;
  private volatile long queuedRuns;
  private volatile long ratePerSec;
  private volatile long boundRuns;
  private volatile long closures;

  public QueueDelayGate(Limits limits) {
    this.limits = limits;
    this.boundRuns = limits.floorRuns();
  }

  /**
   * Takes the queued work and the executed count at {@code nowNs} and decides.
   *
   * @param queuedRuns work queued ahead of a run accepted now, in transactions (negative: 0)
   * @param executedTotal transactions executed since start (monotonic)
   * @return whether admission is open
   */
  public boolean update(long nowNs, long queuedRuns, long executedTotal) {
    sample(nowNs, executedTotal);
    long queued = Math.max(0, queuedRuns);
    this.queuedRuns = queued;
    if (!limits.enabled()) {
      return true;
    }
    long bound = boundRuns; // follows the rate: recomputed only when a sample changes it
    if (open) {
      if (queued > bound) {
        open = false;
        closures++;
      }
    } else if (queued == 0 || queued <= bound / 2) {
      open = true;
    }
    return open;
  }

  private void sample(long nowNs, long executedTotal) {
    if (newest >= 0 && nowNs - sampleNs[newest] < SAMPLE_NS) {
      return;
    }
    newest = (newest + 1) % SAMPLES;
    sampleNs[newest] = nowNs;
    sampleExecuted[newest] = executedTotal;
    if (samples < SAMPLES) {
      samples++;
    }
    int oldest = samples < SAMPLES ? 0 : (newest + 1) % SAMPLES;
    long spanNs = nowNs - sampleNs[oldest];
    long rate =
        spanNs <= 0
            ? 0
            : Math.max(0, (executedTotal - sampleExecuted[oldest]) * 1_000_000_000L / spanNs);
    ratePerSec = rate;
    boundRuns = bound(limits, rate);
  }

  /**
   * The queued work at which admission closes at {@code rate} executed transactions per second:
   * {@code max(floorRuns, rate x targetDelay)}.
   */
  static long bound(Limits limits, long rate) {
    // rate <= 10^12 per second and the target <= 600,000 ms: the product fits a long.
    return Math.max(
        limits.floorRuns(), Math.min(rate, 1_000_000_000_000L) * limits.targetDelayMs() / 1000);
  }

  /** Whether submissions are admitted (any thread). */
  public boolean isOpen() {
    return open;
  }

  public Limits limits() {
    return limits;
  }

  /** The queued work at the last {@link #update}, in transactions. */
  public long queuedRuns() {
    return queuedRuns;
  }

  /** Executed transactions per second over the window. */
  public long ratePerSec() {
    return ratePerSec;
  }

  /** The queued work at which admission closes, in transactions. */
  public long boundRuns() {
    return boundRuns;
  }

  /**
   * The queueing delay the queued work means at the measured rate, in ms ({@code Long.MAX_VALUE}
   * with work queued and nothing executed over the window; 0 with nothing queued).
   */
  public long estimatedDelayMs() {
    long queued = queuedRuns;
    long rate = ratePerSec;
    if (queued == 0) {
      return 0;
    }
    return rate == 0 ? Long.MAX_VALUE : queued * 1000 / rate;
  }

  /** How often the gate closed since start. */
  public long closures() {
    return closures;
  }
}
