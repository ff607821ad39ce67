package dev.agentledger.bench.demo;

/**
 * When the demo's warm-up load may stop: every validator's JIT compiler threads have stayed quiet
 * <em>under that load</em> for a window of seconds, or a cap has passed. The caller keeps the
 * warm-up load running, samples each validator's compiler-thread CPU time ({@link
 * NativeThreadCpu#JIT}, from {@code /proc}) about once a second and hands the totals to {@link
 * #sample}; when the state is no longer {@link State#RUNNING} it stops sending.
 *
 * <p>The warm-up is <em>quiet</em> at a sample when, over the last {@link #WINDOW_INTERVALS}
 * intervals, every validator's compiler threads used less than {@link #QUIET_FRACTION} of a core:
 * the hot paths of the load have reached their thresholds and been compiled. It ends {@link
 * State#QUIET} at the first quiet sample at or after the minimum, and {@link State#CAPPED} at the
 * first sample at or after the cap that is not quiet. A window, not single intervals in a row:
 * compilations come in bursts, and a few empty seconds between two bursts are not the end of them.
 * With the cap equal to the minimum the warm-up has a fixed length, and the state says whether the
 * JIT was quiet at its end. Nothing is timed but the intervals themselves, so the decision holds on
 * a machine of any speed.
 *
 * <p>Past the minimum the warm-up also stops when its load queues up ({@link #backlogged}): more
 * than {@link #BACKLOG_SECONDS} seconds of the offered rate sent and not yet answered. The cluster
 * then commits less than it is offered, and a longer warm-up would only lengthen the queue the
 * drain has to clear, and carry it into the measured run.
 */
public final class WarmupEnd {
  /** Where a warm-up stands. */
  public enum State {
    /** Go on sending. */
    RUNNING,
    /** The compiler threads were quiet under load over the last window, at or past the minimum. */
    QUIET,
    /** The cap passed before they were. */
    CAPPED
  }

  /** Compiler-thread CPU below this fraction of the window's wall time makes a validator quiet. */
  public static final double QUIET_FRACTION = 0.05;

  /** Intervals in the window over which every validator must be quiet. */
  public static final int WINDOW_INTERVALS = 5;

  /** Seconds of the offered rate outstanding that make the warm-up's load a queue. */
  public static final double BACKLOG_SECONDS = 5;

  /**
   * The report's name for why a warm-up ended: {@code fixed} (its length was fixed), {@code
   * jit-quiet}, {@code backlog} (its load queued up before the compilers were quiet) or {@code
   * cap}.
   */
  public static String endKey(boolean fixed, State state, boolean backlogged) {
    if (fixed) {
      return "fixed";
    }
    if (state == State.QUIET) {
      return "jit-quiet";
    }
    return backlogged ? "backlog" : "cap";
  }

  private final long minNs;
  private final long maxNs;
  private final long[] first;
  private final long[] last;

  /** The last {@code WINDOW_INTERVALS + 1} samples: elapsed time and each validator's total. */
  private final long[] ringElapsed = new long[WINDOW_INTERVALS + 1];

  private final long[][] ringJit;
  private int samples;
  private long elapsedNs;
  private State state = State.RUNNING;

  /**
   * @param minNs the shortest warm-up (at least 0)
   * @param maxNs the longest; a value below {@code minNs} is taken as {@code minNs} (a fixed
   *     length)
   * @param startJitNs each validator's compiler-thread CPU total when the warm-up load begins
   */
  public WarmupEnd(long minNs, long maxNs, long[] startJitNs) {
    if (minNs < 0) {
      throw new IllegalArgumentException("the warm-up minimum must be at least 0 ns, got " + minNs);
    }
    if (startJitNs.length == 0) {
      throw new IllegalArgumentException("no validators to watch");
    }
    this.minNs = minNs;
    this.maxNs = Math.max(minNs, maxNs);
    this.first = startJitNs.clone();
    this.last = startJitNs.clone();
    this.ringJit = new long[WINDOW_INTERVALS + 1][startJitNs.length];
    System.arraycopy(startJitNs, 0, ringJit[0], 0, startJitNs.length);
  }

  /**
   * Takes one interval's readings.
   *
   * @param elapsedNs wall time since the warm-up load began; more than at the previous sample
   * @param jitNs each validator's compiler-thread CPU total now (in the constructor's order)
   * @return the state after this sample; once not {@link State#RUNNING} it stays so
   */
  public State sample(long elapsedNs, long[] jitNs) {
    if (state != State.RUNNING) {
      return state;
    }
    if (elapsedNs <= ringElapsed[samples % ringElapsed.length] || jitNs.length != last.length) {
      throw new IllegalArgumentException(
          "a sample at "
              + elapsedNs
              + " ns after one at "
              + ringElapsed[samples % ringElapsed.length]
              + " ns, "
              + jitNs.length
              + " readings for "
              + last.length
              + " validators");
    }
    samples++;
    this.elapsedNs = elapsedNs;
    int slot = samples % ringElapsed.length;
    ringElapsed[slot] = elapsedNs;
    for (int v = 0; v < jitNs.length; v++) {
      // a total never goes down; a smaller reading is a compiler thread that ended
      last[v] = Math.max(last[v], jitNs[v]);
      ringJit[slot][v] = last[v];
    }
    boolean quiet = quiet();
    if (quiet && elapsedNs >= minNs) {
      state = State.QUIET;
    } else if (elapsedNs >= maxNs) {
      state = State.CAPPED;
    }
    return state;
  }

  /**
   * Whether the warm-up's load is queueing up: more than {@link #BACKLOG_SECONDS} of {@code
   * ratePerSecond} sent and not yet answered.
   */
  public static boolean backlogged(long outstanding, double ratePerSecond) {
    return outstanding > BACKLOG_SECONDS * ratePerSecond;
  }

  /** Whether every validator used under {@link #QUIET_FRACTION} of a core over the full window. */
  private boolean quiet() {
    if (samples < WINDOW_INTERVALS) {
      return false;
    }
    double[] shares = windowShares();
    for (double share : shares) {
      if (share >= QUIET_FRACTION) {
        return false;
      }
    }
    return true;
  }

  /**
   * Each validator's compiler-thread CPU over the last (up to {@link #WINDOW_INTERVALS}) intervals,
   * as a fraction of one core; zeros before the first sample.
   */
  public double[] windowShares() {
    double[] shares = new double[last.length];
    if (samples == 0) {
      return shares;
    }
    int span = Math.min(samples, WINDOW_INTERVALS);
    int newest = samples % ringElapsed.length;
    int oldest = (samples - span) % ringElapsed.length;
    long wall = ringElapsed[newest] - ringElapsed[oldest];
    for (int v = 0; v < shares.length; v++) {
      shares[v] = (double) (ringJit[newest][v] - ringJit[oldest][v]) / wall;
    }
    return shares;
  }

  public State state() {
    return state;
  }

  /** Wall time since the warm-up load began, at the last sample. */
  public long elapsedNs() {
    return elapsedNs;
  }

  /** The longest warm-up: the cap given, or the minimum when the cap was below it. */
  public long maxNs() {
    return maxNs;
  }

  /** Samples taken so far. */
  public int samples() {
    return samples;
  }

  /** Each validator's compiler-thread CPU since the warm-up began, in nanoseconds. */
  public long[] usedNs() {
    long[] used = new long[last.length];
    for (int v = 0; v < used.length; v++) {
      used[v] = last[v] - first[v];
    }
    return used;
  }
}
