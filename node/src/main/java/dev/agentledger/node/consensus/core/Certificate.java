package dev.agentledger.node.consensus.core;

import dev.agentledger.node.committee.Committee;
import java.util.List;

/**
 * A vertex with votes from more than 2/3 of the stake: proof that the vertex, its parents and its
 * batches are held by at least one honest validator, and that no other vertex of the same author
 * and round can be certified. The certificate's digest is its vertex's digest.
 */
public record Certificate(Vertex vertex, List<Vote> votes) {
  public Certificate {
    votes = List.copyOf(votes);
  }

  public Digest digest() {
    return vertex.digest();
  }

  public long round() {
    return vertex.round();
  }

  public int author() {
    return vertex.author();
  }

  public List<Digest> parents() {
    return vertex.parents();
  }

  public List<WeakLink> weakLinks() {
    return vertex.weakLinks();
  }

  /**
   * Structural checks that need no signatures: votes for this vertex, distinct members, more than
   * 2/3 of the stake. Signatures are checked by {@link MessageVerifier} before the core sees it.
   */
  public boolean hasQuorum(Committee committee) {
    long stake = 0;
    boolean[] seen = new boolean[committee.size()];
    for (Vote v : votes) {
      if (!committee.isMember(v.voter())
          || seen[v.voter()]
          || !v.vertex().equals(vertex.digest())) {
        return false;
      }
      seen[v.voter()] = true;
      stake += committee.stake(v.voter());
    }
    return stake >= committee.quorumThreshold();
  }

  @Override
  public String toString() {
    return "C(r" + round() + ",a" + author() + "," + digest() + ")";
  }
}
