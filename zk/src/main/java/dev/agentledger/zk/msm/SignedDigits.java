package dev.agentledger.zk.msm;

/**
 * Signed base-{@code 2^c} digits of 256-bit scalars: {@code k = sum d_j 2^(c j)} with {@code d_j}
 * in {@code [-2^(c-1), 2^(c-1)]}, so a window needs only {@code 2^(c-1)} buckets (a negative digit
 * adds the negated point, which is free on a Weierstrass curve).
 */
public final class SignedDigits {
  private SignedDigits() {}

  /** Windows needed for scalars below {@code 2^bits}: the top digit absorbs the last carry. */
  public static int windows(int bits, int c) {
    return bits / c + 1;
  }

  /**
   * Writes the digits of scalars {@code [from, to)} into {@code digits[w * n + i]}; scalars are
   * canonical little-endian limbs (4 per scalar) below {@code 2^(c * windows - 1)}.
   */
  public static void compute(
      long[] scalars, int n, int c, int windows, int from, int to, int[] digits) {
    int[] one = new int[windows];
    for (int i = from; i < to; i++) {
      of(scalars, i, c, windows, one);
      for (int w = 0; w < windows; w++) {
        digits[w * n + i] = one[w];
      }
    }
  }

  /** Writes the {@code windows} digits of scalar {@code i} into {@code out[0, windows)}. */
  static void of(long[] scalars, int i, int c, int windows, int[] out) {
    int half = 1 << (c - 1);
    int full = 1 << c;
    long mask = full - 1;
    int base = 4 * i;
    int carry = 0;
    for (int w = 0; w < windows; w++) {
      int bit = w * c;
      int limb = bit >>> 6;
      int shift = bit & 63;
      long v = 0;
      if (limb < 4) {
        v = scalars[base + limb] >>> shift;
        if (shift + c > 64 && limb + 1 < 4) {
          v |= scalars[base + limb + 1] << (64 - shift);
        }
      }
      int d = (int) (v & mask) + carry;
      if (d > half) {
        d -= full;
        carry = 1;
      } else {
        carry = 0;
      }
      out[w] = d;
    }
  }
}
