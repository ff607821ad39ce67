package dev.agentledger.zk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class MsmSpeedTest {
  @Test
  void medianOfOddAndEvenCountsIgnoresOrderAndOneOutlier() {
    assertThat(MsmSpeed.median(new double[] {140, 110, 115, 500, 112})).isEqualTo(115);
    assertThat(MsmSpeed.median(new double[] {3, 1, 4, 2})).isEqualTo(2.5);
    assertThat(MsmSpeed.median(new double[] {7})).isEqualTo(7);
  }

  @Test
  void fiveRunsUpToTwoToTheSixteenThreeUpToEighteenOneAbove() {
    assertThat(MsmSpeed.runs(1 << 10)).isEqualTo(5);
    assertThat(MsmSpeed.runs(1 << 16)).isEqualTo(5);
    assertThat(MsmSpeed.runs((1 << 16) + 1)).isEqualTo(3);
    assertThat(MsmSpeed.runs(1 << 18)).isEqualTo(3);
    assertThat(MsmSpeed.runs(1 << 20)).isEqualTo(1);
  }

  @Test
  void jsonLineNamesTheNumberOfTimedRuns() throws Exception {
    StringWriter text = new StringWriter();
    List<MsmSpeed.Result> results =
        MsmSpeed.run(List.of(1 << 8), List.of(1), true, true, null, new PrintWriter(text));
    assertThat(results).hasSize(1);
    assertThat(results.get(0).ms()).isPositive();
    assertThat(text.toString().strip())
        .startsWith(
            "{\"name\":\"msm-bn254-g1\",\"impl\":\"project\",\"size\":256,\"threads\":1,\"ms\":")
        .endsWith(",\"runs\":5}");
  }
}
