package dev.agentledger.node.worker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueueDelayGateTest {
  static final long MS = 1_000_000L;
  static final long SEC = 1_000 * MS;

  /** Feeds {@code seconds} of execution at {@code rate} per second, one update per 250 ms. */
  static long run(QueueDelayGate gate, long fromNs, long executed, long rate, int seconds, long q) {
    long now = fromNs;
    for (int i = 0; i < seconds * 4; i++) {
      now += QueueDelayGate.SAMPLE_NS;
      executed += rate / 4;
      gate.update(now, q, executed);
    }
    return executed;
  }

  @Test
  void theBoundIsTheMeasuredRateTimesTheTargetDelayAndNeverBelowTheFloor() {
    QueueDelayGate gate = new QueueDelayGate(new QueueDelayGate.Limits(2_000, 500));
    assertThat(gate.boundRuns()).as("nothing measured yet: the floor").isEqualTo(500);
    assertThat(gate.update(0, 499, 0)).isTrue();
    run(gate, 0, 0, 1_000, 5, 0);
    assertThat(gate.ratePerSec()).isEqualTo(1_000);
    assertThat(gate.boundRuns()).isEqualTo(2_000);

    QueueDelayGate slow = new QueueDelayGate(new QueueDelayGate.Limits(2_000, 500));
    run(slow, 0, 0, 100, 5, 0);
    assertThat(slow.ratePerSec()).isEqualTo(100);
    assertThat(slow.boundRuns()).as("100/s x 2 s is under the floor").isEqualTo(500);
  }

  @Test
  void closesAboveTheBoundAndOpensAtHalfOfIt() {
    QueueDelayGate gate = new QueueDelayGate(new QueueDelayGate.Limits(1_000, 100));
    long executed = run(gate, 0, 0, 1_000, 5, 0);
    long now = 5 * SEC;
    assertThat(gate.update(now += 250 * MS, 1_000, executed += 250)).isTrue();
    assertThat(gate.estimatedDelayMs()).isEqualTo(1_000);
    assertThat(gate.update(now += 250 * MS, 1_001, executed += 250)).isFalse();
    assertThat(gate.closures()).isEqualTo(1);
    assertThat(gate.isOpen()).isFalse();
    assertThat(gate.update(now += 250 * MS, 501, executed += 250)).as("above half").isFalse();
    assertThat(gate.update(now += 250 * MS, 500, executed += 250)).as("at half").isTrue();
    assertThat(gate.closures()).isEqualTo(1);
  }

  @Test
  void aStalledPipelineClosesAtTheFloorAndAnEmptyQueueAlwaysOpens() {
    QueueDelayGate gate = new QueueDelayGate(new QueueDelayGate.Limits(2_000, 300));
    // Nothing executes: the rate is 0, the bound is the floor.
    long now = 0;
    for (int i = 0; i < 20; i++) {
      gate.update(now += 250 * MS, 200, 0);
    }
    assertThat(gate.isOpen()).isTrue();
    assertThat(gate.estimatedDelayMs()).isEqualTo(Long.MAX_VALUE);
    assertThat(gate.update(now += 250 * MS, 301, 0)).isFalse();
    assertThat(gate.update(now += 250 * MS, 151, 0)).isFalse();
    assertThat(gate.update(now += 250 * MS, 0, 0)).isTrue();
    assertThat(gate.estimatedDelayMs()).isZero();
  }

  @Test
  void theRateForgetsWhatIsOlderThanTheWindow() {
    QueueDelayGate gate = new QueueDelayGate(new QueueDelayGate.Limits(2_000, 1));
    long executed = run(gate, 0, 0, 4_000, 10, 0);
    assertThat(gate.ratePerSec()).isEqualTo(4_000);
    run(gate, 10 * SEC, executed, 0, 5, 0);
    assertThat(gate.ratePerSec()).as("a window with no execution").isZero();
    assertThat(gate.boundRuns()).isEqualTo(1);
  }

  @Test
  void updatesCloserThanASampleApartDoNotMoveTheRate() {
    QueueDelayGate gate = new QueueDelayGate(new QueueDelayGate.Limits(2_000, 1));
    run(gate, 0, 0, 1_000, 4, 0);
    long rate = gate.ratePerSec();
    gate.update(4 * SEC + 1, 0, 1_000_000); // 1 ns after the last sample: no new sample
    assertThat(gate.ratePerSec()).isEqualTo(rate);
  }

  @Test
  void aTargetOfZeroNeverCloses() {
    QueueDelayGate gate = new QueueDelayGate(new QueueDelayGate.Limits(0, 1));
    assertThat(gate.limits().enabled()).isFalse();
    assertThat(gate.update(SEC, Long.MAX_VALUE, 0)).isTrue();
    assertThat(gate.closures()).isZero();
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> new QueueDelayGate.Limits(-1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QueueDelayGate.Limits(600_001, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QueueDelayGate.Limits(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(QueueDelayGate.Limits.defaults().targetDelayMs())
        .isEqualTo(QueueDelayGate.Limits.DEFAULT_TARGET_DELAY_MS);
  }

  /**
   * The rule as first written, recomputing the bound from the rate on every update: the gate that
   * recomputes it only with each rate sample must decide, estimate and count exactly the same.
   */
  static final class EveryUpdate {
    final QueueDelayGate.Limits limits;
    final long[] sampleNs =
        new long[(int) (QueueDelayGate.WINDOW_NS / QueueDelayGate.SAMPLE_NS) + 1];
    final long[] sampleExecuted = new long[sampleNs.length];
    int samples;
    int newest = -1;
    boolean open = true;
    long rate;
    long bound;
    long closures;
    long queued;

    EveryUpdate(QueueDelayGate.Limits limits) {
      this.limits = limits;
      this.bound = limits.floorRuns();
    }

    boolean update(long nowNs, long queuedRuns, long executedTotal) {
      if (newest < 0 || nowNs - sampleNs[newest] >= QueueDelayGate.SAMPLE_NS) {
        newest = (newest + 1) % sampleNs.length;
        sampleNs[newest] = nowNs;
        sampleExecuted[newest] = executedTotal;
        if (samples < sampleNs.length) {
          samples++;
        }
        int oldest = samples < sampleNs.length ? 0 : (newest + 1) % sampleNs.length;
        long span = nowNs - sampleNs[oldest];
        rate =
            span <= 0
                ? 0
                : Math.max(0, (executedTotal - sampleExecuted[oldest]) * 1_000_000_000L / span);
      }
      queued = Math.max(0, queuedRuns);
      if (!limits.enabled()) {
        return true;
      }
      bound =
          Math.max(
              limits.floorRuns(),
              Math.min(rate, 1_000_000_000_000L) * limits.targetDelayMs() / 1000);
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

    long estimatedDelayMs() {
      return queued == 0 ? 0 : rate == 0 ? Long.MAX_VALUE : queued * 1000 / rate;
    }
  }

  @Test
  void theBoundKeptBetweenSamplesGivesTheSameDecisionsAsRecomputingItEveryUpdate() {
    java.util.Random random = new java.util.Random(19);
    for (QueueDelayGate.Limits limits :
        java.util.List.of(
            new QueueDelayGate.Limits(2_000, 4_000),
            new QueueDelayGate.Limits(300, 1),
            new QueueDelayGate.Limits(0, 100))) {
      QueueDelayGate gate = new QueueDelayGate(limits);
      EveryUpdate reference = new EveryUpdate(limits);
      long now = random.nextLong();
      long executed = 0;
      long queued = 0;
      for (int step = 0; step < 200_000; step++) {
        now += random.nextInt(random.nextBoolean() ? 2_000_000 : 80_000_000);
        executed += random.nextInt(random.nextInt(10) == 0 ? 5_000 : 50);
        queued = Math.max(-5, queued + random.nextInt(2_001) - 1_000);
        boolean open = gate.update(now, queued, executed);
        assertThat(open).as("step %d", step).isEqualTo(reference.update(now, queued, executed));
        assertThat(gate.ratePerSec()).isEqualTo(reference.rate);
        assertThat(gate.estimatedDelayMs()).isEqualTo(reference.estimatedDelayMs());
        if (limits.enabled()) {
          assertThat(gate.boundRuns()).isEqualTo(reference.bound);
        }
      }
      assertThat(gate.closures()).isEqualTo(reference.closures);
      assertThat(limits.enabled() ? gate.closures() : 1).as("the gate closed").isPositive();
    }
  }
}
