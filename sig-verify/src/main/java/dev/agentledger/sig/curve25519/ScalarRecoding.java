package dev.agentledger.sig.curve25519;

/**
 * Recodings of 32-byte little-endian scalars into signed digits.
 *
 * <p>{@link #wnaf}: width-w non-adjacent form (variable time, public scalars only): every non-zero
 * digit is odd, below 2^(w-1) in absolute value, and followed by at least w-1 zeros, so a
 * double-and-add pass over a 253-bit scalar makes about 253/(w+1) additions with a table of 2^(w-2)
 * odd multiples.
 *
 * <p>{@link #radix16}: 64 signed digits in [-8, 8] with sum e_i 16^i = a, for a below 2^255;
 * computed branch-free (it handles secret scalars in signing).
 */
public final class ScalarRecoding {
  private ScalarRecoding() {}

  /** Width-w NAF of {@code s[off, off+32)} into {@code naf[0, 256)}; w in [2, 8]. */
  public static void wnaf(byte[] s, int off, int w, byte[] naf) {
    long[] words = new long[5];
    wnaf(s, off, w, naf, words);
  }

  /** As {@link #wnaf(byte[], int, int, byte[])} with caller scratch of at least 5 longs. */
  public static void wnaf(byte[] s, int off, int w, byte[] naf, long[] words) {
    for (int i = 0; i < 4; i++) {
      words[i] = Fe.le64(s, off + 8 * i);
    }
    words[4] = 0;
    java.util.Arrays.fill(naf, 0, 256, (byte) 0);
    final int width = 1 << w;
    final long windowMask = width - 1;
    int pos = 0;
    long carry = 0;
    while (pos < 256) {
      int index = pos >>> 6;
      int bit = pos & 63;
      long bits = words[index] >>> bit;
      if (bit > 64 - w) {
        bits |= words[index + 1] << (64 - bit);
      }
      long window = carry + (bits & windowMask);
      if ((window & 1) == 0) {
        // The low zero bits of carry + bits are zero digits. The carry out of them is the carry
        // in: zero when those bits of the scalar were zero, one when they were all ones.
        pos += window == 0 ? w : Long.numberOfTrailingZeros(window);
        continue;
      }
      if (window < width / 2) {
        carry = 0;
        naf[pos] = (byte) window;
      } else {
        carry = 1;
        naf[pos] = (byte) (window - width);
      }
      pos += w;
    }
  }

  /** Signed radix-16 digits of a scalar below 2^255 into {@code e[0, 64)}; constant time. */
  public static void radix16(byte[] a, int off, byte[] e) {
    for (int i = 0; i < 32; i++) {
      e[2 * i] = (byte) (a[off + i] & 15);
      e[2 * i + 1] = (byte) ((a[off + i] >>> 4) & 15);
    }
    int carry = 0;
    for (int i = 0; i < 63; i++) {
      int v = e[i] + carry;
      carry = (v + 8) >> 4;
      e[i] = (byte) (v - (carry << 4));
    }
    e[63] = (byte) (e[63] + carry);
  }
}
