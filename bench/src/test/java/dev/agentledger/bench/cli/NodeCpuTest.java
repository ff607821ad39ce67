package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's per-stage arithmetic over two readings of a node's thread-group costs. */
class NodeCpuTest {
  @Test
  void stageDeltasFoldGroupsIntoStagesAndNeverGoNegative() {
    Map<String, Long> before =
        Map.of("worker-N", 100L, "primary-N", 50L, "consensus-verify", 10L, "verify-N-N", 70L);
    Map<String, Long> now =
        Map.of(
            "worker-N", 400L,
            "primary-N", 80L,
            "consensus-verify", 30L, // same stage as primary-N
            "verify-N-N", 60L, // a verify thread ended: 0, not -10
            "feed-N", 5L, // started after the first reading
            "Reference Handler", 99L); // no stage: left for "other"
    Map<String, Long> into = new LinkedHashMap<>();
    long total = DemoCommand.NodeCpu.stageDeltas(before, now, 1_000L, into);
    assertThat(into)
        .containsEntry("worker (admission, batches, acknowledgements)", 300_000L)
        .containsEntry("consensus (primary, consensus signatures)", 50_000L)
        .containsEntry("verify stage (client and peer-batch signatures)", 0L)
        .containsEntry("commit feed (subscriptions)", 5_000L)
        .hasSize(4);
    assertThat(total).isEqualTo(355_000L);
    // A second validator adds into the same stages (the caller divides by the validators).
    DemoCommand.NodeCpu.stageDeltas(Map.of(), Map.of("worker-N", 1L), 1_000L, into);
    assertThat(into).containsEntry("worker (admission, batches, acknowledgements)", 301_000L);
  }

  @Test
  void sharedThreadingLanesHaveRowsOfTheirOwn() {
    // --threading shared: validator-<v>-verify runs the verify agents, validator-<v>-pipeline the
    // worker, primary, execution and feed agents in turn.
    Map<String, Long> now =
        Map.of("validator-N-verify", 40L, "validator-N-pipeline", 90L, "consensus-verify", 5L);
    Map<String, Long> into = new LinkedHashMap<>();
    long total = DemoCommand.NodeCpu.stageDeltas(Map.of(), now, 1_000L, into);
    assertThat(total).isEqualTo(135_000L);
    assertThat(into)
        .containsEntry("verify stage (client and peer-batch signatures)", 40_000L)
        .containsEntry("shared pipeline (worker, primary, execution, feed)", 90_000L)
        .containsEntry("consensus (primary, consensus signatures)", 5_000L)
        .hasSize(3);
  }

  @Test
  void nativeDeltasAddEveryKindAndNothingWhenAReadingIsMissing() {
    Map<String, Long> before =
        Map.of(
            dev.agentledger.bench.demo.NativeThreadCpu.JIT, 1_000L,
            dev.agentledger.bench.demo.NativeThreadCpu.GC, 500L);
    Map<String, Long> now =
        Map.of(
            dev.agentledger.bench.demo.NativeThreadCpu.JIT, 4_000L,
            dev.agentledger.bench.demo.NativeThreadCpu.GC, 400L, // a GC thread ended: 0
            dev.agentledger.bench.demo.NativeThreadCpu.ROCKSDB, 70L); // appeared after
    Map<String, Long> into = new LinkedHashMap<>();
    long total = DemoCommand.NodeCpu.nativeDeltas(before, now, into);
    assertThat(total).isEqualTo(3_070L);
    assertThat(into)
        .containsEntry(dev.agentledger.bench.demo.NativeThreadCpu.JIT, 3_000L)
        .containsEntry(dev.agentledger.bench.demo.NativeThreadCpu.GC, 0L)
        .containsEntry(dev.agentledger.bench.demo.NativeThreadCpu.ROCKSDB, 70L)
        .containsEntry(dev.agentledger.bench.demo.NativeThreadCpu.JVM, 0L);
    // the process was gone at one reading: nothing is attributed, all stays in "other"
    Map<String, Long> none = new LinkedHashMap<>();
    assertThat(DemoCommand.NodeCpu.nativeDeltas(Map.of(), now, none)).isZero();
    assertThat(DemoCommand.NodeCpu.nativeDeltas(before, Map.of(), none)).isZero();
    assertThat(none).isEmpty();
  }
}
