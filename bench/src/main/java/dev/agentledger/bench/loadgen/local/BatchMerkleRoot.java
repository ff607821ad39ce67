package dev.agentledger.bench.loadgen.local;

import dev.agentledger.hash.Sha256;

/**
 * RFC 6962 (section 2.1) Merkle tree head over a batch of transaction ids, computed in place in a
 * reusable array: leaves {@code SHA-256(0x00 || id)}, interior nodes {@code SHA-256(0x01 || left ||
 * right)}. Built level by level, carrying a lone last node up unchanged, which yields exactly RFC
 * 6962's split at the largest power of two below n. Allocates nothing after construction.
 */
final class BatchMerkleRoot {
  private static final int H = Sha256.DIGEST_BYTES;
  private final Sha256 hasher = new Sha256();
  private final byte[] nodes;

  BatchMerkleRoot(int maxLeaves) {
    nodes = new byte[Math.max(1, maxLeaves) * H];
  }

  /** Root of {@code count} ids at {@code ids[0, 32 * count)}, written to {@code root[0, 32)}. */
  void root(byte[] ids, int count, byte[] root) {
    if (count == 0) {
      hasher.reset().digest(root, 0);
      return;
    }
    for (int i = 0; i < count; i++) {
      hasher.reset().update((byte) 0).update(ids, i * H, H).digest(nodes, i * H);
    }
    int width = count;
    while (width > 1) {
      int next = 0;
      for (int i = 0; i + 1 < width; i += 2) {
        hasher.reset().update((byte) 1).update(nodes, i * H, 2 * H).digest(nodes, next * H);
        next++;
      }
      if ((width & 1) == 1) {
        System.arraycopy(nodes, (width - 1) * H, nodes, next * H, H);
        next++;
      }
      width = next;
    }
    System.arraycopy(nodes, 0, root, 0, H);
  }
}
