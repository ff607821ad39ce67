package dev.agentledger.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.consensus.core.Batch;
import dev.agentledger.node.consensus.core.Certificate;
import dev.agentledger.node.consensus.core.CommittedSubDag;
import dev.agentledger.node.consensus.core.ConsensusCodec;
import dev.agentledger.node.consensus.core.ConsensusMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.BatchMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.CertificateMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchRequest;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchResponse;
import dev.agentledger.node.consensus.core.ConsensusMessage.VertexMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VoteMessage;
import dev.agentledger.node.consensus.core.ConsensusStore.VoteRecord;
import dev.agentledger.node.consensus.core.Digest;
import dev.agentledger.node.consensus.core.MessageVerifier;
import dev.agentledger.node.consensus.core.Signer;
import dev.agentledger.node.consensus.core.Vertex;
import dev.agentledger.node.consensus.core.Vote;
import dev.agentledger.node.consensus.core.WeakLink;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consensus messages on the wire and in RocksDB: every kind round-trips byte for byte with real
 * Ed25519 signatures that still verify after decoding; every truncation, trailing byte and random
 * mutation is refused with IllegalArgumentException only; CONSENSUS and TX_QUERY frames are
 * bounded; the store keeps votes, own vertices, certificates and commits across a reopen.
 */
class ConsensusWireTest {
  private static final int N = 4;
  private final byte[][] seeds = new byte[N][32];
  private final Signer[] signers = new Signer[N];
  private final dev.agentledger.node.committee.Committee committee;

