package dev.agentledger.node.consensus.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.sim.FakeSignatureScheme;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BullsharkTest {
  private static List<Digest> run(
      Committee committee, List<Certificate> order, boolean reputation, int window) {
    Bullshark.State state =
        new Bullshark.State(committee, new LeaderSchedule(committee, reputation, window), 50);
    List<Digest> sequence = new ArrayList<>();
    for (Certificate c : order) {
      for (CommittedSubDag d : Bullshark.process(state, c)) {
        assertThat(d.index()).isEqualTo(sequence.size());
        sequence.add(d.digest());
      }
    }
    return sequence;
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 7, 10})
  void sameDagInAnyCausalOrderCommitsTheSameSequence(int n) {
    Committee committee = TestDags.equalStake(n);
    for (long seed = 1; seed <= 6; seed++) {
      List<Certificate> dag = TestDags.randomDag(committee, 40, seed, 0.25);
      for (boolean reputation : new boolean[] {false, true}) {
        List<Digest> reference = run(committee, dag, reputation, 3);
        assertThat(reference).as("the random DAG commits something").hasSizeGreaterThan(3);
        for (long order = 1; order <= 15; order++) {
          List<Digest> other =
              run(committee, TestDags.randomCausalOrder(dag, seed * 100 + order), reputation, 3);
          assertThat(other)
              .as("seed %d order %d reputation %s", seed, order, reputation)
              .isEqualTo(reference);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 7, 10})
  void withWeakLinksAnyCausalOrderCommitsTheSameSequence(int n) {
    Committee committee = TestDags.equalStake(n);
    for (long seed = 1; seed <= 4; seed++) {
      List<Certificate> dag = TestDags.randomDag(committee, 40, seed, 0.25, true);
      List<Digest> reference = run(committee, dag, true, 3);
      assertThat(reference).hasSizeGreaterThan(3);
      for (long order = 1; order <= 10; order++) {
        assertThat(run(committee, TestDags.randomCausalOrder(dag, seed * 100 + order), true, 3))
            .as("seed %d order %d", seed, order)
            .isEqualTo(reference);
      }
    }
  }

  /** Certificates of rounds far enough below the last committed anchor that were never ordered. */
  private static long leftBehind(Committee committee, List<Certificate> dag, Set<Digest> ordered) {
    Bullshark.State state =
        new Bullshark.State(committee, new LeaderSchedule(committee, true, 3), 50);
    for (Certificate c : dag) {
      for (CommittedSubDag d : Bullshark.process(state, c)) {
        for (Certificate x : d.certificates()) {
          assertThat(ordered.add(x.digest())).as("ordered twice: %s", x).isTrue();
        }
      }
    }
    long behind = 0;
    for (Certificate c : dag) {
      if (c.round() <= state.lastCommittedRound() - 6 && !ordered.contains(c.digest())) {
        behind++;
      }
    }
    return behind;
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 7, 10})
  void weakLinksOrderEveryCertifiedVertexThatParentsLeaveBehind(int n) {
    Committee committee = TestDags.equalStake(n);
    long behindWithout = 0;
    for (long seed = 1; seed <= 6; seed++) {
      behindWithout +=
          leftBehind(
              committee, TestDags.randomDag(committee, 40, seed, 0.25, false), new HashSet<>());
      Set<Digest> ordered = new HashSet<>();
      List<Certificate> dag = TestDags.randomDag(committee, 40, seed, 0.25, true);
      assertThat(leftBehind(committee, dag, ordered)).as("seed %d", seed).isZero();
    }
    assertThat(behindWithout).as("parents alone leave certificates unordered").isPositive();
  }

  /** Round {@code r} of all four authors naming {@code parents} and {@code weak}. */
  private static List<Certificate> round(
      Committee committee,
      FakeSignatureScheme sigs,
      long r,
      List<Certificate> parents,
      List<WeakLink> weak) {
    List<Digest> p = parents.stream().map(Certificate::digest).toList();
    List<Certificate> out = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      out.add(
          TestDags.certify(
              committee, sigs, Vertex.create(0, r, a, List.of(), p, weak, sigs.signer(a))));
    }
    return out;
  }

  /**
   * Round 1 names authors 0..2 of round 0 only, so author 3's round-0 certificate has no child;
   * round {@code linkRound} links it weakly claiming round {@code claimedRound}. Returns whether it
   * was ordered, and checks the count of weakly ordered certificates.
   */
  private static boolean orphanOrdered(int linkRound, long claimedRound) {
    Committee committee = TestDags.equalStake(4);
    FakeSignatureScheme sigs = new FakeSignatureScheme(4, 5);
    Bullshark.State state =
        new Bullshark.State(committee, new LeaderSchedule(committee, false, 1), 50);
    List<Certificate> dag = new ArrayList<>();
    List<Certificate> previous = round(committee, sigs, 0, List.of(), List.of());
    dag.addAll(previous);
    Certificate orphan = previous.get(3);
    for (int r = 1; r <= 7; r++) {
      List<Certificate> parents = r == 1 ? previous.subList(0, 3) : previous;
      List<WeakLink> weak =
          r == linkRound ? List.of(new WeakLink(claimedRound, orphan.digest())) : List.of();
      previous = round(committee, sigs, r, parents, weak);
      dag.addAll(previous);
    }
    Set<Digest> ordered = new HashSet<>();
    for (Certificate c : dag) {
      for (CommittedSubDag d : Bullshark.process(state, c)) {
        d.certificates().forEach(x -> assertThat(ordered.add(x.digest())).isTrue());
      }
    }
    assertThat(state.lastCommittedRound()).isGreaterThanOrEqualTo(4);
    boolean in = ordered.contains(orphan.digest());
    if (orphan.author() != state.schedule().leader(0)) {
      assertThat(state.weaklyOrdered()).isEqualTo(in ? 1 : 0);
    }
    return in;
  }

  @Test
  void aWeakLinkOrdersACertificateNoChildNamed() {
    assertThat(orphanOrdered(2, 0)).isTrue();
    assertThat(orphanOrdered(3, 0)).isTrue();
  }

  @Test
  void aWeakLinkWhoseRoundDoesNotMatchItsCertificateIsNotFollowed() {
    assertThat(orphanOrdered(3, 1)).isFalse();
    assertThat(orphanOrdered(-1, 0)).as("no link at all").isFalse();
  }

  @Test
  void everyPrefixOfACausalOrderCommitsAPrefixOfTheFullSequence() {
    Committee committee = TestDags.equalStake(4);
    List<Certificate> dag = TestDags.randomDag(committee, 30, 9, 0.3);
    List<Digest> full = run(committee, dag, true, 2);
    for (int cut = 0; cut < dag.size(); cut += 7) {
      List<Certificate> order = TestDags.randomCausalOrder(dag, cut);
      List<Digest> partial = run(committee, order.subList(0, cut), true, 2);
      assertThat(full.subList(0, partial.size())).isEqualTo(partial);
    }
  }

  @Test
  void committedHistoriesAreDisjointAndOrderedByRoundThenAuthor() {
    Committee committee = TestDags.equalStake(7);
    List<Certificate> dag = TestDags.randomDag(committee, 30, 3, 0.2);
    Bullshark.State state =
        new Bullshark.State(committee, new LeaderSchedule(committee, false, 1), 50);
    Set<Digest> seen = new HashSet<>();
    long lastAnchorRound = -1;
    for (Certificate c : dag) {
      for (CommittedSubDag d : Bullshark.process(state, c)) {
        assertThat(d.anchorRound()).isGreaterThan(lastAnchorRound);
        assertThat(d.anchorRound() % 2).isZero();
        lastAnchorRound = d.anchorRound();
        assertThat(d.certificates().getLast()).isSameAs(d.anchor());
        for (int i = 0; i < d.certificates().size(); i++) {
          Certificate x = d.certificates().get(i);
          assertThat(seen.add(x.digest())).as("committed twice: %s", x).isTrue();
          if (i > 0) {
            Certificate prev = d.certificates().get(i - 1);
            assertThat(
                    prev.round() < x.round()
                        || (prev.round() == x.round() && prev.author() < x.author()))
                .isTrue();
          }
        }
      }
    }
  }

  /** Round 0: four vertices; round 1: vertices naming the anchor of round 0 or not. */
  @Test
  void anchorCommitsOnlyWithMoreThanOneThirdOfTheStakeSupportingIt() {
    Committee committee = TestDags.equalStake(4); // quorum 3, validity 2
    FakeSignatureScheme sigs = new FakeSignatureScheme(4, 1);
    LeaderSchedule schedule = new LeaderSchedule(committee, false, 1);
    int leader = schedule.leader(0);
    Bullshark.State state = new Bullshark.State(committee, schedule, 50);
    List<Certificate> round0 = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      round0.add(
          TestDags.certify(
              committee, sigs, Vertex.create(0, 0, a, List.of(), List.of(), sigs.signer(a))));
    }
    for (Certificate c : round0) {
      assertThat(Bullshark.process(state, c)).isEmpty();
    }
    List<Digest> withoutLeader = new ArrayList<>();
    for (Certificate c : round0) {
      if (c.author() != leader) withoutLeader.add(c.digest());
    }
    List<Digest> withLeader = round0.stream().map(Certificate::digest).toList();
    int supporter1 = (leader + 1) % 4;
    int supporter2 = (leader + 2) % 4;
    int other = (leader + 3) % 4;
    // a non-supporting vertex and one supporter: stake 1 supports the anchor: no commit
    assertThat(
            Bullshark.process(
                state,
                TestDags.certify(
                    committee,
                    sigs,
                    Vertex.create(0, 1, other, List.of(), withoutLeader, sigs.signer(other)))))
        .isEmpty();
    assertThat(
            Bullshark.process(
                state,
                TestDags.certify(
                    committee,
                    sigs,
                    Vertex.create(
                        0, 1, supporter1, List.of(), withLeader, sigs.signer(supporter1)))))
        .isEmpty();
    assertThat(Bullshark.support(state, round0.get(leader))).isEqualTo(1);
    // the second supporter makes 2 > 4/3: the anchor commits with its causal history (itself)
    List<CommittedSubDag> commits =
        Bullshark.process(
            state,
            TestDags.certify(
                committee,
                sigs,
                Vertex.create(0, 1, supporter2, List.of(), withLeader, sigs.signer(supporter2))));
    assertThat(commits).hasSize(1);
    assertThat(commits.get(0).anchor()).isSameAs(round0.get(leader));
    assertThat(commits.get(0).certificates()).containsExactly(round0.get(leader));
    assertThat(state.lastCommittedRound()).isZero();
  }

  /** An anchor that missed direct support commits before a later anchor that reaches it. */
  @Test
  void earlierAnchorReachableFromACommittedAnchorCommitsFirst() {
    Committee committee = TestDags.equalStake(4);
    FakeSignatureScheme sigs = new FakeSignatureScheme(4, 2);
    LeaderSchedule schedule = new LeaderSchedule(committee, false, 1);
    Bullshark.State state = new Bullshark.State(committee, schedule, 50);
    int l0 = schedule.leader(0);
    List<Certificate> prev = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      prev.add(
          TestDags.certify(
              committee, sigs, Vertex.create(0, 0, a, List.of(), List.of(), sigs.signer(a))));
    }
    prev.forEach(c -> Bullshark.process(state, c));
    // round 1: only one vertex names the round-0 anchor (support 1 < 2); all others skip it
    List<Certificate> r1 = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      List<Digest> parents = new ArrayList<>();
      for (Certificate p : prev) {
        if (p.author() != l0 || a == (l0 + 1) % 4) parents.add(p.digest());
      }
      r1.add(
          TestDags.certify(
              committee, sigs, Vertex.create(0, 1, a, List.of(), parents, sigs.signer(a))));
    }
    for (Certificate c : r1) {
      assertThat(Bullshark.process(state, c)).isEmpty();
    }
    // round 2: everyone names everything; round 3: everyone names everything -> anchor of 2
    // commits,
    // and the round-0 anchor (reached through the one supporter) commits first
    List<Certificate> r2 = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      r2.add(
          TestDags.certify(
              committee,
              sigs,
              Vertex.create(
                  0,
                  2,
                  a,
                  List.of(),
                  r1.stream().map(Certificate::digest).toList(),
                  sigs.signer(a))));
    }
    r2.forEach(c -> assertThat(Bullshark.process(state, c)).isEmpty());
    List<CommittedSubDag> commits = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      commits.addAll(
          Bullshark.process(
              state,
              TestDags.certify(
                  committee,
                  sigs,
                  Vertex.create(
                      0,
                      3,
                      a,
                      List.of(),
                      r2.stream().map(Certificate::digest).toList(),
                      sigs.signer(a)))));
    }
    assertThat(commits).hasSize(2);
    assertThat(commits.get(0).anchor().round()).isZero();
    assertThat(commits.get(0).anchor().author()).isEqualTo(l0);
    assertThat(commits.get(1).anchor().round()).isEqualTo(2);
    // the second commit holds the other round-0 vertices, all of round 1, and the anchor of round 2
    assertThat(commits.get(1).certificates()).hasSize(3 + 4 + 1);
  }

  /**
   * A validator that restarts from its stored commits and certificates continues the same sequence.
   */
  @Test
  void restoringStoredCommitsAndCertificatesContinuesTheSameSequence() {
    Committee committee = TestDags.equalStake(4);
    List<Certificate> dag = TestDags.randomDag(committee, 60, 21, 0.2);
    List<Digest> uninterrupted = run(committee, dag, true, 3);
    for (int cut : new int[] {37, 101, 170}) {
      Bullshark.State before =
          new Bullshark.State(committee, new LeaderSchedule(committee, true, 3), 4);
      List<CommittedSubDag> stored = new ArrayList<>();
      for (Certificate c : dag.subList(0, cut)) {
        stored.addAll(Bullshark.process(before, c));
      }
      Bullshark.State after =
          new Bullshark.State(committee, new LeaderSchedule(committee, true, 3), 4);
      stored.forEach(d -> Bullshark.restoreCommitted(after, d));
      for (Certificate c : dag.subList(0, cut)) {
        if (c.round() > after.gcRound()) {
          assertThat(Bullshark.insertOnly(after, c)).isTrue();
        }
      }
      List<Digest> sequence =
          new ArrayList<>(stored.stream().map(CommittedSubDag::digest).toList());
      Bullshark.tryCommit(after).forEach(d -> sequence.add(d.digest()));
      for (Certificate c : dag.subList(cut, dag.size())) {
        Bullshark.process(after, c).forEach(d -> sequence.add(d.digest()));
      }
      assertThat(sequence).as("cut at %d", cut).isEqualTo(runWithGc(committee, dag, 4));
    }
    assertThat(uninterrupted).isNotEmpty();
  }

  private static List<Digest> runWithGc(Committee committee, List<Certificate> order, int gcDepth) {
    Bullshark.State state =
        new Bullshark.State(committee, new LeaderSchedule(committee, true, 3), gcDepth);
    List<Digest> sequence = new ArrayList<>();
    for (Certificate c : order) {
      Bullshark.process(state, c).forEach(d -> sequence.add(d.digest()));
    }
    return sequence;
  }
}
