package dev.agentledger.node.runtime.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.runtime.core.JitSettling.State;
import org.junit.jupiter.api.Test;

/** The warm-up's stopping rule, on measurements given by hand. */
class JitSettlingTest {
  private static final long ROUND = 250_000_000L;
  private static final long CAP = 30_000_000_000L;

  /** Runs rounds of {@link #ROUND} with the given compilation totals and no other CPU. */
  private static State rounds(JitSettling s, long... compileMs) {
    State state = s.state();
    for (long c : compileMs) {
      state = s.round((s.rounds() + 1) * ROUND, ROUND, c, 0);
    }
    return state;
  }

  @Test
  void settlesAfterTwoQuietRoundsInARow() {
    JitSettling s = new JitSettling(CAP, 100);
    assertThat(rounds(s, 400, 900, 1200)).isEqualTo(State.RUNNING);
    assertThat(rounds(s, 1200)).isEqualTo(State.RUNNING);
    assertThat(rounds(s, 1200)).isEqualTo(State.SETTLED);
    assertThat(s.rounds()).isEqualTo(5);
  }

  @Test
  void aCompilationThatFinishesStartsTheCountAgain() {
    JitSettling s = new JitSettling(CAP, 0);
    assertThat(rounds(s, 10, 20, 20, 25, 25)).isEqualTo(State.RUNNING);
    assertThat(s.quietRounds()).isEqualTo(1);
    assertThat(rounds(s, 25)).isEqualTo(State.SETTLED);
  }

  @Test
  void neverSettlesBeforeTheMinimumRounds() {
    JitSettling s = new JitSettling(CAP, 7);
    assertThat(rounds(s, 7)).isEqualTo(State.RUNNING);
    assertThat(rounds(s, 7)).isEqualTo(State.RUNNING);
    assertThat(s.quietRounds()).isEqualTo(JitSettling.QUIET_ROUNDS);
    assertThat(rounds(s, 7)).isEqualTo(State.SETTLED);
    assertThat(s.rounds()).isEqualTo(JitSettling.MIN_ROUNDS);
  }

  @Test
  void otherThreadsBusyMakeARoundNotQuiet() {
    JitSettling s = new JitSettling(CAP, 0);
    long busy = (long) (JitSettling.BUSY_FRACTION * ROUND) + 1;
    long idle = (long) (JitSettling.BUSY_FRACTION * ROUND);
    for (int i = 1; i <= 6; i++) {
      assertThat(s.round(i * ROUND, ROUND, 0, busy)).isEqualTo(State.RUNNING);
    }
    assertThat(s.round(7 * ROUND, ROUND, 0, idle)).isEqualTo(State.RUNNING);
    assertThat(s.round(8 * ROUND, ROUND, 0, idle)).isEqualTo(State.SETTLED);
  }

  @Test
  void capsAJitThatKeepsCompiling() {
    JitSettling s = new JitSettling(4 * ROUND, 0);
    assertThat(rounds(s, 1, 2, 3)).isEqualTo(State.RUNNING);
    assertThat(rounds(s, 4)).isEqualTo(State.CAPPED);
    assertThat(rounds(s, 4, 4, 4)).as("final").isEqualTo(State.CAPPED);
    assertThat(s.rounds()).isEqualTo(4);
  }

  @Test
  void settlingInTheRoundThatReachesTheCapCountsAsSettled() {
    JitSettling s = new JitSettling(3 * ROUND, 5);
    assertThat(rounds(s, 5, 5, 5)).isEqualTo(State.SETTLED);
  }

  @Test
  void aRoundLongerThanTheCapEndsIt() {
    JitSettling s = new JitSettling(1, 0);
    assertThat(s.round(ROUND, ROUND, 10, 0)).isEqualTo(State.CAPPED);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> new JitSettling(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 ns");
    JitSettling s = new JitSettling(CAP, 0);
    assertThatThrownBy(() -> s.round(10, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.round(10, 20, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
