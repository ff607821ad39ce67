package dev.agentledger.node.consensus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeaderTimeoutTest {
  @Test
  void aMissedLeaderDoublesTheTimeoutUpToTheBound() {
    LeaderTimeout t = new LeaderTimeout(600, 150, 2_400);
    assertThat(t.currentMs()).isEqualTo(600);
    t.onTimeout();
    assertThat(t.currentMs()).isEqualTo(1_200);
    t.onTimeout();
    assertThat(t.currentMs()).isEqualTo(2_400);
    t.onTimeout();
    assertThat(t.currentMs()).isEqualTo(2_400);
    assertThat(t.timeouts()).isEqualTo(3);
  }

  @Test
  void leadersThatArriveShrinkItByAnEighthDownToTheBound() {
    LeaderTimeout t = new LeaderTimeout(800, 150, 2_400);
    t.onLeaderArrived();
    assertThat(t.currentMs()).isEqualTo(700);
    t.onLeaderArrived();
    assertThat(t.currentMs()).isEqualTo(613);
    for (int i = 0; i < 100; i++) {
      t.onLeaderArrived();
    }
    assertThat(t.currentMs()).isEqualTo(150);
    assertThat(t.leaderArrivals()).isEqualTo(102);
    // one miss climbs back faster than arrivals bring it down
    t.onTimeout();
    assertThat(t.currentMs()).isEqualTo(300);
  }

  @Test
  void equalBoundsFixTheTimeoutAndTheStartIsClamped() {
    LeaderTimeout fixed = LeaderTimeout.fixed(600);
    fixed.onTimeout();
    fixed.onLeaderArrived();
    fixed.onLeaderArrived();
    assertThat(fixed.currentMs()).isEqualTo(600);
    assertThat(new LeaderTimeout(10, 150, 2_400).currentMs()).isEqualTo(150);
    assertThat(new LeaderTimeout(10_000, 150, 2_400).currentMs()).isEqualTo(2_400);
    LeaderTimeout small = new LeaderTimeout(1, 1, 3);
    small.onLeaderArrived(); // an eighth of 1 ms rounds to nothing; the bound holds anyway
    assertThat(small.currentMs()).isEqualTo(1);
    small.onTimeout();
    small.onTimeout();
    assertThat(small.currentMs()).isEqualTo(3);
  }

  @Test
  void boundsMustBeOrderedAndPositive() {
    assertThatThrownBy(() -> new LeaderTimeout(600, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leader timeout bounds need 1 <= min <= max, got 0..10");
    assertThatThrownBy(() -> new LeaderTimeout(600, 500, 400))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
