package dev.agentledger.node.consensus.core;

import java.util.List;

/**
 * What a primary persists so that a restart neither forgets nor contradicts itself: certificates it
 * inserted, batches it holds, its own vertex per round (it never proposes a second one), the last
 * vote it cast per author (it never votes for two vertices of one author in one round), and the
 * committed sequence. Writes are durable when the call returns; the core writes before it sends
 * what depends on the write. Implementations: in memory (simulator, tests), RocksDB (branch
 * nodedata).
 */
public interface ConsensusStore {
  /** The last vote cast for an author's vertices. */
  record VoteRecord(long round, Digest vertex) {}

  void putCertificate(Certificate certificate);

  Certificate certificate(Digest digest);

  /** Certificates with round {@code > round}, ordered by round then author. */
  List<Certificate> certificatesAbove(long round);

  void putBatch(Batch batch);

  Batch batch(Digest digest);

  void putOwnVertex(Vertex vertex);

  /**
   * This validator's new vertex and its own vote for it ({@link #putOwnVertex} then {@link
   * #putVote} for its author and round): a durable store writes both at once.
   */
  default void putOwnProposal(Vertex vertex) {
    putOwnVertex(vertex);
    putVote(vertex.author(), vertex.round(), vertex.digest());
  }

  /**
   * This validator's new vertex, its own vote for it, and a vote for each of {@code voted} (their
   * authors, rounds and digests), all durable together: a durable store writes them at once.
   */
  default void putOwnProposal(Vertex vertex, List<Vertex> voted) {
    putOwnProposal(vertex);
    putVotes(voted);
  }

  /** This validator's vertex of {@code round}, or null. */
  Vertex ownVertex(long round);

  /** Highest round this validator proposed in, or -1. */
  long highestOwnRound();

  void putVote(int author, long round, Digest vertex);

  /**
   * A vote for each of {@code voted} (its author, round and digest), durable together when the call
   * returns: a durable store writes them at once (one sync instead of one per vote).
   */
  default void putVotes(List<Vertex> voted) {
    for (Vertex v : voted) {
      putVote(v.author(), v.round(), v.digest());
    }
  }

  /** The last vote for {@code author}'s vertices, or null. */
  VoteRecord lastVote(int author);

  void appendCommitted(CommittedSubDag subDag);

  /**
   * {@link #appendCommitted} and a vote for each of {@code voted}, durable together: a durable
   * store writes them at once.
   */
  default void appendCommitted(CommittedSubDag subDag, List<Vertex> voted) {
    appendCommitted(subDag);
    putVotes(voted);
  }

  /** The committed sequence, in order. */
  List<CommittedSubDag> committed();
}
