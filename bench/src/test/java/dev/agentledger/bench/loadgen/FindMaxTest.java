package dev.agentledger.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.bench.loadgen.core.FindMaxSearch;
import org.junit.jupiter.api.Test;

/**
 * find-max end to end through the open-loop generator, deterministically: each probe's target is a
 * single server with a 1 ms service time (capacity exactly 1000 tps) under a fake clock. Below
 * capacity latency stays at 1 ms; above it the queue grows for the whole probe and p99 explodes.
 */
class FindMaxTest {
  private static final long MS = 1_000_000;

  @Test
  void findsTheCapacityOfASingleServerQueue() throws Exception {
    PresignedPool pool = PresignedPool.build(RunContents.defaults().withAgents(4), 16, 1);
    FakeClock clock = new FakeClock(0);
    FindMaxSearch search = new FindMaxSearch(100, 50 * MS, 0.05, 20, 1);
    FindMax.Outcome outcome =
        FindMax.run(
            search,
            0.5,
            1.0,
            pool,
            () -> queue(clock),
            clock,
            new LoadGenerator.Options(10 * MS, 0),
            p -> {});
    // p99 at rate r is about 1 + 0.99 (r - 1000) ms, so the true limit for 50 ms is about 1049 tps.
    assertThat(search.maxRateTps()).isGreaterThanOrEqualTo(1000.0).isLessThan(1050.0);
    assertThat(search.firstFailTps()).isGreaterThanOrEqualTo(1050.0).isLessThanOrEqualTo(1100.0);
    assertThat(search.firstFailTps() - search.maxRateTps())
        .isLessThanOrEqualTo(0.05 * search.maxRateTps());
    assertThat(search.probes())
        .extracting(FindMaxSearch.Probe::rateTps)
        .startsWith(100.0, 200.0, 400.0, 800.0, 1600.0);
    assertThat(outcome.bestRun().tally().lost()).isZero();
    assertThat(outcome.bestRun().offeredTps())
        .isCloseTo(search.maxRateTps(), org.assertj.core.data.Offset.offset(1.0));
  }

  private static LoadTarget queue(FakeClock clock) {
    long[] busyUntil = {0};
    return new ScriptedTarget(
        clock,
        (sequence, listener, c) -> {
          long start = Math.max(c.nanoTime(), busyUntil[0]);
          busyUntil[0] = start + MS;
          listener.onAccepted(sequence, c.nanoTime());
          listener.onCommitted(sequence, busyUntil[0]);
        });
  }
}
