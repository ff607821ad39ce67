package dev.agentledger.bench.faults.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
  @Test
  void everyCommonCheckCanFail() {
    assertThat(ScenarioResult.commonFailures(5, 5, 0, true, 3, 3, false)).isEmpty();
    assertThat(ScenarioResult.commonFailures(5, 5, 0, false, 3, 3, false))
        .containsExactly("fork: validators disagree on a commit hash at a common height");
    assertThat(ScenarioResult.commonFailures(5, 5, 2, true, 3, 3, false))
        .containsExactly("2 accepted transactions never committed");
    assertThat(ScenarioResult.commonFailures(5, 5, 0, true, 3, 2, false))
        .containsExactly("1 proofs did not verify");
    assertThat(ScenarioResult.commonFailures(5, 5, 0, true, 0, 0, false))
        .containsExactly("no proof fetched");
    assertThat(ScenarioResult.commonFailures(0, 5, 0, true, 3, 3, false))
        .containsExactly("the honest load committed nothing during the fault");
    // a fault that takes the quorum away may stop commits, but they must resume
    assertThat(ScenarioResult.commonFailures(0, 5, 0, true, 3, 3, true)).isEmpty();
    assertThat(ScenarioResult.commonFailures(0, 0, 0, true, 3, 3, true))
        .containsExactly("the honest load committed nothing after the fault");
  }

  @Test
  void theTableHasARowPerScenarioAndNamesEachFailure() {
    ScenarioResult pass =
        new ScenarioResult(
            "kill-one v1",
            "kill -9 v1, restart",
            100,
            90,
            110,
            300,
            0,
            true,
            20,
            20,
            List.of(),
            null,
            List.of("v1 catch-up: 3.0 commits/s"));
    ScenarioResult fail =
        new ScenarioResult(
            "partition v3",
            "cut v3's peer links, heal",
            100,
            95,
            0,
            300,
            7,
            true,
            20,
            20,
            List.of("7 accepted transactions never committed"),
            null);
    ScenarioResult skip = ScenarioResult.skipped("disk-full v3", "fill", "needs root");
    String table = ResultsTable.render(List.of(pass, fail, skip));
    String[] lines = table.split("\n");
    assertThat(lines[0])
        .startsWith("scenario")
        .contains(
            "commits before", "during", "after", "accepted", "lost", "fork", "proofs", "verdict");
    assertThat(lines[1]).startsWith("kill-one v1").contains("20/20").endsWith("PASS");
    assertThat(lines[2]).startsWith("partition v3").endsWith("FAIL");
    assertThat(lines[3]).startsWith("disk-full v3").endsWith("SKIP");
    assertThat(table)
        .contains("partition v3: FAILED: 7 accepted transactions never committed")
        .contains("disk-full v3: skipped: needs root")
        .contains("kill-one v1: v1 catch-up: 3.0 commits/s")
        .endsWith("3 scenarios: 1 passed, 1 failed, 1 skipped\n");
    // columns line up: every row's verdict starts where the header's does
    int verdictColumn = lines[0].indexOf("verdict");
    assertThat(lines[1].indexOf("PASS")).isEqualTo(verdictColumn);
    assertThat(lines[3].indexOf("SKIP")).isEqualTo(verdictColumn);
    assertThat(pass.passed()).isTrue();
    assertThat(fail.passed()).isFalse();
    assertThat(skip.passed()).isFalse();
  }
}
