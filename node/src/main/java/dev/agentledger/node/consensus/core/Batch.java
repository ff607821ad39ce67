package dev.agentledger.node.consensus.core;

/**
 * A batch of transactions as the primary sees it: opaque payload bytes and their SHA-256 digest.
 * Workers (branch nodedata) seal, store and disseminate the real batches; the primary only needs to
 * know a batch is available before voting for a vertex that names it, and to fetch it if not.
 */
public record Batch(Digest digest, byte[] payload) {
  public static Batch of(byte[] payload) {
    return new Batch(Digest.sha256(payload), payload);
  }

  /** True when the digest matches the payload. */
  public boolean isIntact() {
    return Digest.sha256(payload).equals(digest);
  }
}
