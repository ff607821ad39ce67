package dev.agentledger.hash.smt;

import dev.agentledger.hash.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A membership or non-membership proof of a key in a {@link SparseMerkleTree}: the siblings on the
 * path from the root down to where the key's search ends (root side first), and what it ends at:
 * the key's own leaf (membership), an empty subtree, or another key's leaf whose key shares the
 * path (both non-membership).
 */
public final class SmtProof {
  private final List<byte[]> siblings;
  private final byte[] leafKey;
  private final byte[] leafValueHash;

  /**
   * @param siblings root side first
   * @param leafKey the key of the leaf the search ended at, or null for an empty subtree
   * @param leafValueHash that leaf's value hash, or null
   */
  public SmtProof(List<byte[]> siblings, byte[] leafKey, byte[] leafValueHash) {
    List<byte[]> copy = new ArrayList<>(siblings.size());
    for (byte[] sibling : siblings) {
      check(sibling, "sibling");
      copy.add(sibling.clone());
    }
    if ((leafKey == null) != (leafValueHash == null)) {
      throw new IllegalArgumentException("a terminal leaf needs both key and value hash");
    }
    if (leafKey != null) {
      check(leafKey, "leaf key");
      check(leafValueHash, "leaf value hash");
    }
    this.siblings = List.copyOf(copy);
    this.leafKey = leafKey == null ? null : leafKey.clone();
    this.leafValueHash = leafValueHash == null ? null : leafValueHash.clone();
  }

  public List<byte[]> siblings() {
    List<byte[]> copy = new ArrayList<>(siblings.size());
    siblings.forEach(s -> copy.add(s.clone()));
    return copy;
  }

  /** The key of the leaf the search ended at, or null when it ended at an empty subtree. */
  public byte[] leafKey() {
    return leafKey == null ? null : leafKey.clone();
  }

  /** That leaf's value hash, or null when the search ended at an empty subtree. */
  public byte[] leafValueHash() {
    return leafValueHash == null ? null : leafValueHash.clone();
  }

  /**
   * True when this proves that {@code key} maps to a value with hash {@code valueHash} under {@code
   * root}.
   */
  public boolean verifyMembership(byte[] root, byte[] key, byte[] valueHash) {
    if (leafKey == null
        || !MessageDigest.isEqual(leafKey, key)
        || !MessageDigest.isEqual(leafValueHash, valueHash)) {
      return false;
    }
    return MessageDigest.isEqual(rootFrom(key), root);
  }

  /** True when this proves that {@code key} is absent under {@code root}. */
  public boolean verifyNonMembership(byte[] root, byte[] key) {
    if (key == null
        || key.length != SparseMerkleTree.KEY_BYTES
        || siblings.size() > SparseMerkleTree.DEPTH) {
      return false;
    }
    if (leafKey != null) {
      if (MessageDigest.isEqual(leafKey, key)) {
        return false;
      }
      // The other leaf must sit on the key's path: same first bits down to its depth.
      for (int d = 0; d < siblings.size(); d++) {
        if (SparseMerkleTree.bit(leafKey, d) != SparseMerkleTree.bit(key, d)) {
          return false;
        }
      }
    }
    return MessageDigest.isEqual(rootFrom(key), root);
  }

  private byte[] rootFrom(byte[] key) {
    if (siblings.size() > SparseMerkleTree.DEPTH) {
      return new byte[0];
    }
    Sha256 sha = Sha256.perThread();
    byte[] current =
        leafKey == null
            ? SparseMerkleTree.EMPTY.clone()
            : SparseMerkleTree.leafHash(sha, leafKey, leafValueHash);
    for (int d = siblings.size() - 1; d >= 0; d--) {
      byte[] sibling = siblings.get(d);
      current =
          SparseMerkleTree.bit(key, d) == 0
              ? SparseMerkleTree.internalHash(sha, current, sibling)
              : SparseMerkleTree.internalHash(sha, sibling, current);
    }
    return current;
  }

  private static void check(byte[] bytes, String what) {
    if (bytes == null || bytes.length != 32) {
      throw new IllegalArgumentException(what + " must have 32 bytes");
    }
  }

  /** The value hash when this proof ends at {@code key}'s own leaf, else null (no verification). */
  byte[] memberValueHash(byte[] key) {
    return leafKey != null && MessageDigest.isEqual(leafKey, key) ? leafValueHash.clone() : null;
  }
}
