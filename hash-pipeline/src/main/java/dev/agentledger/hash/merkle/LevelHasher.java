package dev.agentledger.hash.merkle;

/**
 * Hashes one level of an RFC 6962 tree: parent {@code i} is {@code SHA-256(0x01 || child[2i] ||
 * child[2i+1])}. Digests are packed 32 bytes each, back to back. This is the seam where the tree
 * code meets an engine: the JDK intrinsic, the multi-buffer Vector API engine, or (later) an
 * accelerator backend of accel-kernels wrapped by an adapter in this module.
 *
 * <p>Implementations are stateless or thread-safe: the parallel tree build calls one instance from
 * several threads on disjoint ranges.
 */
public interface LevelHasher {
  /**
   * Writes {@code pairCount} parents to {@code parents[parentOffset, parentOffset + 32 *
   * pairCount)} from the {@code 2 * pairCount} children at {@code children[childOffset, ...)}.
   */
  void hashPairs(byte[] children, int childOffset, int pairCount, byte[] parents, int parentOffset);

  /**
   * Writes {@code count} leaf hashes {@code SHA-256(0x00 || d)} of the 32-byte items {@code d}
   * packed at {@code data[dataOffset, dataOffset + 32 * count)}.
   */
  void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset);

  /** A short stable name for reports ({@code project-single}, {@code project-simd}, ...). */
  String name();
}
