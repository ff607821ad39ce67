package dev.agentledger.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultRunnerTest {
  @Test
  void commitsAreSplitIntoBeforeDuringAndAfterByTheSecondOfTheTimeline() {
    long[][] timeline = new long[12][];
    for (int s = 0; s < timeline.length; s++) {
      // {second, submitted, committed, rejected}
      timeline[s] = new long[] {s, 10, s + 1, 0};
    }
    // fault from 3 s to 6 s; the drain's seconds count as after
    long[] phases = FaultRunner.phases(timeline, 3_000_000_000L, 3_000_000_000L);
    assertThat(phases).containsExactly(1 + 2 + 3, 4 + 5 + 6, 7 + 8 + 9 + 10 + 11 + 12);
  }

  @Test
  void onlyTheNodesRejectionsCountAsExplicitOverload() {
    assertThat(
            FaultRunner.explicitOverload(
                Map.of(
                    "overloaded", 5L,
                    "overload_rate_limited", 2L,
                    "overload_client_queue", 100L,
                    "bad_nonce", 3L)))
        .isEqualTo(7);
    assertThat(FaultRunner.explicitOverload(Map.of("overload_client_queue", 100L))).isZero();
  }
}
