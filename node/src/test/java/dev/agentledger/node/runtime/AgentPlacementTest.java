package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.config.CpuList;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentPlacementTest {
  private final AgentPlacement placement =
      new AgentPlacement(Map.of("primary", CpuList.of(2), "verify", CpuList.parse("3-4")));

  @Test
  void anAgentGetsTheCpusOfItsRoleAndAnAgentOfAnUnnamedRoleIsNotPinned() {
    assertThat(AgentPlacement.role("verify-0-1")).isEqualTo("verify");
    assertThat(AgentPlacement.role("primary")).isEqualTo("primary");
    assertThat(placement.coresOf("primary-3")).isEqualTo(CpuList.of(2));
    assertThat(placement.coresOf("verify-3-0")).isEqualTo(CpuList.parse("3-4"));
    assertThat(placement.coresOf("verify-3-1")).isEqualTo(CpuList.parse("3-4"));
    assertThat(placement.coresOf("worker-3").isEmpty()).isTrue();
    assertThat(placement.isEmpty()).isFalse();
    assertThat(AgentPlacement.NONE.isEmpty()).isTrue();
    assertThat(AgentPlacement.NONE.coresOf("primary-0").isEmpty()).isTrue();
  }

  @Test
  void cpusThisProcessMayRunOnAreFineUnderDedicated() {
    assertThat(placement.problems(ThreadingMode.DEDICATED, CpuList.parse("0-7"))).isEmpty();
    assertThat(AgentPlacement.NONE.problems(ThreadingMode.SHARED, CpuList.of(0))).isEmpty();
  }

  @Test
  void aCpuOutsideTheProcessesSetIsNamedWithItsRole() {
    assertThat(placement.problems(ThreadingMode.DEDICATED, CpuList.parse("0-3")))
        .containsExactly("agent_cores.verify: CPU 4 is not one this process may run on (0-3)");
    assertThat(placement.problems(ThreadingMode.DEDICATED, CpuList.parse("0-1")))
        .containsExactly(
            "agent_cores.primary: CPU 2 is not one this process may run on (0-1)",
            "agent_cores.verify: CPU 3-4 is not one this process may run on (0-1)");
  }

  @Test
  void pinningIsRefusedUnderAnotherThreadingMode() {
    assertThat(placement.problems(ThreadingMode.SHARED, CpuList.parse("0-7")))
        .containsExactly(
            "agent_cores pins agents only under threading dedicated (threading is shared)");
  }
}
