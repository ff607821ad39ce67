package dev.agentledger.node.consensus.core;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One committed anchor and its causal history that no earlier commit ordered, in the deterministic
 * order execution applies them (round, then author index; the anchor is last). {@code index}
 * numbers commits from 0 on every validator alike.
 */
public record CommittedSubDag(
    long index, Certificate anchor, List<Certificate> certificates, long scheduleVersion) {
  public CommittedSubDag {
    certificates = List.copyOf(certificates);
  }

  /**
   * SHA-256 over the index, the anchor and the ordered certificate digests: equal on all honest
   * validators.
   */
  public Digest digest() {
    ByteBuffer buf = ByteBuffer.allocate(8 + Digest.BYTES * (1 + certificates.size()));
    buf.putLong(index);
    byte[] tmp = new byte[Digest.BYTES];
    anchor.digest().writeTo(tmp, 0);
    buf.put(tmp);
    for (Certificate c : certificates) {
      c.digest().writeTo(tmp, 0);
      buf.put(tmp);
    }
    return Digest.sha256(buf.array());
  }

  /** Round of the anchor. */
  public long anchorRound() {
    return anchor.round();
  }
}
