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

  @Test
  void caliperTestRoundsWithTxDurationAndTxNumberPlayInOrder() throws Exception {
    WorkloadFile w =
        parse(
            """
            test:
              name: caliper-style
              description: from a Caliper benchmark file
              workers: { number: 4 }
              rounds:
                - label: warmup
                  txNumber: 200
                  rateControl: { type: fixed-rate, opts: { tps: 100 } }
                  workload: { module: benchmarks/run.js }
                - label: ramp
                  txDuration: 4
                  rateControl: { type: linear-rate, opts: { startingTps: 100, finishingTps: 300 } }
                - label: count-ramp
                  txNumber: 600
                  rateControl: { type: linear-rate, opts: { startingTps: 100, finishingTps: 200 } }
            contents: { agents: 50 }
            """);
    assertThat(w.name()).isEqualTo("caliper-style");
    assertThat(w.roundLabels()).containsExactly("warmup", "ramp", "count-ramp");
    // 200 tx at 100/s = 2 s; 4 s ramping 100 -> 300 = 800 tx; 600 tx at a mean 150/s = 4 s
    assertThat(w.schedule().durationNs()).isEqualTo(10_000_000_000L);
    assertThat(w.schedule().count()).isEqualTo(200 + 800 + 600);
    assertThat(w.schedule().offsetNs(200)).isEqualTo(2_000_000_000L);
    assertThat(w.contents().agents()).isEqualTo(50);
  }

  @Test
  void caliperControlsThatAnOpenLoopGeneratorCannotPlayAreRefusedByName() {
    assertThatThrownBy(
            () ->
                parse(
                    "test:\n  rounds:\n    - txDuration: 5\n      rateControl: {type: fixed-load, opts: {transactionLoad: 10}}\n"))
        .hasMessageContaining("test: test: rounds[0]")
        .hasMessageContaining("'fixed-load' is not supported");
    assertThatThrownBy(
            () ->
                parse(
                    "test:\n  rounds:\n    - txDuration: 5\n      txNumber: 10\n      rateControl: {type: fixed-rate, opts: {tps: 5}}\n"))
        .hasMessageContaining("one of durationSeconds, txDuration or txNumber");
    assertThatThrownBy(
            () ->
                parse(
                    "test:\n  rounds:\n    - txNumber: 0\n      rateControl: {type: fixed-rate, opts: {tps: 5}}\n"))
        .hasMessageContaining("'txNumber' must be a positive integer");
    assertThatThrownBy(
            () ->
                parse(
                    "test:\n  rounds:\n    - txDuration: 1\n      rateControl: {type: fixed-rate, opts: {tps: 5}}\nrounds: []\n"))
        .hasMessageContaining("either under 'test'");
  }
}
