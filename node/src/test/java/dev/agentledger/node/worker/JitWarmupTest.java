package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The warm-up runs its rounds over real signatures and hashing, each verdict checked as it goes.
 */
class JitWarmupTest {
  @Test
  void runsTheRequestedRoundsAndVerifiesEverySignatureItMade() {
    JitWarmup.Result result = JitWarmup.run(60_000, 8);
    assertThat(result.rounds()).isEqualTo(8);
    // batches of 1, 3, 8 and 64 records, twice, plus three certificate and three consensus
    // signatures a round
    assertThat(result.signaturesVerified()).isEqualTo(2 * (1 + 3 + 8 + 64) + 8 * 6);
  }

  @Test
  void stopsAtItsTimeBudget() {
    assertThat(JitWarmup.run(0, 1_000_000).rounds()).isZero();
  }
}
