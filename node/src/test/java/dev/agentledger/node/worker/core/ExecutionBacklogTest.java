package dev.agentledger.node.worker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The execution backlog gate: its bounds, its hysteresis and its high-water mark. */
class ExecutionBacklogTest {
  static final long HEAP = 1_000L * 1_000_000L; // 1 GB maximum heap
  static final long MB = 1_000_000L;

  @Test
  void closesAtTheBoundAndOpensAtHalfOfIt() {
    ExecutionBacklog gate = new ExecutionBacklog(new ExecutionBacklog.Limits(1000, 100), HEAP);
    assertThat(gate.update(999, 0)).isTrue();
    assertThat(gate.update(1000, 0)).isFalse();
    assertThat(gate.closedFor()).isEqualTo(ExecutionBacklog.Reason.RUNS);
    // Hysteresis: still closed between the low mark and the bound.
    assertThat(gate.update(999, 0)).isFalse();
    assertThat(gate.update(501, 0)).isFalse();
    assertThat(gate.update(500, 0)).isTrue();
    assertThat(gate.closedFor()).isEqualTo(ExecutionBacklog.Reason.NONE);
    // Open again: it stays open up to the bound.
    assertThat(gate.update(999, 0)).isTrue();
    assertThat(gate.closures()).isEqualTo(1);
    assertThat(gate.highWaterRuns()).isEqualTo(1000);
    assertThat(gate.backlogRuns()).isEqualTo(999);
  }

  @Test
  void heapClosesOnlyWhileSomethingIsBackloggedAndOpensTenPointsLower() {
    ExecutionBacklog gate = new ExecutionBacklog(new ExecutionBacklog.Limits(1000, 70), HEAP);
    assertThat(gate.heapLimitBytes()).isEqualTo(700 * MB);
    // A full heap with nothing backlogged does not refuse: refusing would never end.
    assertThat(gate.update(0, 900 * MB)).isTrue();
    assertThat(gate.update(1, 700 * MB)).isFalse();
    assertThat(gate.closedFor()).isEqualTo(ExecutionBacklog.Reason.HEAP);
    assertThat(gate.update(1, 650 * MB)).isFalse(); // above the low mark (60 %)
    assertThat(gate.update(1, 600 * MB)).isFalse();
    assertThat(gate.update(1, 599 * MB)).isTrue();
    // An empty backlog opens it whatever the heap.
    assertThat(gate.update(10, 800 * MB)).isFalse();
    assertThat(gate.update(0, 800 * MB)).isTrue();
  }

  @Test
  void aGateClosedForTheHeapStaysClosedUntilTheBacklogIsLowToo() {
    ExecutionBacklog gate = new ExecutionBacklog(new ExecutionBacklog.Limits(1000, 70), HEAP);
    assertThat(gate.update(800, 750 * MB)).isFalse();
    assertThat(gate.update(800, 100 * MB)).isFalse(); // heap fine, backlog above the low mark
    assertThat(gate.update(500, 100 * MB)).isTrue();
  }

  @Test
  void heapPercentOfHundredNeverClosesForTheHeap() {
    ExecutionBacklog gate = new ExecutionBacklog(new ExecutionBacklog.Limits(1000, 100), HEAP);
    assertThat(gate.update(999, HEAP)).isTrue();
    assertThat(gate.heapLimitBytes()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void unknownHeapAndNegativeBacklogAreHarmless() {
    ExecutionBacklog gate = new ExecutionBacklog(ExecutionBacklog.Limits.defaults(), HEAP);
    assertThat(gate.update(-5, 0)).isTrue();
    assertThat(gate.backlogRuns()).isZero();
  }

  @Test
  void badLimitsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> new ExecutionBacklog.Limits(1, 70))
        .hasMessageContaining("at least 2 runs");
    assertThatThrownBy(() -> new ExecutionBacklog.Limits(1000, 10)).hasMessageContaining("11..100");
    assertThatThrownBy(() -> new ExecutionBacklog.Limits(1000, 101))
        .hasMessageContaining("11..100");
    assertThatThrownBy(() -> new ExecutionBacklog(ExecutionBacklog.Limits.defaults(), 0))
        .hasMessageContaining("maximum heap");
  }
}
