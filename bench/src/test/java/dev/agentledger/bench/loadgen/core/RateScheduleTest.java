package dev.agentledger.bench.loadgen.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RateScheduleTest {
  private static final long S = 1_000_000_000L;

  @Test
  void fixedRateSpacesSendsEvenly() {
    FixedRate fixed = new FixedRate(1000, 2 * S);
    assertThat(fixed.count()).isEqualTo(2000);
    assertThat(fixed.offsetNs(0)).isZero();
    assertThat(fixed.offsetNs(1)).isEqualTo(1_000_000);
    assertThat(fixed.offsetNs(1999)).isEqualTo(1_999_000_000L);
    assertThat(new FixedRate(3, S).offsetNs(2)).isEqualTo(666_666_666L);
  }

  @Test
  void linearRampSendsTheIntegralOfTheRate() {
    LinearRamp ramp = new LinearRamp(100, 300, 10 * S);
    // N(T) = (100 + 300) / 2 * 10 = 2000
    assertThat(ramp.count()).isEqualTo(2000);
    // N(t) = 100 t + 10 t^2: N(5) = 750, so transaction 750 is due at 5 s.
    assertThat(ramp.offsetNs(750)).isBetween(5 * S - 2, 5 * S + 2);
    // N(1) = 110.
    assertThat(ramp.offsetNs(110)).isBetween(S - 2, S + 2);
    assertThat(ramp.rateAt(5 * S)).isEqualTo(200.0);
  }

  @Test
  void downwardAndFromZeroRamps() {
    LinearRamp down = new LinearRamp(300, 100, 10 * S);
    assertThat(down.count()).isEqualTo(2000);
    // N(t) = 300 t - 10 t^2: N(5) = 1250.
    assertThat(down.offsetNs(1250)).isBetween(5 * S - 2, 5 * S + 2);
    LinearRamp fromZero = new LinearRamp(0, 200, 10 * S);
    // N(t) = 10 t^2: N(5) = 250.
    assertThat(fromZero.offsetNs(250)).isBetween(5 * S - 2, 5 * S + 2);
    assertThat(fromZero.offsetNs(0)).isZero();
  }

  @Property(tries = 200)
  void rampOffsetsAreMonotoneAndInside(
      @ForAll @DoubleRange(min = 0, max = 5000) double start,
      @ForAll @DoubleRange(min = 1, max = 5000) double end,
      @ForAll @LongRange(min = 1, max = 30) long seconds) {
    LinearRamp ramp = new LinearRamp(start, end, seconds * S);
    long previous = -1;
    long step = Math.max(1, ramp.count() / 500);
    for (long i = 0; i < ramp.count(); i += step) {
      long offset = ramp.offsetNs(i);
      assertThat(offset).isGreaterThanOrEqualTo(previous).isLessThan(seconds * S);
      previous = offset;
    }
  }

  @Test
  void stepsStartEachStepOnTime() {
    CompositeSchedule steps =
        CompositeSchedule.steps(new double[] {100, 1000, 10}, new long[] {2 * S, S, 3 * S});
    assertThat(steps.count()).isEqualTo(200 + 1000 + 30);
    assertThat(steps.durationNs()).isEqualTo(6 * S);
    assertThat(steps.offsetNs(199)).isEqualTo(1_990_000_000L);
    assertThat(steps.offsetNs(200)).isEqualTo(2 * S);
    assertThat(steps.offsetNs(201)).isEqualTo(2 * S + 1_000_000);
    assertThat(steps.offsetNs(1200)).isEqualTo(3 * S);
    assertThat(steps.offsetNs(1229)).isEqualTo(3 * S + 29 * 100_000_000L);
    assertThat(steps.rateAt(2_500_000_000L)).isEqualTo(1000.0);
  }

  @Test
  void compositeSkipsEmptySegments() {
    CompositeSchedule c =
        new CompositeSchedule(
            List.of(new FixedRate(10, S), new FixedRate(0.5, S), new FixedRate(10, S)));
    assertThat(c.count()).isEqualTo(20);
    assertThat(c.offsetNs(10)).isEqualTo(2 * S);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new FixedRate(0, S)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LinearRamp(0, 0, S)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompositeSchedule.steps(new double[] {1}, new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void zipfFollowsItsLaw() {
    ZipfSampler zipf = new ZipfSampler(100, 1.0);
    assertThat(zipf.probability(1) / zipf.probability(2))
        .isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(zipf.rank(0.0)).isEqualTo(1);
    assertThat(zipf.rank(0.999999999)).isEqualTo(100);
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    int[] counts = new int[101];
    for (int i = 0; i < 100_000; i++) {
      counts[zipf.rank(random.nextDouble())]++;
    }
    assertThat(counts[1] / 100_000.0)
        .isCloseTo(zipf.probability(1), org.assertj.core.data.Offset.offset(0.01));
    assertThat(counts[1]).isGreaterThan(counts[10] * 5);
  }
}
