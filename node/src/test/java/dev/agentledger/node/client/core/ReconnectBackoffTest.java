package dev.agentledger.node.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void untilClosedKeepsTryingForAnHourWithPausesCappedAtTheMaximum() {
    ReconnectBackoff b = new ReconnectBackoff(50 * MS, 2_000 * MS, ReconnectBackoff.UNTIL_CLOSED);
    long now = 1_000 * MS;
    b.lost(now);
    long hour = TimeUnit.HOURS.toNanos(1);
    long[] first = new long[7];
    int k = 0;
    while (now < 1_000 * MS + hour) {
      long pause = b.failed(now);
      assertThat(pause)
          .as("still trying at %d s", (now - 1_000 * MS) / 1_000_000_000L)
          .isPositive();
      assertThat(pause).isLessThanOrEqualTo(2_000 * MS);
      if (k < first.length) {
        first[k++] = pause / MS;
      }
      now += pause;
    }
    assertThat(first).containsExactly(50, 100, 200, 400, 800, 1_600, 2_000);
    // 1,800 pauses of 2 s in an hour, give or take the first few
    assertThat(b.attempts()).isBetween(1_795L, 1_805L);
  }

  @Test
  void aBoundedRoundGivesUpAfterItsTimeAndANewLossStartsAgainFromTheBase() {
    ReconnectBackoff b = new ReconnectBackoff(50 * MS, 2_000 * MS, 120_000 * MS);
    long now = 0;
    b.lost(now);
    long pause;
    while ((pause = b.failed(now)) > 0) {
      now += pause;
    }
    assertThat(now).isBetween(120_000 * MS, 122_000 * MS);
    b.lost(now);
    assertThat(b.failed(now)).isEqualTo(50 * MS);
  }

  @Test
  void zeroMakesNoAttemptAndBadSettingsAreRefused() {
    ReconnectBackoff none = new ReconnectBackoff(50 * MS, 2_000 * MS, 0);
    assertThat(none.tries()).isFalse();
    assertThat(none.failed(0)).isEqualTo(-1);
    assertThatThrownBy(() -> new ReconnectBackoff(0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReconnectBackoff(10, 5, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReconnectBackoff(1, 5, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
