package dev.agentledger.hash.merkle;

import dev.agentledger.hash.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 inclusion proof (audit path): the siblings on the way from leaf {@code leafIndex} to
 * the root of a tree of {@code treeSize} leaves, leaf side first. Verification follows RFC 9162
 * section 2.1.3.2.
 */
public final class InclusionProof {
  private final long leafIndex;
  private final long treeSize;
  private final List<byte[]> path;

  public InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {
    this.leafIndex = leafIndex;
    this.treeSize = treeSize;
    List<byte[]> copy = new ArrayList<>(path.size());
    for (byte[] node : path) {
      TreeHash.checkHash(node, "path node");
      copy.add(node.clone());
    }
    this.path = List.copyOf(copy);
  }

  public long leafIndex() {
    return leafIndex;
  }

  public long treeSize() {
    return treeSize;
  }

  /** The path nodes (copies). */
  public List<byte[]> path() {
    List<byte[]> copy = new ArrayList<>(path.size());
    path.forEach(node -> copy.add(node.clone()));
    return copy;
  }

  /** True when this path proves leaf data {@code leaf} under {@code root}. */
  public boolean verifyLeaf(byte[] leaf, byte[] root) {
    return verify(TreeHash.leafHash(leaf), root);
  }

  /** True when this path proves the leaf hash {@code leafHash} under {@code root}. */
  public boolean verify(byte[] leafHash, byte[] root) {
    byte[] computed = rootFromPath(leafHash);
    return computed != null && root != null && MessageDigest.isEqual(computed, root);
  }

  /** The root this path implies for {@code leafHash}, or null when the path has the wrong shape. */
  public byte[] rootFromPath(byte[] leafHash) {
    if (leafHash == null
        || leafHash.length != TreeHash.HASH_BYTES
        || leafIndex < 0
        || leafIndex >= treeSize) {
      return null;
    }
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash.clone();
    Sha256 sha = Sha256.perThread();
    for (byte[] p : path) {
      if (sn == 0) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        TreeHash.nodeHash(sha, p, 0, r, 0, r, 0);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        TreeHash.nodeHash(sha, r, 0, p, 0, r, 0);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 ? r : null;
  }
}
