package dev.agentledger.bench.demo;

/**
 * When the demo may start its measured run after the warm-up: every validator's JIT compiler
 * threads have gone quiet, or a cap has passed. The caller samples each validator's compiler-thread
 * CPU time ({@link NativeThreadCpu#JIT}, from {@code /proc}) about once a second, with no load
 * offered, and hands the totals to {@link #sample}.
 *
 * <p>An interval is <em>quiet</em> when every validator's compiler threads used less than {@link
 * #QUIET_FRACTION} of a core during it: the compilations the warm-up's load queued have finished.
 * The wait has <em>settled</em> after {@link #QUIET_INTERVALS} quiet intervals in a row; past the
 * cap it is <em>capped</em>. Nothing is timed but the intervals themselves, so the decision holds
 * on a machine of any speed.
 */
public final class JitQuiet {
  /** Where a wait stands. */
  public enum State {
    WAITING,
    SETTLED,
    CAPPED
  }

  /** Compiler-thread CPU below this fraction of an interval's wall time makes it quiet. */
  public static final double QUIET_FRACTION = 0.05;

  /** Quiet intervals in a row that settle the wait. */
  public static final int QUIET_INTERVALS = 2;

  private final long capNs;
  private final long[] last;
  private final long[] first;
  private int quiet;
  private int intervals;
  private State state = State.WAITING;

  /**
   * @param capNs the longest wait (at least 1)
   * @param startJitNs each validator's compiler-thread CPU total when the wait begins
   */
  public JitQuiet(long capNs, long[] startJitNs) {
    if (capNs < 1) {
      throw new IllegalArgumentException("the JIT settle cap must be at least 1 ns, got " + capNs);
    }
    if (startJitNs.length == 0) {
      throw new IllegalArgumentException("no validators to watch");
    }
    this.capNs = capNs;
    this.last = startJitNs.clone();
    this.first = startJitNs.clone();
  }

  /**
   * Takes one interval's readings.
   *
   * @param elapsedNs wall time since the wait began
   * @param intervalNs wall time of this interval (at least 1)
   * @param jitNs each validator's compiler-thread CPU total now (in the constructor's order)
   * @return the state after this interval; once not {@link State#WAITING} it stays so
   */
  public State sample(long elapsedNs, long intervalNs, long[] jitNs) {
    if (state != State.WAITING) {
      return state;
    }
    if (intervalNs < 1 || elapsedNs < intervalNs || jitNs.length != last.length) {
      throw new IllegalArgumentException(
          "interval of "
              + intervalNs
              + " ns within "
              + elapsedNs
              + " ns elapsed, "
              + jitNs.length
              + " readings for "
              + last.length
              + " validators");
    }
    intervals++;
    boolean busy = false;
    for (int v = 0; v < jitNs.length; v++) {
      busy |= jitNs[v] - last[v] >= QUIET_FRACTION * intervalNs;
      last[v] = Math.max(last[v], jitNs[v]);
    }
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= QUIET_INTERVALS) {
      state = State.SETTLED;
    } else if (elapsedNs >= capNs) {
      state = State.CAPPED;
    }
    return state;
  }

  public State state() {
    return state;
  }

  /** Intervals sampled so far. */
  public int intervals() {
    return intervals;
  }

  /** Each validator's compiler-thread CPU since the wait began, in nanoseconds. */
  public long[] usedNs() {
    long[] used = new long[last.length];
    for (int v = 0; v < used.length; v++) {
      used[v] = last[v] - first[v];
    }
    return used;
  }
}
