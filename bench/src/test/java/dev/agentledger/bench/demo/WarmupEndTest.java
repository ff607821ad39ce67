package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WarmupEndTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  /** Feeds one sample a second, each validator's compiler using {@code msPerS[v]} ms of it. */
  private static WarmupEnd.State feed(WarmupEnd w, long[] totals, int second, long... msPerS) {
    for (int v = 0; v < totals.length; v++) {
      totals[v] += msPerS[v] * MS;
    }
    return w.sample(second * S, totals.clone());
  }

  @Test
  void theReportNamesWhyTheWarmupEnded() {
    assertThat(WarmupEnd.endKey(true, WarmupEnd.State.QUIET, true)).isEqualTo("fixed");
    assertThat(WarmupEnd.endKey(false, WarmupEnd.State.QUIET, false)).isEqualTo("jit-quiet");
    assertThat(WarmupEnd.endKey(false, WarmupEnd.State.RUNNING, true)).isEqualTo("backlog");
    assertThat(WarmupEnd.endKey(false, WarmupEnd.State.CAPPED, false)).isEqualTo("cap");
  }

  @Test
  void endsAtTheMinimumWhenTheCompilersWereAlreadyQuiet() {
    WarmupEnd w = new WarmupEnd(20 * S, 90 * S, new long[] {0, 0});
    long[] t = new long[2];
    for (int s = 1; s < 20; s++) {
      assertThat(feed(w, t, s, 10, 20)).isEqualTo(WarmupEnd.State.RUNNING);
    }
    assertThat(feed(w, t, 20, 10, 20)).isEqualTo(WarmupEnd.State.QUIET);
    assertThat(w.elapsedNs()).isEqualTo(20 * S);
    assertThat(w.usedNs()).containsExactly(200 * MS, 400 * MS);
    assertThat(w.windowShares()[1]).isCloseTo(0.02, within(1e-9));
    // decided stays decided
    assertThat(feed(w, t, 21, 900, 900)).isEqualTo(WarmupEnd.State.QUIET);
  }

  @Test
  void goesOnPastTheMinimumWhileOneValidatorCompilesUnderLoad() {
    WarmupEnd w = new WarmupEnd(10 * S, 90 * S, new long[] {0, 0, 0, 0});
    long[] t = new long[4];
    // v2 compiles at 30% of a core until second 25; the others are quiet from the start
    for (int s = 1; s <= 25; s++) {
      assertThat(feed(w, t, s, 0, 10, 300, 0)).isEqualTo(WarmupEnd.State.RUNNING);
    }
    // the window (5 s) still holds busy seconds of v2 for four more samples ...
    for (int s = 26; s <= 29; s++) {
      assertThat(feed(w, t, s, 0, 10, 0, 0)).as("second %d", s).isEqualTo(WarmupEnd.State.RUNNING);
    }
    // ... and is quiet once all five of its seconds are
    assertThat(feed(w, t, 30, 0, 10, 0, 0)).isEqualTo(WarmupEnd.State.QUIET);
  }

  @Test
  void aWindowAveragesBurstsThatSingleQuietSecondsWouldMiss() {
    WarmupEnd w = new WarmupEnd(0, 60 * S, new long[] {0});
    long[] t = new long[1];
    // a burst of 300 ms every third second: two quiet seconds in a row again and again, but at
    // least 6% of a core over any 5 s
    for (int s = 1; s <= 30; s++) {
      assertThat(feed(w, t, s, s % 3 == 0 ? 300 : 0)).isEqualTo(WarmupEnd.State.RUNNING);
    }
  }

  @Test
  void theThresholdIsStrict() {
    WarmupEnd w = new WarmupEnd(0, 60 * S, new long[] {0});
    long[] t = new long[1];
    // exactly 5% of a core over the window is not quiet
    for (int s = 1; s <= 10; s++) {
      assertThat(feed(w, t, s, 50)).isEqualTo(WarmupEnd.State.RUNNING);
    }
    // one millisecond less in the newest second: 4.98% over the window, quiet
    assertThat(feed(w, t, 11, 49)).isEqualTo(WarmupEnd.State.QUIET);
  }

  @Test
  void capsWhenTheCompilersStayBusy() {
    WarmupEnd w = new WarmupEnd(5 * S, 8 * S, new long[] {0, 0});
    long[] t = new long[2];
    for (int s = 1; s < 8; s++) {
      assertThat(feed(w, t, s, 0, 100)).isEqualTo(WarmupEnd.State.RUNNING);
    }
    assertThat(feed(w, t, 8, 0, 100)).isEqualTo(WarmupEnd.State.CAPPED);
    assertThat(w.windowShares()).containsExactly(0.0, 0.1);
  }

  @Test
  void aCapBelowTheMinimumMakesAFixedLengthThatStillSaysWhetherItWasQuiet() {
    WarmupEnd busy = new WarmupEnd(6 * S, 0, new long[] {0});
    assertThat(busy.maxNs()).isEqualTo(6 * S);
    long[] t = new long[1];
    for (int s = 1; s < 6; s++) {
      assertThat(feed(busy, t, s, 100)).isEqualTo(WarmupEnd.State.RUNNING);
    }
    assertThat(feed(busy, t, 6, 100)).isEqualTo(WarmupEnd.State.CAPPED);

    WarmupEnd quiet = new WarmupEnd(6 * S, 0, new long[] {0});
    long[] q = new long[1];
    for (int s = 1; s < 6; s++) {
      feed(quiet, q, s, 0);
    }
    assertThat(feed(quiet, q, 6, 0)).isEqualTo(WarmupEnd.State.QUIET);
  }

  @Test
  void unevenIntervalsAreWeighedByTheirWallTime() {
    WarmupEnd w = new WarmupEnd(0, 60 * S, new long[] {0});
    // five samples over 10 s with 400 ms of compiling: 4% of a core, quiet
    long[] at = {2 * S, 4 * S, 6 * S, 8 * S, 10 * S};
    long total = 0;
    WarmupEnd.State state = null;
    for (long elapsed : at) {
      total += 80 * MS;
      state = w.sample(elapsed, new long[] {total});
    }
    assertThat(state).isEqualTo(WarmupEnd.State.QUIET);
    assertThat(w.windowShares()[0]).isCloseTo(0.04, within(1e-9));
  }

  @Test
  void aCompilerThreadThatEndedDoesNotCountAsNegativeWork() {
    WarmupEnd w = new WarmupEnd(0, 60 * S, new long[] {500 * MS});
    // the reading drops (a compiler thread exited with its time), then climbs again
    w.sample(S, new long[] {600 * MS});
    w.sample(2 * S, new long[] {100 * MS});
    w.sample(3 * S, new long[] {700 * MS});
    assertThat(w.usedNs()).containsExactly(200 * MS);
  }

  @Test
  void theLoadQueuesUpPastFiveSecondsOfItsRateOutstanding() {
    assertThat(WarmupEnd.backlogged(7_500, 1500)).isFalse();
    assertThat(WarmupEnd.backlogged(7_501, 1500)).isTrue();
    assertThat(WarmupEnd.backlogged(39_000, 8000)).isFalse();
    assertThat(WarmupEnd.backlogged(40_001, 8000)).isTrue();
  }

  @Test
  void refusesBadReadings() {
    assertThatThrownBy(() -> new WarmupEnd(-1, S, new long[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WarmupEnd(S, S, new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
    WarmupEnd w = new WarmupEnd(S, 10 * S, new long[] {0, 0});
    assertThatThrownBy(() -> w.sample(S, new long[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.sample(0, new long[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
    w.sample(2 * S, new long[] {0, 0});
    assertThatThrownBy(() -> w.sample(2 * S, new long[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
