package dev.agentledger.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkloadFileTest {
  private static WorkloadFile parse(String yaml) throws Exception {
    return WorkloadFile.parse(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
  }

  @Test
  void theShippedWorkloadPlaysItsRoundsInOrder() throws Exception {
    WorkloadFile w = WorkloadFile.builtin("mixed");
    assertThat(w.roundLabels()).containsExactly("warmup", "ramp", "steps");
    // 3 s at 500 + 6 s ramping 500 -> 2500 + 3 s each at 1500, 3000, 1000
    assertThat(w.schedule().count()).isEqualTo(1500 + 9000 + 4500 + 9000 + 3000);
    assertThat(w.schedule().durationNs()).isEqualTo(18_000_000_000L);
    assertThat(w.schedule().offsetNs(1500)).isEqualTo(3_000_000_000L);
    assertThat(w.contents().agents()).isEqualTo(5000);
    assertThat(w.contents().badSignatureFraction()).isEqualTo(0.005);
    assertThat(w.contents().outcomeWeights()).containsExactly(90, 6, 3, 1);
  }

  @Test
  void typosAreErrorsNotDefaults() {
    assertThatThrownBy(
            () ->
                parse(
                    "rounds:\n  - durationSeconds: 1\n    rateControl: {type: fixed-rate, opts: {tsp: 5}}\n"))
        .hasMessageContaining("unknown key 'tsp'");
    assertThatThrownBy(
            () ->
                parse(
                    "rounds:\n  - durationSeconds: 1\n    rateControl: {type: poisson, opts: {}}\n"))
        .hasMessageContaining("fixed-rate, linear-rate or step-rate");
    assertThatThrownBy(() -> parse("rounds: []\n")).hasMessageContaining("non-empty");
    assertThatThrownBy(
            () -> parse("rounds:\n  - rateControl: {type: fixed-rate, opts: {tps: 5}}\n"))
        .hasMessageContaining("durationSeconds");
    assertThatThrownBy(
            () ->
                parse(
                    "rounds:\n  - durationSeconds: 1\n    rateControl: {type: fixed-rate, opts: {tps: 5}}\ncontents: {agents: 0}\n"))
        .hasMessageContaining("agents");
  }
}
