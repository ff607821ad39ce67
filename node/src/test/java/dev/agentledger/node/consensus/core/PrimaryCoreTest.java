package dev.agentledger.node.consensus.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.core.ConsensusMessage.CertificateMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VertexMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VoteMessage;
import dev.agentledger.node.consensus.memory.InMemoryConsensusStore;
import dev.agentledger.node.sim.FakeSignatureScheme;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimaryCoreTest {
  private static final class RecordingOutbox implements PrimaryOutbox {
    final List<int[]> targets = new ArrayList<>();
    final List<ConsensusMessage> sent = new ArrayList<>();

    @Override
    public void send(int to, ConsensusMessage message) {
      targets.add(new int[] {to});
      sent.add(message);
    }

    @Override
    public void broadcast(ConsensusMessage message) {
      targets.add(new int[] {-1});
      sent.add(message);
    }

    List<Vote> votes() {
      return sent.stream()
          .filter(m -> m instanceof VoteMessage)
          .map(m -> ((VoteMessage) m).vote())
          .toList();
    }
  }

  private final Committee committee = TestDags.equalStake(4);
  private final FakeSignatureScheme sigs = new FakeSignatureScheme(4, 42);

  private PrimaryCore primary(
      int me, ConsensusStore store, RecordingOutbox outbox, List<CommittedSubDag> commits) {
    return new PrimaryCore(
        PrimaryConfig.defaults(), committee, me, sigs.signer(me), store, outbox, commits::add, 0);
  }

  @Test
  void freshPrimaryProposesRoundZeroOnce() {
    InMemoryConsensusStore store = new InMemoryConsensusStore();
    RecordingOutbox outbox = new RecordingOutbox();
    PrimaryCore p = primary(0, store, outbox, new ArrayList<>());
    p.onTick(0);
    p.onTick(10);
    assertThat(outbox.sent).filteredOn(m -> m instanceof VertexMessage).hasSize(1);
    assertThat(p.proposedRound()).isZero();
    assertThat(store.ownVertex(0)).isNotNull();
  }

  @Test
  void votesForTheFirstVertexOfAnAuthorAndRoundOnlyEvenAcrossRestart() {
    InMemoryConsensusStore store = new InMemoryConsensusStore();
    RecordingOutbox outbox = new RecordingOutbox();
    PrimaryCore p = primary(0, store, outbox, new ArrayList<>());
    Vertex first = Vertex.create(0, 0, 1, List.of(), List.of(), sigs.signer(1));
    Batch batch = Batch.of(new byte[] {1, 2, 3});
    Vertex twin = Vertex.create(0, 0, 1, List.of(batch.digest()), List.of(), sigs.signer(1));
    p.onMessage(1, new ConsensusMessage.BatchMessage(batch), 0);
    p.onMessage(1, new VertexMessage(first), 1);
    p.onMessage(1, new VertexMessage(twin), 2);
    assertThat(outbox.votes()).extracting(Vote::vertex).containsExactly(first.digest());
    assertThat(p.equivocationsSeen()).isEqualTo(1);

    // restart from the same store: the twin still gets no vote, the first one gets its vote again
    RecordingOutbox after = new RecordingOutbox();
    PrimaryCore restarted = primary(0, store, after, new ArrayList<>());
    restarted.onMessage(1, new VertexMessage(twin), 3);
    restarted.onMessage(1, new VertexMessage(first), 4);
    assertThat(after.votes()).extracting(Vote::vertex).containsExactly(first.digest());
    // and it does not propose a second round-0 vertex of its own
    assertThat(after.sent).filteredOn(m -> m instanceof VertexMessage).isEmpty();
    assertThat(restarted.proposedRound()).isZero();
  }

  /** Counts the store's vote writes and checks that no vote is sent before its write. */
  private static final class VoteWriteStore implements ConsensusStore {
    final InMemoryConsensusStore inner = new InMemoryConsensusStore();
    final RecordingOutbox outbox;
    final List<Integer> groupSizes = new ArrayList<>();

    VoteWriteStore(RecordingOutbox outbox) {
      this.outbox = outbox;
    }

    @Override
    public void putVote(int author, long round, Digest vertex) {
      assertThat(outbox.votes()).extracting(Vote::vertex).doesNotContain(vertex);
      inner.putVote(author, round, vertex);
    }

    @Override
    public void putVotes(List<Vertex> voted) {
      groupSizes.add(voted.size());
      ConsensusStore.super.putVotes(voted);
    }

    @Override
    public VoteRecord lastVote(int author) {
      return inner.lastVote(author);
    }

    @Override
    public void putCertificate(Certificate certificate) {
      inner.putCertificate(certificate);
    }

    @Override
    public Certificate certificate(Digest digest) {
      return inner.certificate(digest);
    }

    @Override
    public List<Certificate> certificatesAbove(long round) {
      return inner.certificatesAbove(round);
    }

    @Override
    public void putBatch(Batch batch) {
      inner.putBatch(batch);
    }

    @Override
    public Batch batch(Digest digest) {
      return inner.batch(digest);
    }

    @Override
    public void putOwnVertex(Vertex vertex) {
      inner.putOwnVertex(vertex);
    }

    @Override
    public Vertex ownVertex(long round) {
      return inner.ownVertex(round);
    }

    @Override
    public long highestOwnRound() {
      return inner.highestOwnRound();
    }

    @Override
    public void appendCommitted(CommittedSubDag subDag) {
      inner.appendCommitted(subDag);
    }

    @Override
    public List<CommittedSubDag> committed() {
      return inner.committed();
    }
  }

  @Test
  void aVoteGroupWritesItsVotesOnceBeforeSendingThemAndStillRefusesATwin() {
    RecordingOutbox outbox = new RecordingOutbox();
    VoteWriteStore store = new VoteWriteStore(outbox);
    PrimaryCore p = primary(0, store, outbox, new ArrayList<>());
    Batch batch = Batch.of(new byte[] {1, 2, 3});
    p.onMessage(1, new ConsensusMessage.BatchMessage(batch), 0);
    Vertex a = Vertex.create(0, 0, 1, List.of(), List.of(), sigs.signer(1));
    Vertex twin = Vertex.create(0, 0, 1, List.of(batch.digest()), List.of(), sigs.signer(1));
    Vertex b = Vertex.create(0, 0, 2, List.of(), List.of(), sigs.signer(2));
    Vertex c = Vertex.create(0, 0, 3, List.of(), List.of(), sigs.signer(3));

    p.beginVoteGroup();
    p.onMessage(1, new VertexMessage(a), 1);
    p.onMessage(1, new VertexMessage(twin), 1);
    p.onMessage(2, new VertexMessage(b), 1);
    p.onMessage(1, new VertexMessage(a), 1); // a repeat while staged: sent once, with the group
    assertThat(outbox.votes()).isEmpty();
    p.endVoteGroup();
    assertThat(outbox.votes()).extracting(Vote::vertex).containsExactly(a.digest(), b.digest());
    assertThat(store.groupSizes).containsExactly(2);
    assertThat(p.equivocationsSeen()).isEqualTo(1);
    assertThat(store.lastVote(1)).isEqualTo(new ConsensusStore.VoteRecord(0, a.digest()));

    // outside a group a vote is written and sent at once; a repeat of a durable vote goes again
    p.onMessage(3, new VertexMessage(c), 2);
    p.onMessage(1, new VertexMessage(a), 2);
    assertThat(outbox.votes())
        .extracting(Vote::vertex)
        .containsExactly(a.digest(), b.digest(), c.digest(), a.digest());
    assertThat(store.groupSizes).containsExactly(2, 1);

    // a restart reads the votes back: the twin still gets none
    RecordingOutbox after = new RecordingOutbox();
    PrimaryCore restarted = primary(0, store, after, new ArrayList<>());
    restarted.onMessage(1, new VertexMessage(twin), 3);
    assertThat(after.votes()).isEmpty();
  }

  @Test
  void aCertificateNoNextRoundVertexNamedIsProposedAsAWeakLink() {
    InMemoryConsensusStore store = new InMemoryConsensusStore();
    RecordingOutbox outbox = new RecordingOutbox();
    PrimaryCore p = primary(0, store, outbox, new ArrayList<>());
    p.onTick(0);
    Vertex own0 = ((VertexMessage) outbox.sent.getFirst()).vertex();
    List<Certificate> round0 = new ArrayList<>();
    round0.add(TestDags.certify(committee, sigs, own0));
    for (int a = 1; a < 4; a++) {
      round0.add(
          TestDags.certify(
              committee, sigs, Vertex.create(0, 0, a, List.of(), List.of(), sigs.signer(a))));
    }
    long now = 0;
    for (Certificate c : round0) {
      p.onMessage(1, new CertificateMessage(c), now += 10);
    }
    // Round 1 names authors 0..2 of round 0: author 3's certificate has no child.
    List<Digest> named = round0.subList(0, 3).stream().map(Certificate::digest).toList();
    for (int a = 1; a < 4; a++) {
      Vertex v = Vertex.create(0, 1, a, List.of(), named, sigs.signer(a));
      p.onMessage(a, new CertificateMessage(TestDags.certify(committee, sigs, v)), now += 10);
    }
    for (int i = 0; i < 10 && p.proposedRound() < 2; i++) {
      p.onTick(now += 1_000);
    }
    assertThat(p.proposedRound()).isEqualTo(2);
    Vertex round2 = store.ownVertex(2);
    assertThat(round2.weakLinks()).containsExactly(new WeakLink(0, round0.get(3).digest()));
    assertThat(round2.parents()).hasSize(3);
  }

  @Test
  void fourPrimariesCertifyAndCommitOverAPerfectNetwork() {
    List<InMemoryConsensusStore> stores = new ArrayList<>();
    List<List<CommittedSubDag>> commits = new ArrayList<>();
    List<RecordingOutbox> outboxes = new ArrayList<>();
    List<PrimaryCore> primaries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stores.add(new InMemoryConsensusStore());
      commits.add(new ArrayList<>());
      outboxes.add(new RecordingOutbox());
      primaries.add(primary(i, stores.get(i), outboxes.get(i), commits.get(i)));
    }
    MessageVerifier verifier = new MessageVerifier(committee);
    MessageSignatures scratch = new MessageSignatures();
    long now = 0;
    for (int step = 0; step < 400; step++) {
      now += 5;
      for (int i = 0; i < 4; i++) {
        primaries.get(i).onTick(now);
      }
      // one delivery pass per step: every message takes one step (5 ms) to arrive
      {
        for (int i = 0; i < 4; i++) {
          RecordingOutbox out = outboxes.get(i);
          List<ConsensusMessage> sent = new ArrayList<>(out.sent);
          List<int[]> targets = new ArrayList<>(out.targets);
          out.sent.clear();
          out.targets.clear();
          for (int k = 0; k < sent.size(); k++) {
            assertThat(verifier.verify(sent.get(k), sigs, scratch)).isTrue();
            for (int j = 0; j < 4; j++) {
              if (j != i && (targets.get(k)[0] == -1 || targets.get(k)[0] == j)) {
                primaries.get(j).onMessage(i, sent.get(k), now);
              }
            }
          }
        }
      }
    }
    assertThat(commits.get(0)).hasSizeGreaterThan(20);
    int common = commits.stream().mapToInt(List::size).min().orElseThrow();
    for (int i = 1; i < 4; i++) {
      for (int k = 0; k < common; k++) {
        assertThat(commits.get(i).get(k).digest()).isEqualTo(commits.get(0).get(k).digest());
      }
    }
    // certificates are ordered at most once, and most of the early rounds' certificates are ordered
    List<Digest> ordered =
        commits.get(0).stream()
            .flatMap(d -> d.certificates().stream())
            .map(Certificate::digest)
            .toList();
    assertThat(ordered).doesNotHaveDuplicates();
    long rounds0to9 =
        commits.get(0).stream()
            .flatMap(d -> d.certificates().stream())
            .filter(c -> c.round() < 10)
            .count();
    assertThat(rounds0to9).isBetween(30L, 40L);
    assertThat(outboxes.get(0).sent)
        .noneMatch(m -> m instanceof CertificateMessage c && !c.certificate().hasQuorum(committee));
  }

  private Certificate certified(long round, int author, List<Digest> parents) {
    Vertex v = Vertex.create(0, round, author, List.of(), parents, sigs.signer(author));
    List<Vote> votes = new ArrayList<>();
    for (int voter = 1; voter < 4; voter++) {
      votes.add(Vote.create(v, voter, sigs.signer(voter)));
    }
    return new Certificate(v, votes);
  }

  @Test
  void batchesOfAnOwnVertexLeftUncertifiedRideInTheNextProposal() {
    InMemoryConsensusStore store = new InMemoryConsensusStore();
    RecordingOutbox outbox = new RecordingOutbox();
    PrimaryCore p = primary(0, store, outbox, new ArrayList<>());
    Batch batch = Batch.of(new byte[] {7, 7, 7});
    p.onLocalBatch(batch, 0);
    p.onTick(0);
    assertThat(store.ownVertex(0).batches()).containsExactly(batch.digest());

    // nobody votes for it; the other three certify round 0 without it and p moves on
    List<Digest> round0 = new ArrayList<>();
    for (int author = 1; author < 4; author++) {
      Certificate c = certified(0, author, List.of());
      round0.add(c.digest());
      p.onMessage(author, new CertificateMessage(c), 1);
    }
    p.onTick(PrimaryConfig.defaults().leaderTimeoutMs() + 1);
    assertThat(p.proposedRound()).isEqualTo(1);
    Vertex next = store.ownVertex(1);
    assertThat(next.parents()).containsExactlyInAnyOrderElementsOf(round0);
    assertThat(next.batches()).containsExactly(batch.digest());
    assertThat(p.abandonedVertices()).isEqualTo(1);
    assertThat(p.reproposedBatches()).isEqualTo(1);

    // a late vote for the abandoned vertex certifies nothing
    Vertex abandoned = store.ownVertex(0);
    int certificatesBefore =
        (int) outbox.sent.stream().filter(m -> m instanceof CertificateMessage).count();
    for (int voter = 1; voter < 4; voter++) {
      p.onMessage(
          voter, new VoteMessage(Vote.create(abandoned, voter, sigs.signer(voter))), 2 + voter);
    }
    assertThat(outbox.sent.stream().filter(m -> m instanceof CertificateMessage).count())
        .isEqualTo(certificatesBefore);
  }

  @Test
  void aCertifiedOwnVertexKeepsItsBatches() {
    InMemoryConsensusStore store = new InMemoryConsensusStore();
    RecordingOutbox outbox = new RecordingOutbox();
    PrimaryCore p = primary(0, store, outbox, new ArrayList<>());
    Batch batch = Batch.of(new byte[] {9});
    p.onLocalBatch(batch, 0);
    p.onTick(0);
    Vertex own = store.ownVertex(0);
    for (int voter = 1; voter < 3; voter++) {
      p.onMessage(voter, new VoteMessage(Vote.create(own, voter, sigs.signer(voter))), 1);
    }
    for (int author = 1; author < 3; author++) {
      p.onMessage(author, new CertificateMessage(certified(0, author, List.of())), 2);
    }
    p.onTick(PrimaryConfig.defaults().leaderTimeoutMs() + 1);
    assertThat(p.proposedRound()).isEqualTo(1);
    assertThat(store.ownVertex(1).batches()).isEmpty();
    assertThat(p.abandonedVertices()).isZero();
  }

  @Test
  void aVoteIsWantedOnlyForTheOwnVertexUntilItsQuorum() {
    InMemoryConsensusStore store = new InMemoryConsensusStore();
    RecordingOutbox outbox = new RecordingOutbox();
    PrimaryCore p = primary(0, store, outbox, new ArrayList<>());
    Vertex peers = Vertex.create(0, 0, 1, List.of(), List.of(), sigs.signer(1));
    assertThat(p.wantsVote(peers.digest())).isFalse(); // nothing proposed yet
    p.onTick(0);
    Vertex own = store.ownVertex(0);
    assertThat(p.wantsVote(own.digest())).isTrue();
    assertThat(p.wantsVote(peers.digest())).isFalse();
    p.onMessage(1, new VoteMessage(Vote.create(own, 1, sigs.signer(1))), 1);
    assertThat(p.wantsVote(own.digest())).isTrue(); // two of four: no quorum yet
    p.onMessage(2, new VoteMessage(Vote.create(own, 2, sigs.signer(2))), 1);
    assertThat(outbox.sent).filteredOn(m -> m instanceof CertificateMessage).hasSize(1);
    // the third peer's vote comes after the certificate: it would not count, so it is not wanted
    assertThat(p.wantsVote(own.digest())).isFalse();
    int sent = outbox.sent.size();
    p.onMessage(3, new VoteMessage(Vote.create(own, 3, sigs.signer(3))), 2);
    assertThat(outbox.sent).hasSize(sent);
    assertThat(p.wantsVote(own.digest())).isFalse();

    // a restart holding the certificate does not want it either
    PrimaryCore restarted = primary(0, store, new RecordingOutbox(), new ArrayList<>());
    assertThat(restarted.wantsVote(own.digest())).isFalse();
  }

  /**
   * p0 with its round-0 vertex certified by two peers, then round-0 certificates of two others, the
   * anchor's author among them.
   */
  private record RoundZero(
      InMemoryConsensusStore store, PrimaryCore primary, List<Integer> authors) {}

  private RoundZero roundZeroWithQuorum(long stragglerWaitMs) {
    int leader =
        primary(0, new InMemoryConsensusStore(), new RecordingOutbox(), new ArrayList<>())
            .consensus()
            .schedule()
            .leader(0);
    List<Integer> authors = new ArrayList<>();
    if (leader != 0) {
      authors.add(leader);
    }
    for (int a = 1; a < 4 && authors.size() < 2; a++) {
      if (!authors.contains(a)) {
        authors.add(a);
      }
    }
    InMemoryConsensusStore store = new InMemoryConsensusStore();
    PrimaryCore p = primary(0, store, new RecordingOutbox(), new ArrayList<>());
    p.setStragglerWaitMs(stragglerWaitMs);
    p.onTick(0);
    Vertex own = store.ownVertex(0);
    for (int voter = 1; voter < 3; voter++) {
      p.onMessage(voter, new VoteMessage(Vote.create(own, voter, sigs.signer(voter))), 1);
    }
    for (int author : authors) {
      p.onMessage(author, new CertificateMessage(certified(0, author, List.of())), 5);
    }
    return new RoundZero(store, p, authors);
  }

  @Test
  void aQuorumWaitsForTheStragglerUpToTheWaitThenGoesWithout() {
    RoundZero z = roundZeroWithQuorum(30);
    assertThat(z.primary().proposedRound()).isZero();
    z.primary().onTick(20);
    assertThat(z.primary().proposedRound()).isZero();
    z.primary().onTick(36);
    assertThat(z.primary().proposedRound()).isEqualTo(1);
    assertThat(z.store().ownVertex(1).parents()).hasSize(3);
  }

  @Test
  void theStragglersCertificateEndsTheWaitAndIsNamed() {
    RoundZero z = roundZeroWithQuorum(30);
    int straggler = 6 - z.authors().get(0) - z.authors().get(1);
    z.primary()
        .onMessage(straggler, new CertificateMessage(certified(0, straggler, List.of())), 12);
    assertThat(z.primary().proposedRound()).isEqualTo(1);
    assertThat(z.store().ownVertex(1).parents()).hasSize(4);
  }

  @Test
  void withoutTheWaitAQuorumProposesAtOnce() {
    RoundZero z = roundZeroWithQuorum(0);
    assertThat(z.primary().proposedRound()).isEqualTo(1);
    assertThat(z.store().ownVertex(1).parents()).hasSize(3);
  }
}
