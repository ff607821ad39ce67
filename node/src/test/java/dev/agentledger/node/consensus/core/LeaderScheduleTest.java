package dev.agentledger.node.consensus.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.sim.FakeSignatureScheme;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderScheduleTest {
  private static CommittedSubDag commitWithout(
      Committee committee, FakeSignatureScheme sigs, long index, int absent) {
    List<Certificate> certs = new ArrayList<>();
    for (int a = 0; a < committee.size(); a++) {
      if (a != absent) {
        certs.add(
            TestDags.certify(
                committee,
                sigs,
                Vertex.create(0, 2 * index, a, List.of(), List.of(), sigs.signer(a))));
      }
    }
    return new CommittedSubDag(index, certs.getLast(), certs, 0);
  }

  @Test
  void anchorsOnlyInEvenRoundsAndDeterministic() {
    Committee c = TestDags.equalStake(7);
    LeaderSchedule a = new LeaderSchedule(c, true, 5);
    LeaderSchedule b = new LeaderSchedule(c, true, 5);
    int[] counts = new int[7];
    for (long r = 0; r < 2000; r++) {
      assertThat(a.leader(r)).isEqualTo(b.leader(r));
      if (r % 2 == 1) {
        assertThat(a.leader(r)).isEqualTo(-1);
      } else {
        counts[a.leader(r)]++;
      }
    }
    for (int n : counts) {
      assertThat(n).as("equal stakes share the 1000 anchor slots equally").isBetween(140, 146);
    }
  }

  @Test
  void everyWindowOfNAnchorsGivesEachEqualStakeValidatorOneSlot() {
    Committee c = TestDags.equalStake(7);
    LeaderSchedule s = new LeaderSchedule(c, true, 5);
    for (long start = 0; start < 200; start += 2) {
      java.util.Set<Integer> leaders = new java.util.HashSet<>();
      for (long r = start; r < start + 14; r += 2) {
        leaders.add(s.leader(r));
      }
      assertThat(leaders).as("window from round %d", start).hasSize(7);
    }
  }

  @Test
  void slotsFollowStake() {
    Committee c = Committee.ofStakes(0, TestDags.distinctKeys(4), new long[] {40, 20, 20, 20});
    LeaderSchedule s = new LeaderSchedule(c, false, 1);
    int[] counts = new int[4];
    for (long r = 0; r < 2000; r += 2) {
      counts[s.leader(r)]++;
    }
    assertThat(counts[0]).isEqualTo(400);
    assertThat(counts[1]).isEqualTo(200);
  }

  @Test
  void validatorWhoseVerticesAreNotCommittedLosesAnchorSlots() {
    Committee c = TestDags.equalStake(4);
    FakeSignatureScheme sigs = new FakeSignatureScheme(4, 7);
    LeaderSchedule schedule = new LeaderSchedule(c, true, 3);
    assertThat(schedule.onCommitted(commitWithout(c, sigs, 0, 2))).isFalse();
    assertThat(schedule.onCommitted(commitWithout(c, sigs, 1, 2))).isFalse();
    assertThat(schedule.onCommitted(commitWithout(c, sigs, 2, 2))).isTrue();
    assertThat(schedule.version()).isEqualTo(1);
    assertThat(schedule.isEligible(2)).isFalse();
    for (long r = 0; r < 400; r += 2) {
      assertThat(schedule.leader(r)).isNotEqualTo(2);
    }
    // once its vertices are committed again it returns after the next window
    for (long i = 3; i < 6; i++) {
      schedule.onCommitted(commitWithout(c, sigs, i, -1));
    }
    assertThat(schedule.isEligible(2)).isTrue();
  }

  @Test
  void neverExcludesAThirdOfTheStakeOrMore() {
    Committee c = TestDags.equalStake(4); // at most 1 of 4 may be excluded
    FakeSignatureScheme sigs = new FakeSignatureScheme(4, 8);
    LeaderSchedule schedule = new LeaderSchedule(c, true, 1);
    // only validator 0 is ever committed: 1, 2, 3 all score 0, but only one can be excluded
    List<Certificate> only0 =
        List.of(
            TestDags.certify(
                c, sigs, Vertex.create(0, 0, 0, List.of(), List.of(), sigs.signer(0))));
    schedule.onCommitted(new CommittedSubDag(0, only0.getFirst(), only0, 0));
    int excluded = 0;
    for (int v = 0; v < 4; v++) {
      excluded += schedule.isEligible(v) ? 0 : 1;
    }
    assertThat(excluded).isEqualTo(1);
  }

  @Test
  void withoutReputationTheScheduleNeverChanges() {
    Committee c = TestDags.equalStake(4);
    FakeSignatureScheme sigs = new FakeSignatureScheme(4, 9);
    LeaderSchedule schedule = new LeaderSchedule(c, false, 1);
    assertThat(schedule.onCommitted(commitWithout(c, sigs, 0, 1))).isFalse();
    assertThat(schedule.version()).isZero();
  }
}