  ConsensusWireTest() {
    Random r = new Random(7);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      r.nextBytes(seeds[i]);
      signers[i] = Ed25519Signatures.signer(seeds[i]);
      keys.add(dev.agentledger.sig.Ed25519KeyPair.fromSeed(seeds[i]).publicKey());
    }
    committee = dev.agentledger.node.committee.Committee.ofStakes(0, keys, new long[] {1, 1, 1, 1});
  }

  private static Digest digest(int i) {
    return Digest.sha256(new byte[] {(byte) i, 1, 2});
  }

  private Certificate certificate(long round, int author, List<Digest> parents) {
    Vertex v =
        Vertex.create(
            0,
            round,
            author,
            List.of(digest(100 + author), digest(200 + author)),
            parents,
            signers[author]);
    List<Vote> votes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      votes.add(Vote.create(v, (author + i) % N, signers[(author + i) % N]));
    }
    return new Certificate(v, votes);
  }

  private Certificate weaklyLinked(long round, int author, List<WeakLink> weak) {
    Vertex v =
        Vertex.create(
            0, round, author, List.of(digest(300)), List.of(digest(7)), weak, signers[author]);
    List<Vote> votes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      votes.add(Vote.create(v, (author + i) % N, signers[(author + i) % N]));
    }
    return new Certificate(v, votes);
  }

  private List<ConsensusMessage> samples() {
    Certificate c0 = certificate(0, 1, List.of());
    Certificate c1 = certificate(1, 2, List.of(c0.digest(), digest(9), digest(10)));
    Certificate c5 =
        weaklyLinked(5, 3, List.of(new WeakLink(0, c0.digest()), new WeakLink(3, digest(11))));
    return List.of(
        new VertexMessage(c5.vertex()),
        new CertificateMessage(c5),
        new VoteMessage(c1.votes().get(1)),
        new CertificateMessage(c1),
        new FetchRequest(List.of(digest(1), digest(2)), List.of(digest(3))),
        new FetchResponse(
            List.of(c0, c1), List.of(Batch.of(new byte[] {1, 2, 3}), Batch.of(new byte[300]))),
        new BatchMessage(Batch.of(new byte[] {9, 9})),
        new FetchRequest(List.of(), List.of()));
  }

  @Test
  void everyKindRoundTripsAndSignaturesStillVerify() {
    MessageVerifier verifier = new MessageVerifier(committee);
    for (ConsensusMessage m : samples()) {
      byte[] bytes = ConsensusCodec.encode(m);
      ConsensusMessage back = ConsensusCodec.decode(bytes, 0, bytes.length);
      assertThat(ConsensusCodec.encode(back)).as(m.toString()).isEqualTo(bytes);
      assertThat(back.getClass()).isEqualTo(m.getClass());
      assertThat(
              verifier.verify(
                  back,
                  Ed25519Signatures.verifier(committee),
                  new dev.agentledger.node.consensus.core.MessageSignatures()))
          .as("signatures of decoded " + m.getClass().getSimpleName())
          .isTrue();
    }
    Certificate c = certificate(3, 0, List.of(digest(5)));
    assertThat(ConsensusCodec.decodeCertificate(ConsensusCodec.encodeCertificate(c)).digest())
        .isEqualTo(c.digest());
  }

  @Test
  void weakLinksRoundTripAreSignedAndMustBeOlderThanTheParents() {
    Certificate c = weaklyLinked(4, 1, List.of(new WeakLink(2, digest(1))));
    Certificate back = ConsensusCodec.decodeCertificate(ConsensusCodec.encodeCertificate(c));
    assertThat(back.weakLinks()).containsExactly(new WeakLink(2, digest(1)));
    assertThat(back.digest()).isEqualTo(c.digest());
    assertThat(weaklyLinked(4, 1, List.of(new WeakLink(1, digest(1)))).digest())
        .as("the weak link's round is part of the digest")
        .isNotEqualTo(c.digest());
    assertThat(weaklyLinked(4, 1, List.of()).digest()).isNotEqualTo(c.digest());

    // A weak link to the parents' round (3) or later is refused.
    Certificate tooNew = weaklyLinked(4, 1, List.of(new WeakLink(3, digest(1))));
    byte[] bytes = ConsensusCodec.encodeCertificate(tooNew);
    assertThatThrownBy(() -> ConsensusCodec.decodeCertificate(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weak link to round 3 in round 4");
  }

  @Test
  void aConsensusColumnOfTheFormatWithoutWeakLinksIsRefusedInOneLine() {
    var store = new dev.agentledger.node.storage.memory.InMemoryStore();
    new StoreConsensusStore(store); // marks the empty column
    new StoreConsensusStore(store).putVote(1, 3, digest(1));
    new StoreConsensusStore(store); // a marked column with data opens

    var old = new dev.agentledger.node.storage.memory.InMemoryStore();
    old.put(
        StoreConsensusStore.COLUMN,
        new byte[] {'T', 0, 1},
        new byte[40],
        dev.agentledger.node.storage.Durability.SYNCED);
    assertThatThrownBy(() -> new StoreConsensusStore(old))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the store holds consensus data of format 1; this node reads format 2 (start from an"
                + " empty data directory)");
  }

  @Test
  void aChangedFieldChangesTheDigestSoTheSignatureFails() {
    Certificate c = certificate(1, 2, List.of(digest(1)));
    byte[] bytes = ConsensusCodec.encode(new VertexMessage(c.vertex()));
    bytes[1 + 8 + 7] ^= 1; // the round
    ConsensusMessage changed = ConsensusCodec.decode(bytes, 0, bytes.length);
    assertThat(
            new MessageVerifier(committee)
                .verify(
                    changed,
                    Ed25519Signatures.verifier(committee),
                    new dev.agentledger.node.consensus.core.MessageSignatures()))
        .isFalse();
  }

  @Test
  void truncationsTrailingBytesAndMutationsAreRefusedCleanly() {
    Random random = new Random(42);
    for (ConsensusMessage m : samples()) {
      byte[] bytes = ConsensusCodec.encode(m);
      for (int len = 0; len < bytes.length; len++) {
        int l = len;
        assertThatThrownBy(() -> ConsensusCodec.decode(bytes, 0, l))
            .isInstanceOf(IllegalArgumentException.class);
      }
      byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      assertThatThrownBy(() -> ConsensusCodec.decode(longer, 0, longer.length))
          .isInstanceOf(IllegalArgumentException.class);
      for (int i = 0; i < 300; i++) {
        byte[] mutated = bytes.clone();
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
        try {
          ConsensusCodec.decode(mutated, 0, mutated.length);
        } catch (IllegalArgumentException expected) {
          // refused: fine
        }
      }
    }
    byte[] tooMany = {ConsensusCodec.FETCH_REQUEST, (byte) 0xFF, (byte) 0xFF, 0, 0};
    assertThatThrownBy(() -> ConsensusCodec.decode(tooMany, 0, tooMany.length))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framesAreBounded() {
    UnsafeBuffer b = new UnsafeBuffer(new byte[64 * 1024]);
    int n = Wire.consensus(b, 0, ConsensusCodec.encode(samples().get(3)));
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.OK);
    assertThat(MessageType.isPeerMessage(MessageType.CONSENSUS)).isTrue();
    assertThat(MessageType.isClientRequest(MessageType.CONSENSUS)).isFalse();
    assertThat(Wire.validate(b, 0, Wire.HEADER_LENGTH)).isEqualTo(Wire.FrameError.BAD_LENGTH);
    b.putByte(Wire.HEADER_LENGTH, (byte) 7);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.BAD_CONTENT);

    int q = Wire.txQueryHeader(b, 0, 5, 3);
    assertThat(Wire.validate(b, 0, q)).isEqualTo(Wire.FrameError.OK);
    assertThat(Wire.validate(b, 0, q - 1)).isEqualTo(Wire.FrameError.BAD_LENGTH);
    int big = Wire.txQueryHeader(b, 0, 5, Wire.MAX_QUERY_IDS + 1);
    assertThat(Wire.validate(b, 0, big)).isEqualTo(Wire.FrameError.BAD_COUNT);
    assertThat(MessageType.isClientRequest(MessageType.TX_QUERY)).isTrue();
  }

  @Test
  void storeKeepsVotesVerticesCertificatesAndCommitsAcrossReopen(@TempDir Path dir) {
    Certificate c0 = certificate(0, 0, List.of());
    Certificate c0b = certificate(0, 3, List.of());
    Certificate c1 = certificate(1, 1, List.of(c0.digest(), c0b.digest()));
    Certificate c2 = certificate(2, 2, List.of(c1.digest()));
    try (RocksDbStore rocks = RocksDbStore.open(dir)) {
      StoreConsensusStore s = new StoreConsensusStore(rocks);
      assertThat(s.highestOwnRound()).isEqualTo(-1);
      s.putCertificate(c2);
      s.putCertificate(c0);
      s.putCertificate(c1);
      s.putCertificate(c0b);
      s.putOwnVertex(c0.vertex());
      s.putOwnVertex(certificate(7, 0, List.of(digest(1))).vertex());
      s.putVote(1, 1, c1.digest());
      s.putBatch(Batch.of(new byte[] {4, 5}));
      s.appendCommitted(new CommittedSubDag(0, c0, List.of(c0), 1));
      s.appendCommitted(new CommittedSubDag(1, c2, List.of(c0b, c1, c2), 1));
    }
    try (RocksDbStore rocks = RocksDbStore.open(dir)) {
      StoreConsensusStore s = new StoreConsensusStore(rocks);
      assertThat(s.highestOwnRound()).isEqualTo(7);
      assertThat(s.ownVertex(0).digest()).isEqualTo(c0.digest());
      assertThat(s.ownVertex(3)).isNull();
      assertThat(s.lastVote(1)).isEqualTo(new VoteRecord(1, c1.digest()));
      assertThat(s.lastVote(2)).isNull();
      assertThat(s.batch(Batch.of(new byte[] {4, 5}).digest()).payload()).containsExactly(4, 5);
      assertThat(s.certificatesAbove(-1).stream().map(Certificate::digest).toList())
          .containsExactly(c0.digest(), c0b.digest(), c1.digest(), c2.digest());
      assertThat(s.certificatesAbove(0).stream().map(Certificate::digest).toList())
          .containsExactly(c1.digest(), c2.digest());
      List<CommittedSubDag> committed = s.committed();
      assertThat(committed).hasSize(2);
      assertThat(committed.get(1).digest())
          .isEqualTo(new CommittedSubDag(1, c2, List.of(c0b, c1, c2), 1).digest());
    }
  }

  @Test
  void anOwnProposalIsTheOwnVertexAndTheOwnVoteInOneWrite(@TempDir Path dir) {
    Certificate c0 = certificate(0, 2, List.of());
    Certificate c1 = certificate(1, 2, List.of(c0.digest()));
    try (RocksDbStore rocks = RocksDbStore.open(dir)) {
      StoreConsensusStore s = new StoreConsensusStore(rocks);
      s.putOwnProposal(c0.vertex());
      s.putOwnProposal(c1.vertex());
      assertThat(s.syncedWrites()).isEqualTo(2);
    }
    try (RocksDbStore rocks = RocksDbStore.open(dir)) {
      StoreConsensusStore s = new StoreConsensusStore(rocks);
      assertThat(s.highestOwnRound()).isEqualTo(1);
      assertThat(s.ownVertex(0).digest()).isEqualTo(c0.digest());
      assertThat(s.ownVertex(1).digest()).isEqualTo(c1.digest());
      assertThat(s.lastVote(2)).isEqualTo(new VoteRecord(1, c1.digest()));
    }
    // the in-memory store (the simulator's) records the same through the interface's default
    dev.agentledger.node.consensus.memory.InMemoryConsensusStore memory =
        new dev.agentledger.node.consensus.memory.InMemoryConsensusStore();
    memory.putOwnProposal(c1.vertex());
    assertThat(memory.ownVertex(1).digest()).isEqualTo(c1.digest());
    assertThat(memory.lastVote(2)).isEqualTo(new VoteRecord(1, c1.digest()));
  }

  @Test
  void aBatchReferenceCarriesAWorkerCertificate() {
    assertThat(PrimaryService.decodeBatchCertificate(new byte[] {1, 2, 3})).isNull();
    dev.agentledger.node.worker.core.BatchCertificate bc =
        new dev.agentledger.node.worker.core.BatchCertificate(
            1, 5, new byte[32], 10, new int[] {0}, new byte[][] {new byte[64]});
    byte[] frame = bc.toBytes();
    byte[] payload = java.util.Arrays.copyOfRange(frame, Wire.HEADER_LENGTH, frame.length);
    assertThat(PrimaryService.decodeBatchCertificate(payload)).isEqualTo(bc);
  }
}
