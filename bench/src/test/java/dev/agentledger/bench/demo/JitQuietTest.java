package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JitQuietTest {
  private static final long S = 1_000_000_000L;

  @Test
  void settlesAfterTwoQuietIntervalsOfEveryValidator() {
    JitQuiet q = new JitQuiet(60 * S, new long[] {0, 0});
    // v1 compiles for half a core during the first interval
    assertThat(q.sample(S, S, new long[] {0, S / 2})).isEqualTo(JitQuiet.State.WAITING);
    assertThat(q.sample(2 * S, S, new long[] {S / 100, S / 2})).isEqualTo(JitQuiet.State.WAITING);
    assertThat(q.sample(3 * S, S, new long[] {S / 50, S / 2 + S / 100}))
        .isEqualTo(JitQuiet.State.SETTLED);
    assertThat(q.intervals()).isEqualTo(3);
    assertThat(q.usedNs()).containsExactly(S / 50, S / 2 + S / 100);
    // settled stays settled
    assertThat(q.sample(4 * S, S, new long[] {S, S})).isEqualTo(JitQuiet.State.SETTLED);
  }

  @Test
  void aBusyIntervalRestartsTheCount() {
    JitQuiet q = new JitQuiet(60 * S, new long[] {0});
    q.sample(S, S, new long[] {0});
    assertThat(q.sample(2 * S, S, new long[] {S / 10})).isEqualTo(JitQuiet.State.WAITING);
    assertThat(q.sample(3 * S, S, new long[] {S / 10})).isEqualTo(JitQuiet.State.WAITING);
    assertThat(q.sample(4 * S, S, new long[] {S / 10})).isEqualTo(JitQuiet.State.SETTLED);
  }

  @Test
  void capsWhenTheCompilerStaysBusy() {
    JitQuiet q = new JitQuiet(3 * S, new long[] {0});
    assertThat(q.sample(S, S, new long[] {S / 5})).isEqualTo(JitQuiet.State.WAITING);
    assertThat(q.sample(2 * S, S, new long[] {2 * S / 5})).isEqualTo(JitQuiet.State.WAITING);
    assertThat(q.sample(3 * S, S, new long[] {3 * S / 5})).isEqualTo(JitQuiet.State.CAPPED);
  }

  @Test
  void refusesBadReadings() {
    assertThatThrownBy(() -> new JitQuiet(0, new long[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JitQuiet(S, new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
    JitQuiet q = new JitQuiet(S, new long[] {0, 0});
    assertThatThrownBy(() -> q.sample(S, S, new long[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> q.sample(S, 0, new long[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
