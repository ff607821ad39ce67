package dev.agentledger.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The auto choice: noisy calibration samples (a preempted host run, one lucky device run) do not
 * choose the device; a device that wins by less than the margin is not chosen; a clear win sets the
 * crossover where the device wins at every larger size; live samples switch a device that is slower
 * in production off only after confirmed checks, and the next calibration backs off.
 */
class AutoPolicyTest {
  private static final AutoPolicy.Settings S = AutoPolicy.Settings.defaults();
  private static final int[] SIZES = {16, 64, 256, 1024};
  private static final long SECOND = 1_000_000_000L;

  @Test
  void oneOutlierOnEitherSideDoesNotChooseTheDevice() {
    // host ~15 us/item with one preempted run at 400 us; device ~300 us/item with one run at 5 us
    double[] host = {15_000, 14_800, 400_000, 15_200, 14_900};
    double[] device = {300_000, 5_000, 310_000, 295_000, 305_000};
    AutoPolicy.Calibration c = AutoPolicy.decide(S, SIZES, rows(host), rows(device));
    assertThat(c.crossover()).isEqualTo(-1);
    assertThat(c.sizes()).allSatisfy(v -> assertThat(v.wins()).isFalse());
    assertThat(c.describe())
        .startsWith("1024: host 15,000 ns/item, device 300,000 ns/item (device 20.0x dearer)");
  }

  @Test
  void aDeviceFasterByLessThanTheMarginIsNotChosen() {
    double[] host = {10_000, 10_100, 9_900, 10_050};
    double[] device = {7_500, 7_400, 7_600, 7_550}; // 1.33x: below 1.5x
    assertThat(AutoPolicy.decide(S, SIZES, rows(host), rows(device)).crossover()).isEqualTo(-1);
  }

  @Test
  void overlappingNoisySamplesDoNotChooseTheDevice() {
    // medians 2x apart, but the device's upper quartile reaches into the host's lower quartile
    double[] host = {10_000, 4_000, 4_500, 10_500, 11_000, 10_200, 4_200, 10_100};
    double[] device = {5_000, 5_100, 9_000, 4_900, 9_500, 5_050, 9_200, 5_000};
    assertThat(AutoPolicy.decide(S, SIZES, rows(host), rows(device)).crossover()).isEqualTo(-1);
  }

  @Test
  void tooFewSamplesNeverChooseTheDevice() {
    double[][] host = {{}, {}, {}, {10_000, 10_000}};
    double[][] device = {{}, {}, {}, {100, 100}};
    assertThat(AutoPolicy.decide(S, SIZES, host, device).crossover()).isEqualTo(-1);
  }

  @Test
  void aClearWinSetsTheCrossoverWhereTheDeviceWinsAtEveryLargerSize() {
    Random random = new Random(7);
    double[][] host = new double[4][], device = new double[4][];
    double[] hostCost = {20_000, 16_000, 15_000, 14_000};
    double[] deviceCost = {90_000, 20_000, 4_000, 1_000}; // wins from 256 on
    for (int i = 0; i < 4; i++) {
      host[i] = noisy(random, hostCost[i], 5);
      device[i] = noisy(random, deviceCost[i], 5);
    }
    host[2][1] = 500_000; // a preempted host run does not move the crossover
    AutoPolicy.Calibration c = AutoPolicy.decide(S, SIZES, host, device);
    assertThat(c.crossover()).isEqualTo(256);
    assertThat(c.sizes())
        .extracting(AutoPolicy.SizeVerdict::size)
        .containsExactly(1024, 256, 64, 16);
    // a win at 64 does not count when 256 is lost
    device[2] = noisy(random, 30_000, 5);
    device[1] = noisy(random, 2_000, 5);
    assertThat(AutoPolicy.decide(S, SIZES, host, device).crossover()).isEqualTo(1024);
  }

  @Test
  void manyNoisyCalibrationsOfASlowerDeviceNeverChooseIt() {
    Random random = new Random(42);
    for (int trial = 0; trial < 2_000; trial++) {
      double[][] host = new double[4][], device = new double[4][];
      for (int i = 0; i < 4; i++) {
        // host 15 us/item, two of five runs preempted by up to 20x; device 20 us/item +-40%
        host[i] = new double[5];
        device[i] = new double[5];
        for (int k = 0; k < 5; k++) {
          host[i][k] = 15_000 * (1 + 0.02 * random.nextDouble());
          device[i][k] = 20_000 * (0.6 + 0.8 * random.nextDouble());
        }
        host[i][random.nextInt(5)] *= 1 + 20 * random.nextDouble();
        host[i][random.nextInt(5)] *= 1 + 20 * random.nextDouble();
      }
      assertThat(AutoPolicy.decide(S, SIZES, host, device).crossover())
          .as("trial %d", trial)
          .isEqualTo(-1);
    }
  }

