package dev.agentledger.node.consensus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnBatchesTest {
  private static Digest d(int i) {
    return Batch.of(new byte[] {(byte) i}).digest();
  }

  @Test
  void aVertexTakesUpToItsLimitOldestFirstAndItsCommitSettlesThem() {
    OwnBatches own = new OwnBatches();
    assertThat(own.isSettled()).isTrue();
    for (int i = 0; i < 5; i++) {
      own.add(d(i));
    }
    assertThat(own.propose(3, 3)).containsExactly(d(0), d(1), d(2));
    assertThat(own.waitingCount()).isEqualTo(2);
    assertThat(own.propose(4, 3)).containsExactly(d(3), d(4));
    assertThat(own.propose(5, 3)).isEmpty();
    assertThat(own.isSettled()).as("proposed, not yet committed").isFalse();
    own.committed(3);
    own.committed(4);
    assertThat(own.isSettled()).isTrue();
    assertThat(own.reproposed()).isZero();
  }

  @Test
  void anAbandonedVertexsBatchesGoFirstInTheNextProposalInTheirOrder() {
    OwnBatches own = new OwnBatches();
    own.add(d(0));
    own.add(d(1));
    own.propose(3, 16);
    own.add(d(2));
    own.abandon(3);
    own.abandon(3); // once only
    assertThat(own.propose(4, 16)).containsExactly(d(0), d(1), d(2));
    assertThat(own.reproposed()).isEqualTo(2);
    assertThat(own.abandoned()).isEqualTo(1);
  }

  @Test
  void batchesOfUncommittedVerticesAtOrBelowTheGcRoundAreProposedAgainAndNoneIsLostOrDoubled() {
    OwnBatches own = new OwnBatches();
    List<Digest> all = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      own.add(d(r));
      all.add(d(r));
      own.propose(r, 16);
    }
    own.committed(1);
    own.committed(4);
    own.collect(3); // rounds 0, 2, 3 were not committed and fall to the gc round
    assertThat(own.reproposed()).isEqualTo(3);
    List<Digest> again = own.propose(10, 16);
    // each round's batches go to the front in turn, so the latest round leads
    assertThat(again).containsExactly(d(3), d(2), d(0));
    own.committed(5);
    own.committed(10);
    assertThat(own.isSettled()).isTrue();
    assertThat(own.abandoned()).isZero();
  }
}
