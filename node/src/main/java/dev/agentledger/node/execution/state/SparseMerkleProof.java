package dev.agentledger.node.execution.state;

import dev.agentledger.hash.Sha256;
import java.util.Arrays;
import java.util.List;

/**
 * A proof that a key holds a value, or holds none, under a sparse Merkle root ({@link
 * SparseMerkleState}). {@code siblings} run from the root downwards: {@code siblings.get(i)} is the
 * hash of the subtree beside the path at depth {@code i + 1}. The path ends in one of:
 *
 * <ul>
 *   <li>the key's own leaf ({@code leafKey == key}): membership, {@code valueHash} =
 *       SHA-256(value);
 *   <li>another key's leaf that shares the path ({@code leafKey != key}): non-membership;
 *   <li>nothing ({@code leafKey == null}): an empty subtree, non-membership.
 * </ul>
 */
public record SparseMerkleProof(
    byte[] key, byte[] leafKey, byte[] leafValueHash, List<byte[]> siblings) {
  public SparseMerkleProof {
    if (key.length != 32) {
      throw new IllegalArgumentException("key must be 32 bytes");
    }
    if ((leafKey == null) != (leafValueHash == null)) {
      throw new IllegalArgumentException("leaf key and value hash go together");
    }
    if (leafKey != null && (leafKey.length != 32 || leafValueHash.length != 32)) {
      throw new IllegalArgumentException("leaf key and value hash must be 32 bytes");
    }
    if (siblings.size() > 256) {
      throw new IllegalArgumentException("a path has at most 256 siblings");
    }
    for (byte[] sibling : siblings) {
      if (sibling.length != 32) {
        throw new IllegalArgumentException("siblings must be 32 bytes");
      }
    }
    siblings = List.copyOf(siblings);
  }

  /** True when this proves membership. */
  public boolean isMembership() {
    return leafKey != null && Arrays.equals(leafKey, key);
  }

  /**
   * Verifies against {@code root}: with {@code value != null}, that the key holds exactly that
   * value; with {@code value == null}, that the key holds nothing.
   */
  public boolean verify(byte[] root, byte[] value) {
    int depth = siblings.size();
    byte[] current;
    if (value != null) {
      if (!isMembership() || !Arrays.equals(leafValueHash, Sha256.digest(value))) {
        return false;
      }
      current = SparseMerkleState.leafHash(key, leafValueHash);
    } else if (leafKey == null) {
      current = SparseMerkleState.EMPTY.clone();
    } else {
      if (isMembership() || commonPrefixBits(leafKey, key) < depth) {
        return false;
      }
      current = SparseMerkleState.leafHash(leafKey, leafValueHash);
    }
    for (int i = depth - 1; i >= 0; i--) {
      byte[] sibling = siblings.get(i);
      current =
          SparseMerkleState.bit(key, i)
              ? SparseMerkleState.nodeHash(sibling, current)
              : SparseMerkleState.nodeHash(current, sibling);
    }
    return Arrays.equals(current, root);
  }

  private static int commonPrefixBits(byte[] a, byte[] b) {
    int bits = 0;
    while (bits < 256 && SparseMerkleState.bit(a, bits) == SparseMerkleState.bit(b, bits)) {
      bits++;
    }
    return bits;
  }
}
