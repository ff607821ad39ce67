package dev.agentledger.node.consensus.core;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.core.ConsensusMessage.BatchMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.CertificateMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchRequest;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchResponse;
import dev.agentledger.node.consensus.core.ConsensusMessage.VertexMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VoteMessage;
import java.util.Arrays;
import java.util.List;

/**
 * Lists the signatures a message carries ({@link #collect}) so that a batch of messages can be
 * verified in one parallel pass, and checks the parts that need no signature (committee membership,
 * batch digests). Stateless: safe to share between threads.
 */
public final class MessageVerifier {
  private final Committee committee;

  public MessageVerifier(Committee committee) {
    this.committee = committee;
  }

  /**
   * Appends the signatures of {@code message} to {@code batch} under {@code owner}; returns false
   * if the message is malformed in a way no signature can fix (unknown signer, corrupt batch).
   */
  public boolean collect(int owner, ConsensusMessage message, MessageSignatures batch) {
    return switch (message) {
      case VertexMessage m -> collectVertex(owner, m.vertex(), batch);
      case VoteMessage m -> collectVote(owner, m.vote(), batch);
      case CertificateMessage m -> collectCertificate(owner, m.certificate(), batch);
      case FetchResponse m -> {
        boolean ok = true;
        for (Certificate c : m.certificates()) {
          ok &= collectCertificate(owner, c, batch);
        }
        for (Batch b : m.batches()) {
          ok &= b.isIntact();
        }
        yield ok;
      }
      case FetchRequest m -> true;
      case BatchMessage m -> m.batch().isIntact();
    };
  }

  private boolean collectVertex(int owner, Vertex v, MessageSignatures batch) {
    if (!committee.isMember(v.author())) {
      return false;
    }
    batch.add(owner, v.author(), v.signingBytes(), v.signature());
    return true;
  }

  private boolean collectVote(int owner, Vote v, MessageSignatures batch) {
    if (!committee.isMember(v.voter()) || !committee.isMember(v.author())) {
      return false;
    }
    batch.add(owner, v.voter(), Vote.signingBytes(v.vertex()), v.signature());
    return true;
  }

  private boolean collectCertificate(int owner, Certificate c, MessageSignatures batch) {
    if (!collectVertex(owner, c.vertex(), batch) || !c.hasQuorum(committee)) {
      return false;
    }
    for (Vote v : c.votes()) {
      batch.add(owner, v.voter(), Vote.signingBytes(v.vertex()), v.signature());
    }
    return true;
  }

  /** Verifies {@code messages} on the calling thread; one result per message. */
  public boolean[] verifyAll(
      List<ConsensusMessage> messages, SignatureVerifier verifier, MessageSignatures scratch) {
    boolean[] valid = new boolean[messages.size()];
    Arrays.fill(valid, true);
    scratch.clear();
    for (int i = 0; i < messages.size(); i++) {
      valid[i] = collect(i, messages.get(i), scratch);
    }
    scratch.verifyRange(verifier, 0, scratch.size());
    scratch.ownerValid(valid);
    return valid;
  }

  /** Verifies one message on the calling thread. */
  public boolean verify(
      ConsensusMessage message, SignatureVerifier verifier, MessageSignatures scratch) {
    return verifyAll(List.of(message), verifier, scratch)[0];
  }
}
