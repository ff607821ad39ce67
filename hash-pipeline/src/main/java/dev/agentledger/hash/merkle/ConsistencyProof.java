package dev.agentledger.hash.merkle;

import dev.agentledger.hash.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 consistency proof between the tree of the first {@code oldSize} leaves and the tree
 * of {@code newSize} leaves. Verification follows RFC 9162 section 2.1.4.2; equal sizes need an
 * empty proof and equal roots, and every tree extends the empty tree (empty proof).
 */
public final class ConsistencyProof {
  private final long oldSize;
  private final long newSize;
  private final List<byte[]> path;

  public ConsistencyProof(long oldSize, long newSize, List<byte[]> path) {
    this.oldSize = oldSize;
    this.newSize = newSize;
    List<byte[]> copy = new ArrayList<>(path.size());
    for (byte[] node : path) {
      TreeHash.checkHash(node, "proof node");
      copy.add(node.clone());
    }
    this.path = List.copyOf(copy);
  }

  public long oldSize() {
    return oldSize;
  }

  public long newSize() {
    return newSize;
  }

  /** The proof nodes (copies). */
  public List<byte[]> path() {
    List<byte[]> copy = new ArrayList<>(path.size());
    path.forEach(node -> copy.add(node.clone()));
    return copy;
  }

  /**
   * True when this proof shows that the tree with {@code newRoot} extends the one with {@code
   * oldRoot}.
   */
  public boolean verify(byte[] oldRoot, byte[] newRoot) {
    if (oldRoot == null
        || newRoot == null
        || oldRoot.length != TreeHash.HASH_BYTES
        || newRoot.length != TreeHash.HASH_BYTES
        || oldSize < 0
        || oldSize > newSize) {
      return false;
    }
    if (oldSize == newSize) {
      return path.isEmpty() && MessageDigest.isEqual(oldRoot, newRoot);
    }
    if (oldSize == 0) {
      return path.isEmpty() && MessageDigest.isEqual(oldRoot, TreeHash.emptyRoot());
    }
    if (path.isEmpty()) {
      return false;
    }
    List<byte[]> nodes = new ArrayList<>(path.size() + 1);
    if (Long.bitCount(oldSize) == 1) {
      nodes.add(oldRoot);
    }
    nodes.addAll(path);
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = nodes.get(0).clone();
    byte[] sr = nodes.get(0).clone();
    Sha256 sha = Sha256.perThread();
    for (int i = 1; i < nodes.size(); i++) {
      byte[] c = nodes.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        TreeHash.nodeHash(sha, c, 0, fr, 0, fr, 0);
        TreeHash.nodeHash(sha, c, 0, sr, 0, sr, 0);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        TreeHash.nodeHash(sha, sr, 0, c, 0, sr, 0);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, oldRoot) && MessageDigest.isEqual(sr, newRoot);
  }
}
