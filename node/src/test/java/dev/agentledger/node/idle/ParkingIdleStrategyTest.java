package dev.agentledger.node.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The back-off arithmetic, the timer cap, and a wake-up that ends a long park. */
class ParkingIdleStrategyTest {
  @Test
  void parksDoubleFromTheMinimumUpToTheCapAndWorkResetsThem() {
    ParkingIdleStrategy idle = ParkingIdleStrategy.parking(1, 8);
    assertThat(idle.nextParkNs()).isEqualTo(1);
    long[] seen = new long[5];
    for (int i = 0; i < 5; i++) {
      seen[i] = idle.nextParkNs();
      idle.idle(0); // parks a few ns
    }
    assertThat(seen).containsExactly(1, 2, 4, 8, 8);
    idle.idle(3);
    assertThat(idle.nextParkNs()).isEqualTo(1);
  }

  @Test
  void aDueTimerCapsThePark() {
    AtomicLong cap = new AtomicLong(Long.MAX_VALUE);
    ParkingIdleStrategy idle = new ParkingIdleStrategy(0, 0, 2, 1_000, cap::get);
    for (int i = 0; i < 20; i++) {
      idle.idle(0);
    }
    assertThat(idle.nextParkNs()).isEqualTo(1_000);
    cap.set(16);
    assertThat(idle.nextParkNs()).isEqualTo(16);
    cap.set(0); // never below the minimum
    assertThat(idle.nextParkNs()).isEqualTo(2);
  }

  @Test
  void parkAtOnceSkipsSpinsAndBackOffForOneParkUpToTheCap() {
    AtomicLong cap = new AtomicLong(50);
    ParkingIdleStrategy idle = new ParkingIdleStrategy(1_000, 10, 2, 1_000, cap::get);
    assertThat(idle.nextParkNs()).isEqualTo(2);
    idle.parkAtOnce();
    assertThat(idle.nextParkNs()).as("the timer's cap, not the minimum").isEqualTo(50);
    idle.idle(0); // parks about 50 ns, without the 1,000 spins
    assertThat(idle.nextParkNs()).as("one park only; the back-off is untouched").isEqualTo(2);
    idle.parkAtOnce();
    idle.idle(1); // work done cancels the request
    assertThat(idle.nextParkNs()).isEqualTo(2);

    ParkingIdleStrategy other = ParkingIdleStrategy.parking(2, 1_000_000);
    ParkingIdleStrategy shared = ParkingIdleStrategy.shared(java.util.List.of(other, idle));
    idle.parkAtOnce();
    assertThat(shared.nextParkNs()).as("a member's request parks the shared thread").isEqualTo(50);
    shared.idle(0);
    assertThat(shared.nextParkNs()).isEqualTo(2);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // without the wake-up it would park for an hour
  void aWakeEndsALongPark() throws InterruptedException {
    ParkingIdleStrategy idle =
        ParkingIdleStrategy.parking(TimeUnit.HOURS.toNanos(1), TimeUnit.HOURS.toNanos(1));
    Thread agent =
        Thread.ofPlatform()
            .start(
                () -> {
                  idle.idle(0); // registers this thread as the owner: its first park ends by wake
                  idle.idle(0);
                });
    while (agent.isAlive()) {
      idle.wake();
      agent.join(10);
    }
    assertThat(agent.isAlive()).isFalse();
  }

  @Test
  void boundsAreChecked() {
    assertThatThrownBy(() -> new ParkingIdleStrategy(0, 0, 0, 1, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ParkingIdleStrategy.parking(10, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
