package dev.agentledger.node.runtime.core;

/**
 * When a start-up warm-up may stop: the JIT has settled, or the cap has passed. The caller runs the
 * hot code in rounds and, after each, reports the JIT's total compilation time ({@code
 * CompilationMXBean.getTotalCompilationTime()}, milliseconds) and the CPU time that threads other
 * than its own used during the round (the compiler threads, while they compile).
 *
 * <p>A round is <em>quiet</em> when the compilation total did not move during it and the other
 * threads used less than {@link #BUSY_FRACTION} of the round's wall time: no compilation finished
 * and none was running for long. The warm-up has <em>settled</em> after {@link #QUIET_ROUNDS} quiet
 * rounds in a row, and never before {@link #MIN_ROUNDS} rounds (the first rounds only trigger the
 * compilations). Past the cap it is <em>capped</em>, settled or not. No timing of the hot code
 * itself is compared, so the decision does not depend on how fast the machine is.
 */
public final class JitSettling {
  /** Where a warm-up stands. */
  public enum State {
    RUNNING,
    SETTLED,
    CAPPED
  }

  /** Rounds before the warm-up may settle. */
  public static final int MIN_ROUNDS = 3;

  /** Quiet rounds in a row that settle the warm-up. */
  public static final int QUIET_ROUNDS = 2;

  /** Other threads' CPU above this fraction of a round's wall time makes the round busy. */
  public static final double BUSY_FRACTION = 0.10;

  private final long capNs;
  private long compileMs;
  private int rounds;
  private int quiet;
  private State state = State.RUNNING;

  /**
   * @param capNs the longest warm-up (at least 1)
   * @param startCompileMs the compilation total before the first round
   */
  public JitSettling(long capNs, long startCompileMs) {
    if (capNs < 1) {
      throw new IllegalArgumentException("the warm-up cap must be at least 1 ns, got " + capNs);
    }
    this.capNs = capNs;
    this.compileMs = startCompileMs;
  }

  /**
   * Takes the measurements after one round.
   *
   * @param elapsedNs wall time since the warm-up began
   * @param roundNs wall time of this round (at least 1)
   * @param compileMs the compilation total now
   * @param otherCpuNs CPU time of the process's other threads during this round
   * @return the state after this round; once not {@link State#RUNNING} it stays so
   */
  public State round(long elapsedNs, long roundNs, long compileMs, long otherCpuNs) {
    if (state != State.RUNNING) {
      return state;
    }
    if (roundNs < 1 || elapsedNs < roundNs) {
      throw new IllegalArgumentException(
          "round of " + roundNs + " ns within " + elapsedNs + " ns elapsed");
    }
    rounds++;
    boolean moved = compileMs != this.compileMs;
    this.compileMs = compileMs;
    boolean busy = otherCpuNs > BUSY_FRACTION * roundNs;
    quiet = moved || busy ? 0 : quiet + 1;
    if (rounds >= MIN_ROUNDS && quiet >= QUIET_ROUNDS) {
      state = State.SETTLED;
    } else if (elapsedNs >= capNs) {
      state = State.CAPPED;
    }
    return state;
  }

  public State state() {
    return state;
  }

  /** Rounds taken so far. */
  public int rounds() {
    return rounds;
  }

  /** Quiet rounds in a row so far. */
  public int quietRounds() {
    return quiet;
  }
}
