package dev.agentledger.bench.faults.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatchUpTest {
  private static final long S = 1_000_000_000L;

  @Test
  void theWindowRunsFromTheFirstAnswerBehindToTheFirstSampleAtTheOthersHeight() {
    // not answering for two samples, then 10 behind; the cluster adds 1 commit/s, the victim 6/s
    long[] t = {0, S, 2 * S, 3 * S, 4 * S, 5 * S};
    long[] victim = {-1, -1, 90, 96, 102, 200};
    long[] cluster = {98, 99, 100, 101, 102, 103};
    CatchUp c = CatchUp.of(t, victim, cluster, 5);
    assertThat(c.reached()).isTrue();
    assertThat(c.windowNs()).isEqualTo(2 * S);
    assertThat(c.victimFrom()).isEqualTo(90);
    assertThat(c.victimTo()).isEqualTo(102);
    assertThat(c.victimRate()).isEqualTo(6.0);
    assertThat(c.clusterRate()).isEqualTo(1.0);
    assertThat(c.ratio()).isEqualTo(6.0);
    assertThat(c.describe())
        .contains("commits 90..102 in 2.0 s = 6.00 commits/s")
        .contains("100..102 = 1.00 commits/s: 6.0x the cluster's rate")
        .doesNotContain("had not reached");
  }

  @Test
  void aValidatorThatNeverReachesTheOthersIsMeasuredToItsLastAnswer() {
    long[] t = {0, S, 2 * S, 3 * S};
    long[] victim = {10, 11, 12, -1};
    long[] cluster = {20, 21, 22, 23};
    CatchUp c = CatchUp.of(t, victim, cluster, 4);
    assertThat(c.reached()).isFalse();
    assertThat(c.windowNs()).isEqualTo(2 * S);
    assertThat(c.ratio()).isEqualTo(1.0);
    assertThat(c.describe()).endsWith("(had not reached the others when sampling stopped)");
  }

  @Test
  void nothingToMeasureWhenNeverBehindOrNeverAnswering() {
    CatchUp level = CatchUp.of(new long[] {0, S}, new long[] {5, 6}, new long[] {5, 6}, 2);
    assertThat(level.windowNs()).isZero();
    assertThat(level.victimRate()).isZero();
    assertThat(level.describe()).contains("nothing to measure");
    CatchUp silent = CatchUp.of(new long[] {0, S}, new long[] {-1, -1}, new long[] {5, 6}, 2);
    assertThat(silent.reached()).isFalse();
    assertThat(silent.describe()).contains("never answered");
  }

  @Test
  void anIdleClusterGivesNoRatio() {
    CatchUp c = CatchUp.of(new long[] {0, S}, new long[] {1, 5}, new long[] {5, 5}, 2);
    assertThat(c.clusterRate()).isZero();
    assertThat(c.describe()).endsWith("the cluster added no commit meanwhile");
  }
}
