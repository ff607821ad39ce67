package dev.agentledger.node.consensus.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProposalPacerTest {
  private static final int FULL = 16;

  private static ProposalPacer pacer() {
    ProposalPacer p = new ProposalPacer(600);
    p.setEmptyProposalDelayMs(50);
    p.setIdleProposalDelayMs(10_000);
    return p;
  }

  @Test
  void withoutOwnBatchesAProposalWaitsTheEmptyDelayOrTheIdleDelayWhenNothingIsLeftToOrder() {
    ProposalPacer p = pacer();
    assertThat(p.roundTimeAllows(0, FULL, false, 49)).isFalse();
    assertThat(p.roundTimeAllows(0, FULL, false, 50)).isTrue();
    assertThat(p.roundTimeAllows(0, FULL, true, 9_999)).isFalse();
    assertThat(p.roundTimeAllows(0, FULL, true, 10_000)).isTrue();
    assertThat(p.isIdlePaced(true)).isTrue();
    assertThat(p.isIdlePaced(false)).isFalse();
  }

  @Test
  void anOwnBatchGoesAtOnceWhateverThePace() {
    ProposalPacer p = pacer();
    assertThat(p.roundTimeAllows(1, FULL, true, 0)).isTrue();
    assertThat(p.roundTimeAllows(1, FULL, false, 0)).isTrue();
  }

  @Test
  void anIdleDelayNotAboveTheEmptyDelayIsOff() {
    ProposalPacer p = pacer();
    p.setIdleProposalDelayMs(50);
    assertThat(p.isIdlePaced(true)).isFalse();
    assertThat(p.emptyDelayMs(true)).isEqualTo(50);
  }

  @Test
  void theMinimumRoundTimeHoldsBackAllButAFullVertex() {
    ProposalPacer p = pacer();
    p.setMinRoundMs(200);
    assertThat(p.roundTimeAllows(FULL - 1, FULL, false, 199)).isFalse();
    assertThat(p.roundTimeAllows(FULL - 1, FULL, false, 200)).isTrue();
    assertThat(p.roundTimeAllows(FULL, FULL, false, 0)).isTrue();
  }

  @Test
  void buildingOnTheOwnRoundWaitsForTheLeaderUpToTheTimeoutAndCountsTheOutcome() {
    ProposalPacer p = pacer();
    // a later round than the own one: no wait
    assertThat(p.quorumAllows(5, 4, false, false, false, 0, 1_000)).isTrue();
    // the own round without its leader: wait until the timeout runs out
    assertThat(p.quorumAllows(5, 5, false, false, false, 599, 1_599)).isFalse();
    assertThat(p.leaderTimeout().timeouts()).isZero();
    assertThat(p.quorumAllows(5, 5, false, false, false, 600, 1_600)).isTrue();
    assertThat(p.leaderTimeout().timeouts()).isEqualTo(1);
    assertThat(p.quorumAllows(6, 6, true, true, false, 10, 1_700)).isTrue();
    assertThat(p.leaderTimeout().leaderArrivals()).isEqualTo(1);
  }

  @Test
  void underTheIdlePaceAWaitSaysNothingAboutTheLeader() {
    ProposalPacer p = pacer();
    assertThat(p.quorumAllows(5, 5, false, false, true, 10_000, 20_000)).isTrue();
    assertThat(p.leaderTimeout().timeouts()).isZero();
  }

  @Test
  void theStragglerWaitRunsFromWhenTheQuorumWasFirstSeenAndEndsWhenAllAreIn() {
    ProposalPacer p = pacer();
    p.setStragglerWaitMs(15);
    assertThat(p.quorumAllows(7, 7, true, false, false, 100, 1_000)).isFalse();
    assertThat(p.quorumAllows(7, 7, true, false, false, 114, 1_014)).isFalse();
    assertThat(p.quorumAllows(7, 7, true, false, false, 115, 1_015)).isTrue();
    assertThat(p.quorumAllows(8, 8, true, false, false, 1, 2_000)).isFalse();
    assertThat(p.quorumAllows(8, 8, true, true, false, 2, 2_001)).isTrue();
  }
}
