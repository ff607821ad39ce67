package dev.agentledger.bench.loadgen.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FindMaxSearchTest {
  private static final long MS = 1_000_000;

  /** A model system: fine below its capacity, p99 explodes above it. */
  private static ProbeResult model(double rate, double capacity) {
    long committed = (long) rate * 5;
    long p99 = rate <= capacity ? 20 * MS : 900 * MS;
    return new ProbeResult(rate, committed, 0, 0, 0, p99, 0);
  }

  @Test
  void convergesOnTheCapacity() {
    FindMaxSearch search = new FindMaxSearch(1000, 100 * MS, 0.05, 20, 1);
    while (!search.done()) {
      double rate = search.nextRate();
      search.record(rate, model(rate, 7300));
    }
    assertThat(search.maxRateTps()).isLessThanOrEqualTo(7300).isGreaterThan(7300 * 0.95);
    assertThat(search.firstFailTps()).isGreaterThan(7300);
    assertThat(search.probes().get(0).rateTps()).isEqualTo(1000);
    assertThat(search.probes().get(1).rateTps()).isEqualTo(2000);
  }

  @Test
  void anyLossFailsAProbeEvenWithGoodLatency() {
    FindMaxSearch search = new FindMaxSearch(1000, 100 * MS, 0.05, 20, 1);
    FindMaxSearch.Probe probe = search.record(1000, new ProbeResult(1000, 4999, 1, 0, 0, MS, 0));
    assertThat(probe.pass()).isFalse();
    assertThat(probe.reason()).contains("lost 1");
    assertThat(search.record(500, new ProbeResult(500, 2500, 0, 0, 3, MS, 0)).reason())
        .contains("shed 3");
    assertThat(search.record(250, new ProbeResult(250, 1250, 0, 2, 0, MS, 0)).reason())
        .contains("unanswered 2");
  }

  @Test
  void startsTooHighThenHalves() {
    FindMaxSearch search = new FindMaxSearch(10_000, 100 * MS, 0.05, 30, 1);
    while (!search.done()) {
      double rate = search.nextRate();
      search.record(rate, model(rate, 1200));
    }
    assertThat(search.maxRateTps()).isBetween(1200 * 0.95, 1200.0);
  }

  @Test
  void generatorLagFailsAProbeAndFlagsTheResultWhenItBounds() {
    FindMaxSearch search = new FindMaxSearch(1000, 100 * MS, 0.05, 20, 1);
    search.record(1000, model(1000, 1e9));
    FindMaxSearch.Probe probe =
        search.record(2000, new ProbeResult(2000, 10_000, 0, 0, 0, MS, 80 * MS));
    assertThat(probe.pass()).isFalse();
    assertThat(probe.reason()).startsWith("generator fell behind");
    assertThat(search.generatorBound()).isTrue();
    assertThat(search.nextRate()).isEqualTo(1500);
    // A lower failure for another reason becomes the bound: no longer generator-bound.
    search.record(1500, model(1500, 1200));
    assertThat(search.generatorBound()).isFalse();
  }

  @Test
  void nothingPassesGivesZero() {
    FindMaxSearch search = new FindMaxSearch(8, 100 * MS, 0.05, 30, 1);
    while (!search.done()) {
      double rate = search.nextRate();
      search.record(rate, model(rate, 0.1));
    }
    assertThat(search.maxRateTps()).isZero();
    assertThat(Double.isNaN(search.nextRate())).isTrue();
  }
}
