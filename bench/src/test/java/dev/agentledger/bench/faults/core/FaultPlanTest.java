package dev.agentledger.bench.faults.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
  @Test
  void parsesNamesAllAndRejectsUnknownOnes() {
    assertThat(FaultKind.parseList("kill-one, partition,kill-one"))
        .containsExactly(FaultKind.KILL_ONE, FaultKind.PARTITION);
    // the heap scenario runs by name only
    assertThat(FaultKind.parseList("all"))
        .containsExactly(
            FaultKind.KILL_ONE,
            FaultKind.KILL_TWO,
            FaultKind.PARTITION,
            FaultKind.PARTITION_NETNS,
            FaultKind.RELAY,
            FaultKind.FLOOD,
            FaultKind.OVERLOAD,
            FaultKind.DISK_FULL);
    assertThat(FaultKind.parseList("all,heap")).endsWith(FaultKind.HEAP).hasSize(9);
    assertThat(FaultKind.byName("partition-netns")).isEqualTo(FaultKind.PARTITION_NETNS);
    assertThatThrownBy(() -> FaultKind.parseList("kill-one,crash"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scenario 'crash'")
        .hasMessageContaining("disk-full");
    assertThatThrownBy(() -> FaultKind.parseList(" , ")).hasMessageContaining("no scenario named");
  }

  @Test
  void fixedVictimsLeaveAQuorumExceptKillTwo() {
    assertThat(FaultPlan.fixed(FaultKind.KILL_ONE, 4).victims()).hasSize(1);
    assertThat(FaultPlan.fixed(FaultKind.KILL_TWO, 4).victims()).hasSize(2);
    assertThat(FaultPlan.fixed(FaultKind.PARTITION, 4).victims()).containsExactly(2);
    assertThat(FaultPlan.fixed(FaultKind.PARTITION_NETNS, 4).label())
        .isEqualTo("partition-netns v2");
    assertThat(FaultPlan.fixed(FaultKind.RELAY, 7).victims()).containsExactly(6);
    assertThat(FaultPlan.fixed(FaultKind.OVERLOAD, 4).victims()).isEmpty();
    assertThat(FaultPlan.fixed(FaultKind.HEAP, 4).label()).isEqualTo("heap v3");
    assertThat(FaultPlan.fixed(FaultKind.KILL_TWO, 4).label()).isEqualTo("kill-two v1,v2");
    assertThatThrownBy(() -> FaultPlan.fixed(FaultKind.KILL_ONE, 3))
        .hasMessageContaining("at least 4 validators");
  }

  @Test
  void theRandomScheduleIsASeededFunction() {
    List<FaultKind> kinds = List.of(FaultKind.values());
    List<FaultStep> a = FaultPlan.random(42, 50, kinds, 4);
    assertThat(a).hasSize(50).isEqualTo(FaultPlan.random(42, 50, kinds, 4));
    assertThat(a).isNotEqualTo(FaultPlan.random(43, 50, kinds, 4));
    assertThat(a.stream().map(FaultStep::kind).distinct().count()).isGreaterThan(3);
    for (FaultStep s : a) {
      assertThat(s.victims()).allMatch(v -> v >= 0 && v < 4).doesNotHaveDuplicates();
      if (s.kind() == FaultKind.RELAY) {
        assertThat(s.victims()).doesNotContain(0);
      }
      if (s.kind() == FaultKind.KILL_TWO) {
        assertThat(s.victims()).hasSize(2).isSorted();
      }
    }
    assertThat(FaultPlan.random(7, 10, List.of(FaultKind.OVERLOAD), 4))
        .allMatch(s -> s.kind() == FaultKind.OVERLOAD);
  }
}