  @Test
  void clearlyLosesOnceEveryDeviceSampleIsDearerThanEveryHostSample() {
    AutoPolicy p = new AutoPolicy(S);
    double[] host = {15_000, 16_000, 40_000};
    assertThat(p.clearlyLoses(host, 3, new double[] {300_000, 290_000, 310_000}, 3)).isTrue();
    assertThat(p.clearlyLoses(host, 3, new double[] {300_000, 30_000, 310_000}, 3)).isFalse();
    assertThat(p.clearlyLoses(host, 2, new double[] {300_000, 290_000}, 2)).isFalse();
  }

  @Test
  void aDeviceSlowerInProductionIsSwitchedOffAfterConfirmedChecksOnly() {
    AutoPolicy p = new AutoPolicy(S);
    p.adopt(new AutoPolicy.Calibration(256, java.util.List.of()), 0);
    assertThat(p.onDevice()).isTrue();
    // one in 16 device-bound batches is served on the host; small batches are not sampled
    int probes = 0;
    for (int i = 0; i < 160; i++) {
      probes += p.probeOnHost(512) ? 1 : 0;
    }
    assertThat(probes).isEqualTo(10);
    assertThat(p.probeOnHost(100)).isFalse();

    long now = 0;
    // device 1.3x the host's cost, with one cheap outlier per window: first check is one strike
    feed(p, 512, 15_000, 19_500, 8);
    p.deviceSample(512, 512L * 100);
    now += 6 * SECOND;
    assertThat(p.evaluate(now)).isNull();
    assertThat(p.onDevice()).isTrue();
    // the device recovers: the strike resets
    feed(p, 512, 15_000, 10_000, 32);
    now += 6 * SECOND;
    assertThat(p.evaluate(now)).isNull();
    // slower again: two checks in a row are needed, and checks are at least 5 s apart
    feed(p, 512, 15_000, 30_000, 32);
    now += 6 * SECOND;
    assertThat(p.evaluate(now)).isNull();
    assertThat(p.evaluate(now + SECOND)).isNull(); // too soon: not a check
    assertThat(p.onDevice()).isTrue();
    now += 6 * SECOND;
    AutoPolicy.Switch off = p.evaluate(now);
    assertThat(off).isNotNull();
    assertThat(off.describe())
        .isEqualTo(
            "device median 30,000 ns/item over 32 batches vs host 15,000 ns/item over 32 batches"
                + " (2.00x the host's cost); next calibration in 60 s");
    assertThat(p.onDevice()).isFalse();
    assertThat(p.crossover()).isEqualTo(-1);
    assertThat(p.probeOnHost(4096)).isFalse();
    // calibration due 60 s after the switch; a lost calibration waits 30 min
    assertThat(p.recalibrationDue(now + 59 * SECOND)).isFalse();
    assertThat(p.recalibrationDue(now + 60 * SECOND)).isTrue();
    now += 60 * SECOND;
    p.adopt(new AutoPolicy.Calibration(-1, java.util.List.of()), now);
    assertThat(p.recalibrationDue(now + 1_799 * SECOND)).isFalse();
    assertThat(p.recalibrationDue(now + 1_800 * SECOND)).isTrue();
    // won again, then slower again: the wait after this switch has doubled to 120 s
    now += 1_800 * SECOND;
    p.adopt(new AutoPolicy.Calibration(256, java.util.List.of()), now);
    assertThat(p.recalibrationAtNs()).isEqualTo(Long.MAX_VALUE);
    feed(p, 512, 15_000, 30_000, 32);
    assertThat(p.evaluate(now + 6 * SECOND)).isNull();
    off = p.evaluate(now + 12 * SECOND);
    assertThat(off).isNotNull();
    assertThat(off.retryNs()).isEqualTo(120 * SECOND);
    assertThat(p.recalibrationAtNs()).isEqualTo(now + 132 * SECOND);
  }

  @Test
  void fewLiveSamplesAreNotACheck() {
    AutoPolicy p = new AutoPolicy(S);
    p.adopt(new AutoPolicy.Calibration(64, java.util.List.of()), 0);
    feed(p, 64, 10_000, 1_000_000, 7);
    assertThat(p.evaluate(100 * SECOND)).isNull();
    assertThat(p.evaluate(200 * SECOND)).isNull();
    assertThat(p.onDevice()).isTrue();
    // batches below the crossover are not samples
    for (int i = 0; i < 40; i++) {
      p.deviceSample(32, 32L * 1_000_000);
    }
    assertThat(p.evaluate(300 * SECOND)).isNull();
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new AutoPolicy.Settings(1.0, 1, 3, 32, 8, 2, 0, 16, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AutoPolicy.Settings(1.5, 1, 3, 4, 8, 2, 0, 16, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void feed(
      AutoPolicy p, int items, long hostNsPerItem, long deviceNsPerItem, int n) {
    for (int i = 0; i < n; i++) {
      p.hostSample(items, hostNsPerItem * items);
      p.deviceSample(items, deviceNsPerItem * items);
    }
  }

  private static double[][] rows(double[] samples) {
    return new double[][] {samples, samples, samples, samples};
  }

  private static double[] noisy(Random random, double mean, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = mean * (0.9 + 0.2 * random.nextDouble());
    }
    return out;
  }
}
