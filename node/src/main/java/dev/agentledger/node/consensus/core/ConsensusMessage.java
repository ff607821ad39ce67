package dev.agentledger.node.consensus.core;

import java.util.List;

/**
 * Messages between primaries. A transport (Netty, or the simulator's network) delivers them to
 * {@link PrimaryCore#onMessage} after {@link MessageVerifier} has checked their signatures.
 */
public sealed interface ConsensusMessage {
  /** An author's proposal for a round, broadcast to all. */
  record VertexMessage(Vertex vertex) implements ConsensusMessage {}

  /** A vote, sent to the vertex's author. */
  record VoteMessage(Vote vote) implements ConsensusMessage {}

  /** A new certificate, broadcast by its author. */
  record CertificateMessage(Certificate certificate) implements ConsensusMessage {}

  /** Asks a peer for certificates and batches the sender misses. */
  record FetchRequest(List<Digest> certificates, List<Digest> batches)
      implements ConsensusMessage {}

  /** What the peer had of a {@link FetchRequest}. */
  record FetchResponse(List<Certificate> certificates, List<Batch> batches)
      implements ConsensusMessage {}

  /** A batch pushed by its author's worker (stands in for the worker-to-worker data path). */
  record BatchMessage(Batch batch) implements ConsensusMessage {}
}
