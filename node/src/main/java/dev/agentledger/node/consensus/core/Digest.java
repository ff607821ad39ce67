package dev.agentledger.node.consensus.core;

import dev.agentledger.hash.Sha256;

/**
 * A 32-byte SHA-256 digest held as four big-endian words: a value with cheap, deterministic {@code
 * equals}/{@code hashCode} and a total order (used to break ties deterministically).
 */
public record Digest(long w0, long w1, long w2, long w3) implements Comparable<Digest> {
  /** Bytes of an encoded digest. */
  public static final int BYTES = 32;

  /** Reads a digest from {@code bytes[offset, offset + 32)}. */
  public static Digest of(byte[] bytes, int offset) {
    return new Digest(
        word(bytes, offset),
        word(bytes, offset + 8),
        word(bytes, offset + 16),
        word(bytes, offset + 24));
  }

  /** Reads a 32-byte digest. */
  public static Digest of(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("a digest has 32 bytes, got " + bytes.length);
    }
    return of(bytes, 0);
  }

  /** SHA-256 of {@code data}. */
  public static Digest sha256(byte[] data) {
    return of(Sha256.digest(data));
  }

  /** Writes the 32 bytes into {@code out[offset, offset + 32)}. */
  public void writeTo(byte[] out, int offset) {
    putWord(out, offset, w0);
    putWord(out, offset + 8, w1);
    putWord(out, offset + 16, w2);
    putWord(out, offset + 24, w3);
  }

  /** The 32 bytes in a new array. */
  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    writeTo(out, 0);
    return out;
  }

  /** Lower-case hex of all 32 bytes. */
  public String hex() {
    return String.format("%016x%016x%016x%016x", w0, w1, w2, w3);
  }

  @Override
  public int compareTo(Digest o) {
    int c = Long.compareUnsigned(w0, o.w0);
    if (c == 0) c = Long.compareUnsigned(w1, o.w1);
    if (c == 0) c = Long.compareUnsigned(w2, o.w2);
    if (c == 0) c = Long.compareUnsigned(w3, o.w3);
    return c;
  }

  @Override
  public String toString() {
    return String.format("%08x", (int) (w0 >>> 32));
  }

  private static long word(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private static void putWord(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
