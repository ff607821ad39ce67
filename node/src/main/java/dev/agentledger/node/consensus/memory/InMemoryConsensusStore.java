package dev.agentledger.node.consensus.memory;

import dev.agentledger.node.consensus.core.Batch;
import dev.agentledger.node.consensus.core.Certificate;
import dev.agentledger.node.consensus.core.CommittedSubDag;
import dev.agentledger.node.consensus.core.ConsensusStore;
import dev.agentledger.node.consensus.core.Digest;
import dev.agentledger.node.consensus.core.Vertex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ConsensusStore} in memory: survives a simulated crash (the simulator keeps the object
 * and builds a new primary on it), not a process exit. Keeps everything; pruning is the persistent
 * store's business.
 */
public final class InMemoryConsensusStore implements ConsensusStore {
  private final Map<Digest, Certificate> certificates = new HashMap<>();
  private final TreeMap<Long, TreeMap<Integer, Certificate>> byRound = new TreeMap<>();
  private final Map<Digest, Batch> batches = new HashMap<>();
  private final TreeMap<Long, Vertex> ownVertices = new TreeMap<>();
  private final Map<Integer, VoteRecord> votes = new HashMap<>();
  private final List<CommittedSubDag> committed = new ArrayList<>();

  @Override
  public void putCertificate(Certificate c) {
    if (certificates.putIfAbsent(c.digest(), c) == null) {
      byRound.computeIfAbsent(c.round(), r -> new TreeMap<>()).put(c.author(), c);
    }
  }

  @Override
  public Certificate certificate(Digest digest) {
    return certificates.get(digest);
  }

  @Override
  public List<Certificate> certificatesAbove(long round) {
    List<Certificate> out = new ArrayList<>();
    for (TreeMap<Integer, Certificate> r : byRound.tailMap(round, false).values()) {
      out.addAll(r.values());
    }
    return out;
  }

  @Override
  public void putBatch(Batch batch) {
    batches.putIfAbsent(batch.digest(), batch);
  }

  @Override
  public Batch batch(Digest digest) {
    return batches.get(digest);
  }

  @Override
  public void putOwnVertex(Vertex vertex) {
    Vertex previous = ownVertices.putIfAbsent(vertex.round(), vertex);
    if (previous != null && !previous.digest().equals(vertex.digest())) {
      throw new IllegalStateException("second own vertex for round " + vertex.round());
    }
  }

  @Override
  public Vertex ownVertex(long round) {
    return ownVertices.get(round);
  }

  @Override
  public long highestOwnRound() {
    return ownVertices.isEmpty() ? -1 : ownVertices.lastKey();
  }

  @Override
  public void putVote(int author, long round, Digest vertex) {
    VoteRecord previous = votes.get(author);
    if (previous != null
        && (previous.round() > round
            || (previous.round() == round && !previous.vertex().equals(vertex)))) {
      throw new IllegalStateException(
          "vote for author " + author + " round " + round + " contradicts " + previous);
    }
    votes.put(author, new VoteRecord(round, vertex));
  }

  @Override
  public VoteRecord lastVote(int author) {
    return votes.get(author);
  }

  @Override
  public void appendCommitted(CommittedSubDag subDag) {
    if (subDag.index() != committed.size()) {
      throw new IllegalStateException(
          "commit " + subDag.index() + " appended after " + committed.size());
    }
    committed.add(subDag);
  }

  @Override
  public List<CommittedSubDag> committed() {
    return Collections.unmodifiableList(committed);
  }
}
