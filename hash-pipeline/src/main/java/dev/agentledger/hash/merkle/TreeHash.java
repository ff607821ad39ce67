package dev.agentledger.hash.merkle;

import dev.agentledger.hash.Sha256;

/**
 * The RFC 6962 section 2.1 (RFC 9162 section 2.1.1) hash functions: leaf {@code SHA-256(0x00 ||
 * data)}, interior node {@code SHA-256(0x01 || left || right)}, empty tree {@code SHA-256("")}.
 * Single-stream, through the JDK intrinsic.
 */
public final class TreeHash {
  /** Bytes of every tree hash. */
  public static final int HASH_BYTES = Sha256.DIGEST_BYTES;

  static final byte LEAF_PREFIX = 0x00;
  static final byte NODE_PREFIX = 0x01;

  private static final byte[] EMPTY_ROOT = Sha256.digest(new byte[0]);

  private TreeHash() {}

  /** The tree head of the empty tree: SHA-256 of the empty string. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  /** {@code SHA-256(0x00 || data)}. */
  public static byte[] leafHash(byte[] data) {
    byte[] out = new byte[HASH_BYTES];
    leafHash(Sha256.perThread(), data, 0, data.length, out, 0);
    return out;
  }

  /** {@code SHA-256(0x00 || data[offset, offset + length))} into {@code out[outOffset, +32)}. */
  public static void leafHash(
      Sha256 hasher, byte[] data, int offset, int length, byte[] out, int outOffset) {
    hasher.reset().update(LEAF_PREFIX).update(data, offset, length).digest(out, outOffset);
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    checkHash(left, "left");
    checkHash(right, "right");
    byte[] out = new byte[HASH_BYTES];
    nodeHash(Sha256.perThread(), left, 0, right, 0, out, 0);
    return out;
  }

  /**
   * {@code SHA-256(0x01 || left[lo, lo+32) || right[ro, ro+32))} into {@code out[outOffset, +32)}.
   */
  public static void nodeHash(
      Sha256 hasher,
      byte[] left,
      int leftOffset,
      byte[] right,
      int rightOffset,
      byte[] out,
      int outOffset) {
    hasher
        .reset()
        .update(NODE_PREFIX)
        .update(left, leftOffset, HASH_BYTES)
        .update(right, rightOffset, HASH_BYTES)
        .digest(out, outOffset);
  }

  static void checkHash(byte[] hash, String what) {
    if (hash == null || hash.length != HASH_BYTES) {
      throw new IllegalArgumentException(what + " must be a " + HASH_BYTES + "-byte hash");
    }
  }
}
