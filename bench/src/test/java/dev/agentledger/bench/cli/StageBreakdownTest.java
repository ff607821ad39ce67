package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.bench.report.RunReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console lines of the per-validator stage breakdown: CPU and allocation per transaction. */
class StageBreakdownTest {
  @Test
  void eachStageShowsItsCpuAndWhereMeasuredItsBytesPerTransaction() {
    String lines =
        LoadgenCommand.stageBreakdown(
            List.of(
                stage("validator v0", 300_000, 9_000), // a whole process: not in the breakdown
                stage(DemoCommand.STAGE_PREFIX + "worker (admission)", 41_700, 1_234.4),
                stage(DemoCommand.STAGE_PREFIX + "GC threads", 20_000, 0),
                stage(DemoCommand.STAGE_PREFIX + "unmeasured", 5_000, -1)));
    String[] rows = lines.strip().split("\\R\\s*");
    assertThat(rows).hasSize(3);
    assertThat(rows[0]).startsWith("worker (admission)").endsWith("41,700      1,234 B");
    assertThat(rows[1]).startsWith("GC threads").endsWith("20,000          0 B");
    // allocation not measured: the CPU alone, no byte column
    assertThat(rows[2]).startsWith("unmeasured").endsWith("5,000");
    assertThat(lines).doesNotContain("validator v0");
    assertThat(LoadgenCommand.stageBreakdown(List.of(stage("validator v0", 1, 1)))).isEmpty();
  }

  private static RunReport.Stage stage(String name, double nsPerTx, double bytesPerTx) {
    return new RunReport.Stage(
        name, 0, 0, nsPerTx, 0, 0, "", "measured", bytesPerTx < 0 ? -1 : 1, bytesPerTx);
  }
}
