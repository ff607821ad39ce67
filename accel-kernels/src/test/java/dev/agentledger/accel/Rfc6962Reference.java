package dev.agentledger.accel;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** RFC 6962 section 2.1 MTH written as the recursive definition, for the tests. */
public final class Rfc6962Reference {
  private Rfc6962Reference() {}

  public static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] leafHash(byte[] leaf) {
    return sha256(new byte[] {0}, leaf);
  }

  /** MTH over leaf hashes [from, to): split at the largest power of two smaller than n. */
  public static byte[] root(List<byte[]> leafHashes, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return sha256();
    }
    if (n == 1) {
      return leafHashes.get(from);
    }
    int k = Integer.highestOneBit(n - 1);
    return sha256(new byte[] {1}, root(leafHashes, from, from + k), root(leafHashes, from + k, to));
  }
}
