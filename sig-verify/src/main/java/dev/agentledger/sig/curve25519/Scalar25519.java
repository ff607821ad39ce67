package dev.agentledger.sig.curve25519;

import java.math.BigInteger;

/**
 * Arithmetic modulo the group order L = 2^252 + c (c about 2^124.4) on 32-byte little-endian
 * scalars, in signed radix 2^21 limbs held in longs. Reduction folds limbs at or above 2^252 with
 * 2^252 = -c (mod L): all limbs i >= 12 are folded at once into limbs i-12 .. i-7 (c has six
 * limbs), then the limbs are re-normalised to centred digits, until the value has fewer than 12
 * limbs (|v| < 2^252); a negative value then gets L added, which lands it in [0, L) since L >
 * 2^252. One instance per thread (it owns its scratch limbs).
 */
public final class Scalar25519 {
  private static final int RADIX = 21;
  private static final long MASK = (1L << RADIX) - 1;
  private static final long[] C_LIMBS = limbs(Curve.L.subtract(BigInteger.ONE.shiftLeft(252)), 6);
  private static final long[] L_LIMBS = limbs(Curve.L, 13);
  private static final byte[] L_BYTES = Curve.toLittleEndian(Curve.L, 32);

  private final long[] s = new long[40];
  private final long[] x = new long[13];
  private final long[] y = new long[13];
  private final long[] folded = new long[40];

  /** out = h mod L for a 64-byte little-endian h (RFC 8032: SHA-512 output as an integer). */
  public void reduce64(byte[] h, int hOff, byte[] out, int outOff) {
    java.util.Arrays.fill(s, 0);
    load(h, hOff, 64, s);
    reduce(25);
    store(out, outOff);
  }

  /** out = (a * b + c) mod L; inputs are 32-byte little-endian integers (any value below 2^256). */
  public void mulAdd(
      byte[] out, int outOff, byte[] a, int aOff, byte[] b, int bOff, byte[] c, int cOff) {
    java.util.Arrays.fill(s, 0);
    java.util.Arrays.fill(x, 0);
    java.util.Arrays.fill(y, 0);
    load(a, aOff, 32, x);
    load(b, bOff, 32, y);
    load(c, cOff, 32, s);
    for (int i = 0; i < 13; i++) {
      long xi = x[i];
      for (int j = 0; j < 13; j++) {
        s[i + j] += xi * y[j];
      }
    }
    reduce(26);
    store(out, outOff);
  }

  /** out = (a + b) mod L. */
  public void add(byte[] out, int outOff, byte[] a, int aOff, byte[] b, int bOff) {
    java.util.Arrays.fill(s, 0);
    java.util.Arrays.fill(x, 0);
    load(a, aOff, 32, s);
    load(b, bOff, 32, x);
    for (int i = 0; i < 13; i++) {
      s[i] += x[i];
    }
    reduce(14);
    store(out, outOff);
  }

  /** out = (L - a) mod L, for a canonical a. */
  public void negate(byte[] out, int outOff, byte[] a, int aOff) {
    java.util.Arrays.fill(s, 0);
    load(a, aOff, 32, s);
    for (int i = 0; i < 13; i++) {
      s[i] = -s[i];
    }
    reduce(14);
    store(out, outOff);
  }

  /**
   * Whether the 32-byte little-endian s is below L (the canonical-S rule of RFC 8032 / ZIP-215).
   */
  public static boolean isCanonical(byte[] b, int off) {
    for (int i = 31; i >= 0; i--) {
      int x = b[off + i] & 0xFF;
      int l = L_BYTES[i] & 0xFF;
      if (x != l) {
        return x < l;
      }
    }
    return false; // equal to L
  }

  private static void load(byte[] b, int off, int len, long[] limbs) {
    int bits = len * 8;
    for (int i = 0; i * RADIX < bits; i++) {
      int bit = i * RADIX;
      long v = 0;
      // gather up to 4 bytes covering bits [bit, bit + 21)
      int byteIndex = bit >>> 3;
      for (int k = 0; k < 4 && byteIndex + k < len; k++) {
        v |= (b[off + byteIndex + k] & 0xFFL) << (8 * k);
      }
      limbs[i] = (v >>> (bit & 7)) & MASK;
    }
  }

  private void store(byte[] out, int off) {
    java.util.Arrays.fill(out, off, off + 32, (byte) 0);
    long acc = 0;
    int accBits = 0;
    int pos = off;
    for (int i = 0; i < 13; i++) {
      acc |= s[i] << accBits;
      accBits += RADIX;
      while (accBits >= 8 && pos < off + 32) {
        out[pos++] = (byte) acc;
        acc >>>= 8;
        accBits -= 8;
      }
    }
    while (pos < off + 32) {
      out[pos++] = (byte) acc;
      acc >>>= 8;
    }
  }

  /** Reduces s[0, n) (signed limbs, |limb| < 2^62) to canonical non-negative limbs s[0, 13). */
  private void reduce(int n) {
    int top = normalize(n);
    while (top >= 12) {
      int highCount = top - 11;
      System.arraycopy(s, 12, folded, 0, highCount);
      java.util.Arrays.fill(s, 12, top + 1, 0);
      for (int k = 0; k < highCount; k++) {
        long h = folded[k];
        if (h != 0) {
          for (int j = 0; j < 6; j++) {
            s[k + j] -= h * C_LIMBS[j];
          }
        }
      }
      top = normalize(Math.max(12, highCount + 6));
    }
    // |v| < 2^252: make the digits non-negative (floor carries); if negative, add L.
    long carry = 0;
    for (int i = 0; i < 12; i++) {
      long t = s[i] + carry;
      carry = t >> RADIX;
      s[i] = t & MASK;
    }
    s[12] = carry; // 0 or -1
    if (carry < 0) {
      carry = 0;
      for (int i = 0; i < 13; i++) {
        long t = s[i] + L_LIMBS[i] + carry;
        carry = t >> RADIX;
        s[i] = t & MASK;
      }
      // carry out of limb 12 cancels the -1 already folded into s[12]
    }
  }

  /**
   * Centred carries over s[0, n) (digits in [-2^20, 2^20)), extending past n while a carry remains;
   * returns the index of the highest non-zero limb (-1 for zero).
   */
  private int normalize(int n) {
    long carry = 0;
    int i = 0;
    for (; i < n || carry != 0; i++) {
      long t = s[i] + carry;
      carry = (t + (1L << (RADIX - 1))) >> RADIX;
      s[i] = t - (carry << RADIX);
    }
    int top = i - 1;
    while (top >= 0 && s[top] == 0) {
      top--;
    }
    return top;
  }

  private static long[] limbs(BigInteger v, int count) {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = v.shiftRight(RADIX * i).longValue() & MASK;
    }
    return out;
  }
}
