package dev.agentledger.node.consensus.core;

/**
 * A weak link of a vertex (Bullshark, section 5: "weak edges"): the digest of a certificate of an
 * older round than the vertex's parents, which the author held and which was not yet in the causal
 * history of its parents, with that certificate's round. Weak links are not votes for an anchor
 * (the commit rule's support and anchor paths follow parents only), but an anchor's causal history
 * follows them, so a certified vertex that no next-round vertex named is still ordered. The round
 * is carried so that a validator whose garbage-collection round has passed it knows the link needs
 * nothing fetched; a link whose round does not match its certificate is never followed.
 */
public record WeakLink(long round, Digest digest) {
  public WeakLink {
    if (round < 0 || digest == null) {
      throw new IllegalArgumentException("a weak link needs a round and a digest");
    }
  }
}
