package dev.agentledger.node.consensus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.committee.Committee;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitteeTest {
  @Test
  void quorumsAreByStakeNotByCount() {
    // one validator with 5 of 10 units: its stake alone is above 1/3, below 2/3
    Committee c = Committee.ofStakes(0, TestDags.distinctKeys(6), new long[] {5, 1, 1, 1, 1, 1});
    assertThat(c.totalStake()).isEqualTo(10);
    assertThat(c.quorumThreshold()).isEqualTo(7); // > 20/3
    assertThat(c.validityThreshold()).isEqualTo(4); // > 10/3
    assertThat(c.maxFaultyStake()).isEqualTo(3);
  }

  @Test
  void thresholdsForEqualStakeCommittees() {
    for (int n : new int[] {4, 7, 10}) {
      Committee c = TestDags.equalStake(n);
      int f = (n - 1) / 3;
      assertThat(c.quorumThreshold()).isEqualTo(2L * f + 1);
      assertThat(c.validityThreshold()).isEqualTo(f + 1L);
    }
  }

  @Test
  void delegationsMustSumToTheValidatorsStake() {
    List<Committee.Delegation> delegations =
        List.of(new Committee.Delegation("alice", 60), new Committee.Delegation("bob", 40));
    assertThat(new Committee.Validator(0, "v0", new byte[32], 100, delegations).stake())
        .isEqualTo(100);
    assertThatThrownBy(() -> new Committee.Validator(0, "v0", new byte[32], 101, delegations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delegations sum to 100");
    assertThatThrownBy(() -> new Committee.Delegation("carol", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void indicesMustMatchPositions() {
    Committee.Validator v =
        new Committee.Validator(
            1, "v1", new byte[32], 1, List.of(new Committee.Delegation("x", 1)));
    assertThatThrownBy(() -> new Committee(0, 0, List.of(v)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oneModelServesNetworkConsensusAndTheFileForm() {
    List<byte[]> keys = TestDags.distinctKeys(4);
    Committee c = Committee.ofStakes(0, keys, new long[] {10, 20, 30, 40});
    assertThat(c.indexOf(keys.get(2), 0)).isEqualTo(2);
    assertThat(c.stakeOf(keys.get(3))).isEqualTo(40);
    assertThat(c.stakeOf(new byte[32])).isZero();
    assertThat(c.isQuorum(67)).isTrue();
    assertThat(c.isQuorum(66)).isFalse();
    Committee file = Committee.fromJson(c.withChainId(7).toJson());
    assertThat(file.chainId()).isEqualTo(7);
    assertThat(file.size()).isEqualTo(4);
    assertThat(file.publicKey(1)).isEqualTo(keys.get(1));
    assertThat(file.quorumThreshold()).isEqualTo(c.quorumThreshold());
  }

  @Test
  void refusesARepeatedKeyAndAnEmptyOrOversizedCommittee() {
    List<byte[]> same = List.of(new byte[32], new byte[32]);
    assertThatThrownBy(() -> Committee.ofStakes(0, same, new long[] {1, 1}))
        .hasMessageContaining("duplicate validator key");
    assertThatThrownBy(() -> new Committee(0, 0, List.of())).hasMessageContaining("committee size");
    assertThatThrownBy(
            () -> Committee.ofStakes(0, TestDags.distinctKeys(2), new long[] {1L << 60, 1L << 60}))
        .hasMessageContaining("2^61");
  }
}
