package dev.agentledger.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.core.Certificate;
import dev.agentledger.node.consensus.core.ConsensusMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.CertificateMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VertexMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VoteMessage;
import dev.agentledger.node.consensus.core.MessageSignatures;
import dev.agentledger.node.consensus.core.MessageVerifier;
import dev.agentledger.node.consensus.core.SignatureVerifier;
import dev.agentledger.node.consensus.core.Signer;
import dev.agentledger.node.consensus.core.Vertex;
import dev.agentledger.node.consensus.core.Vote;
import dev.agentledger.sig.Ed25519;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Parallel batch verification with real Ed25519 gives exactly the single-threaded answers. */
class ParallelMessageVerifierTest {
  @Test
  void parallelAndSequentialVerificationAgreeOnValidAndTamperedMessages() {
    int n = 4;
    SplittableRandom random = new SplittableRandom(5);
    List<byte[]> keys = new ArrayList<>();
    Signer[] signers = new Signer[n];
    for (int i = 0; i < n; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      keys.add(Ed25519.publicKey(seed));
      signers[i] = Ed25519Signatures.signer(seed);
    }
    Committee committee = Committee.ofStakes(0, keys, new long[] {10, 10, 10, 10});
    SignatureVerifier ed25519 = Ed25519Signatures.verifier(committee);
    List<ConsensusMessage> messages = new ArrayList<>();
    List<Boolean> expected = new ArrayList<>();
    for (int k = 0; k < 24; k++) {
      int author = k % n;
      Vertex v = Vertex.create(0, k, author, List.of(), List.of(), signers[author]);
      List<Vote> votes = new ArrayList<>();
      for (int voter = 0; voter < 3; voter++) {
        votes.add(Vote.create(v, voter, signers[voter]));
      }
      byte[] garbage = new byte[64];
      random.nextBytes(garbage);
      switch (k % 6) {
        case 0 -> {
          messages.add(new VertexMessage(v));
          expected.add(true);
        }
        case 1 -> {
          messages.add(new VertexMessage(v.withSignature(garbage)));
          expected.add(false);
        }
        case 2 -> {
          messages.add(new VoteMessage(votes.get(1)));
          expected.add(true);
        }
        case 3 -> { // a vote signed by someone else than the voter it names
          messages.add(
              new VoteMessage(
                  new Vote(v.digest(), v.round(), author, 3, votes.get(0).signature())));
          expected.add(false);
        }
        case 4 -> {
          messages.add(new CertificateMessage(new Certificate(v, votes)));
          expected.add(true);
        }
        default -> {
          List<Vote> bad = new ArrayList<>(votes);
          bad.set(2, bad.get(2).withSignature(garbage));
          messages.add(new CertificateMessage(new Certificate(v, bad)));
          expected.add(false);
        }
      }
    }
    MessageVerifier verifier = new MessageVerifier(committee);
    boolean[] sequential = verifier.verifyAll(messages, ed25519, new MessageSignatures());
    try (ParallelMessageVerifier parallel = new ParallelMessageVerifier(verifier, ed25519, 4, 2);
        ParallelMessageVerifier batched =
            new ParallelMessageVerifier(
                verifier, () -> Ed25519Signatures.batchVerifier(committee), 4, 2);
        ParallelMessageVerifier batchedOneThread =
            new ParallelMessageVerifier(
                verifier, () -> Ed25519Signatures.batchVerifier(committee), 1, 1)) {
      boolean[] result = parallel.verifyAll(messages);
      boolean[] batchResult = batched.verifyAll(messages);
      boolean[] oneThread = batchedOneThread.verifyAll(messages);
      for (int i = 0; i < messages.size(); i++) {
        assertThat(result[i]).as("message %d", i).isEqualTo(expected.get(i));
        assertThat(sequential[i]).as("message %d", i).isEqualTo(expected.get(i));
        assertThat(batchResult[i]).as("batched, message %d", i).isEqualTo(expected.get(i));
        assertThat(oneThread[i])
            .as("batched on one thread, message %d", i)
            .isEqualTo(expected.get(i));
      }
      // a lone message (one signature: the single path) and a lone certificate (three: one batch)
      for (int i : new int[] {0, 1, 2, 3, 4, 5}) {
        assertThat(batched.verifyAll(List.of(messages.get(i)))[0])
            .as("alone, message %d", i)
            .isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void knownSignaturesAreCheckedOnceAndForgeriesOfThemAreStillRefused() {
    int n = 4;
    SplittableRandom random = new SplittableRandom(9);
    List<byte[]> keys = new ArrayList<>();
    Signer[] signers = new Signer[n];
    for (int i = 0; i < n; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      keys.add(Ed25519.publicKey(seed));
      signers[i] = Ed25519Signatures.signer(seed);
    }
    Committee committee = Committee.ofStakes(0, keys, new long[] {10, 10, 10, 10});
    MessageVerifier messages = new MessageVerifier(committee);
    try (ParallelMessageVerifier verifier =
        new ParallelMessageVerifier(
            messages, () -> Ed25519Signatures.batchVerifier(committee), 2, 2, 64)) {
      // validator 1's view: validator 0's vertex arrives, 1 votes for it (its own signature)
      Vertex v = Vertex.create(0, 3, 0, List.of(), List.of(), signers[0]);
      Vote own = Vote.create(v, 1, signers[1]);
      verifier.remember(1, Vote.signingBytes(v.digest()), own.signature());
      assertThat(verifier.verifyAll(List.of(new VertexMessage(v)))).containsExactly(true);
      assertThat(verifier.checked()).isEqualTo(1);

      // the certificate: the vertex (known), the own vote (known), the votes of 0 and 2 (new)
      List<Vote> votes = List.of(Vote.create(v, 0, signers[0]), own, Vote.create(v, 2, signers[2]));
      Certificate c = new Certificate(v, votes);
      assertThat(verifier.verifyAll(List.of(new CertificateMessage(c)))).containsExactly(true);
      assertThat(verifier.checked()).isEqualTo(3);
      assertThat(verifier.skipped()).isEqualTo(2);

      // the same certificate again: nothing left to verify
      assertThat(verifier.verifyAll(List.of(new CertificateMessage(c)))).containsExactly(true);
      assertThat(verifier.checked()).isEqualTo(3);
      assertThat(verifier.skipped()).isEqualTo(6);

      // a forged vote beside known signatures, and a known message under another signature
      byte[] garbage = new byte[64];
      random.nextBytes(garbage);
      List<Vote> forged = new ArrayList<>(votes);
      forged.set(2, votes.get(2).withSignature(garbage));
      Vertex resigned = v.withSignature(own.signature());
      assertThat(
              verifier.verifyAll(
                  List.of(
                      new CertificateMessage(new Certificate(v, forged)),
                      new VertexMessage(resigned),
                      new VoteMessage(new Vote(v.digest(), v.round(), 0, 3, own.signature())))))
          .containsExactly(false, false, false);
      // the forgeries were not remembered: they are refused again
      assertThat(verifier.verifyAll(List.of(new VertexMessage(resigned)))).containsExactly(false);
    }
  }

  @Test
  void extraSignaturesShareTheBatchAndDecideTheirMessage() {
    int n = 4;
    SplittableRandom random = new SplittableRandom(13);
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> seeds = new ArrayList<>();
    Signer[] signers = new Signer[n];
    for (int i = 0; i < n; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      seeds.add(seed);
      keys.add(Ed25519.publicKey(seed));
      signers[i] = Ed25519Signatures.signer(seed);
    }
    Committee committee = Committee.ofStakes(0, keys, new long[] {10, 10, 10, 10});
    byte[] extraMessage =
        "a batch acknowledgement".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[][] extraSigs = new byte[n][];
    for (int i = 0; i < n; i++) {
      extraSigs[i] = signers[i].sign(extraMessage);
    }
    byte[] garbage = new byte[64];
    random.nextBytes(garbage);
    List<ConsensusMessage> messages = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      messages.add(
          new VertexMessage(Vertex.create(0, k, k % n, List.of(), List.of(), signers[k % n])));
    }
    // message k: 0 and 4 carry three good extra signatures, 1 one forged among them, 2 is refused
    // by the collector (malformed), 3 and the rest carry none
    ParallelMessageVerifier.ExtraSignatures extra =
        (owner, message, items) -> {
          switch (owner % 4) {
            case 0 -> {
              for (int s = 0; s < 3; s++) {
                items.add(owner, s, extraMessage, extraSigs[s]);
              }
            }
            case 1 -> {
              items.add(owner, 0, extraMessage, extraSigs[0]);
              items.add(owner, 1, extraMessage, garbage);
              items.add(owner, 2, extraMessage, extraSigs[2]);
            }
            case 2 -> {
              return false;
            }
            default -> {}
          }
          return true;
        };
    boolean[] expected = {true, false, false, true, true, false, false, true};
    for (int threads : new int[] {1, 3}) {
      try (ParallelMessageVerifier verifier =
          new ParallelMessageVerifier(
              new MessageVerifier(committee),
              () -> Ed25519Signatures.batchVerifier(committee),
              threads,
              2,
              64)) {
        assertThat(verifier.verifyAll(messages, extra))
            .as("threads %d", threads)
            .containsExactly(expected);
        // the 8 vertices' signatures and the 12 extra ones of messages 0, 1, 4 and 5, all in the
        // one batch (none known before it)
        assertThat(verifier.checked()).isEqualTo(8 + 12);
        // without the extra signatures every vertex verifies
        assertThat(verifier.verifyAll(messages)).containsOnly(true);
      }
    }
  }
}
