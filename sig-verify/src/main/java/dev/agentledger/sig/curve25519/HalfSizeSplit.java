package dev.agentledger.sig.curve25519;

/**
 * Writes a scalar k modulo the group order L as a ratio of two half-size integers, k = c0 / c1 (mod
 * L) with 0 <= c0 < 2^127 and 0 < |c1| < 2^127, so that a check of [S]B - [k]A - R can be
 * multiplied through by c1 and run with 127-bit scalars on A and R (Pornin, "Optimized Lattice
 * Basis Reduction In Dimension 2, and Fast Schnorr and EdDSA Signature Verification", IACR ePrint
 * 2020/454, section 4; the reduction here is the truncated extended Euclid with Lehmer steps, not
 * the paper's binary algorithm).
 *
 * <p>The extended Euclid on (L, k) keeps r_i = s_i L + t_i k, so r_i = t_i k (mod L), with |t_i| <=
 * L / r_(i-1). Stopping at the first remainder below 2^127 gives c0 = r_i < 2^127 and |c1| = |t_i|
 * <= 2^253 / 2^127 = 2^126. c1 is never 0 (t_1 = 1 and the |t_i| grow). While the remainders are
 * long, runs of steps are taken on their leading 62 bits ({@link #lehmer}) and applied to the full
 * numbers as one 2x2 matrix; the remaining steps one at a time. There, a quotient is 1 when both
 * remainders have the same bit length (one subtraction); any other quotient below 2^31 is estimated
 * from the leading 63 bits and corrected (one multiply-subtract of four words); a larger one, which
 * random scalars almost never give, is computed bit by bit (shift and subtract). Variable time: k
 * is public in verification. One instance per thread (scratch state).
 */
public final class HalfSizeSplit {
  // L = 2^252 + 27742317777372353535851937790883648493, four little-endian 64-bit words
  private static final long L0 = 0x5812631a5cf5d3edL;
  private static final long L1 = 0x14def9dea2f79cd6L;
  private static final long L2 = 0L;
  private static final long L3 = 0x1000000000000000L;

  private final long[] r0 = new long[4];
  private final long[] r1 = new long[4];
  private final long[] shifted = new long[4];
  private final long[] productM = new long[4];
  private final long[] productN = new long[4];
  // t as signed 128-bit two's complement: {low, high}
  private long t0Lo;
  private long t0Hi;
  private long t1Lo;
  private long t1Hi;

  /**
   * Splits the 32-byte little-endian k (below L) into c0 (32 bytes, below 2^127) and |c1| (32
   * bytes, below 2^127); returns the sign of c1 (+1 or -1), so that c0 = sign |c1| k (mod L).
   */
  public int split(byte[] k, int kOff, byte[] c0, int c0Off, byte[] c1Abs, int c1Off) {
    long[] a = r0;
    long[] b = r1;
    a[0] = L0;
    a[1] = L1;
    a[2] = L2;
    a[3] = L3;
    for (int i = 0; i < 4; i++) {
      b[i] = Fe.le64(k, kOff + 8 * i);
    }
    t0Lo = 0;
    t0Hi = 0;
    t1Lo = 1;
    t1Hi = 0;
    int la = bitLength(a);
    int lb = bitLength(b);
    while (lb > 127) {
      // a = a mod b, t0 -= q t1; then swap (a, t0) with (b, t1). Equal lengths mean q = 1 (b < a
      // < 2b); other quotients below 2^31 (all but the rarest) in one estimate-and-correct step,
      // larger ones bit by bit.
      if (la - lb <= 30 && lehmer(a, b, la)) {
        la = bitLength(a);
        lb = bitLength(b);
        continue;
      }
      if (la == lb) {
        subtract(a, b);
        long lo = t0Lo - t1Lo;
        t0Hi = t0Hi - t1Hi - (Long.compareUnsigned(t0Lo, t1Lo) < 0 ? 1 : 0);
        t0Lo = lo;
      } else if (la - lb <= 30) {
        long q = reduceBySmallQuotient(a, b, la);
        long sLo = q * t1Lo;
        long sHi = Math.unsignedMultiplyHigh(q, t1Lo) + q * t1Hi;
        long lo = t0Lo - sLo;
        t0Hi = t0Hi - sHi - (Long.compareUnsigned(t0Lo, sLo) < 0 ? 1 : 0);
        t0Lo = lo;
      } else {
        reduceBitByBit(a, b, la - lb);
      }
      long[] swap = a;
      a = b;
      b = swap;
      long lo = t0Lo;
      long hi = t0Hi;
      t0Lo = t1Lo;
      t0Hi = t1Hi;
      t1Lo = lo;
      t1Hi = hi;
      la = lb;
      lb = bitLength(b);
    }
    // c0 = b (below 2^127), c1 = t1
    for (int i = 0; i < 4; i++) {
      Fe.put64(c0, c0Off + 8 * i, b[i]);
    }
    int sign = 1;
    long lo = t1Lo;
    long hi = t1Hi;
    if (hi < 0) {
      sign = -1;
      lo = -t1Lo;
      hi = ~t1Hi + (t1Lo == 0 ? 1 : 0);
    }
    Fe.put64(c1Abs, c1Off, lo);
    Fe.put64(c1Abs, c1Off + 8, hi);
    Fe.put64(c1Abs, c1Off + 16, 0);
    Fe.put64(c1Abs, c1Off + 24, 0);
    return sign;
  }

  /**
   * Several Euclid steps at once (Lehmer; Knuth, TAOCP vol. 2, 4.5.2, algorithm L): the steps are
   * run on the leading 62 bits x, y of a and b (shifted by the same s) while the quotients of (x +
   * A) / (y + C) and (x + B) / (y + D) agree, which makes them the quotients of a and b, and while
   * every remainder stays provably at or above 2^127 (the remainder is y' 2^s plus an error below
   * (|C'| + |D'|) 2^s), so that the plain loop still takes the last step. Then (a, b) becomes (A a
   * + B b, C a + D b) and (t0, t1) likewise. Returns false when no step qualified. Needs b >= 2^31
   * 2^s (bitLength(a) - bitLength(b) at most 30).
   */
  private boolean lehmer(long[] a, long[] b, int la) {
    int s = la - 62;
    if (s < 66) {
      return false; // b is close to 2^127: the plain steps finish
    }
    long x = topBits(a, s);
    long y = topBits(b, s);
    long threshold = s >= 127 ? 1 : 1L << (127 - s);
    long ma = 1;
    long mb = 0;
    long mc = 0;
    long md = 1;
    while (true) {
      long yc = y + mc;
      long yd = y + md;
      if (yc == 0 || yd == 0) {
        break;
      }
      long q = (x + ma) / yc;
      if (q != (x + mb) / yd) {
        break;
      }
      long ny = x - q * y;
      long nc = ma - q * mc;
      long nd = mb - q * md;
      if (ny - Math.abs(nc) - Math.abs(nd) < threshold) {
        break;
      }
      x = y;
      y = ny;
      ma = mc;
      mb = md;
      mc = nc;
      md = nd;
    }
    if (mb == 0) {
      return false;
    }
    combine(shifted, ma, a, mb, b);
    combine(b, mc, a, md, b);
    System.arraycopy(shifted, 0, a, 0, 4);
    long n0Lo = ma * t0Lo + mb * t1Lo;
    long n0Hi =
        mulHigh128(ma, t0Lo, t0Hi)
            + mulHigh128(mb, t1Lo, t1Hi)
            + (Long.compareUnsigned(n0Lo, ma * t0Lo) < 0 ? 1 : 0);
    long n1Lo = mc * t0Lo + md * t1Lo;
    long n1Hi =
        mulHigh128(mc, t0Lo, t0Hi)
            + mulHigh128(md, t1Lo, t1Hi)
            + (Long.compareUnsigned(n1Lo, mc * t0Lo) < 0 ? 1 : 0);
    t0Lo = n0Lo;
    t0Hi = n0Hi;
    t1Lo = n1Lo;
    t1Hi = n1Hi;
    return true;
  }

  /** The high word of m t mod 2^128 for signed m and the 128-bit two's complement t. */
  private static long mulHigh128(long m, long tLo, long tHi) {
    return Math.unsignedMultiplyHigh(m, tLo) - (m < 0 ? tLo : 0) + m * tHi;
  }

  /** out = m x + n y mod 2^256 (signed m, n; out may alias x or y). */
  private void combine(long[] out, long m, long[] x, long n, long[] y) {
    multiplySigned(productM, m, x);
    multiplySigned(productN, n, y);
    long carry = 0;
    for (int i = 0; i < 4; i++) {
      long u = productM[i];
      long sum = u + productN[i];
      long c1 = Long.compareUnsigned(sum, u) < 0 ? 1 : 0;
      long total = sum + carry;
      long c2 = Long.compareUnsigned(total, sum) < 0 ? 1 : 0;
      out[i] = total;
      carry = c1 + c2;
    }
  }

  /** out = m x mod 2^256 for signed m (|m| below 2^63). */
  private static void multiplySigned(long[] out, long m, long[] x) {
    long am = Math.abs(m);
    long carry = 0;
    for (int i = 0; i < 4; i++) {
      long p = am * x[i];
      long h = Math.unsignedMultiplyHigh(am, x[i]);
      long w = p + carry;
      carry = h + (Long.compareUnsigned(w, p) < 0 ? 1 : 0);
      out[i] = w;
    }
    if (m < 0) { // two's complement negation mod 2^256
      long c = 1;
      for (int i = 0; i < 4; i++) {
        long v = ~out[i] + c;
        c = (c != 0 && v == 0) ? 1 : 0;
        out[i] = v;
      }
    }
  }

  /**
   * a = a mod b for a quotient q = floor(a / b) below 2^31 (bitLength(a) - bitLength(b) &lt;= 30);
   * returns q. The estimate floor((a &gt;&gt; s) / (b &gt;&gt; s)), with s chosen so that a
   * &gt;&gt; s fits 63 bits and b &gt;&gt; s keeps at least 33, is within q - 1 .. q + 2; a - q b
   * is then corrected by adding or subtracting b.
   */
  private long reduceBySmallQuotient(long[] a, long[] b, int la) {
    int s = Math.max(0, la - 63);
    long q = topBits(a, s) / topBits(b, s);
    // a -= q b (q b is below a + 2b < 2^255, so it fits four words); borrow means negative
    long carry = 0;
    long borrow = 0;
    for (int i = 0; i < 4; i++) {
      long lo = q * b[i];
      long hi = Math.unsignedMultiplyHigh(q, b[i]);
      long p = lo + carry;
      hi += Long.compareUnsigned(p, lo) < 0 ? 1 : 0;
      carry = hi;
      long ai = a[i];
      long d = ai - p - borrow;
      borrow = (Long.compareUnsigned(ai, p) < 0 || (borrow != 0 && ai == p)) ? 1 : 0;
      a[i] = d;
    }
    while (borrow != 0) { // a was below q b: add b back until the sum wraps past 2^256
      long c = 0;
      for (int i = 0; i < 4; i++) {
        long ai = a[i];
        long sum = ai + b[i] + c;
        c = (Long.compareUnsigned(sum, ai) < 0 || (c != 0 && sum == ai)) ? 1 : 0;
        a[i] = sum;
      }
      borrow = c == 0 ? 1 : 0;
      q--;
    }
    while (compare(a, b) >= 0) {
      subtract(a, b);
      q++;
    }
    return q;
  }

  /** x &gt;&gt; s as a long, for x &gt;&gt; s below 2^63. */
  private static long topBits(long[] x, int s) {
    int w = s >>> 6;
    int bits = s & 63;
    long v = x[w] >>> bits;
    if (bits != 0 && w + 1 < 4) {
      v |= x[w + 1] << (64 - bits);
    }
    return v;
  }

  /** a = a mod b, quotient bit by bit from 2^j down (t0 -= q t1 along the way). */
  private void reduceBitByBit(long[] a, long[] b, int top) {
    for (int j = top; j >= 0; j--) {
      shiftLeft(shifted, b, j);
      if (compare(a, shifted) >= 0) {
        subtract(a, shifted);
        long sLo;
        long sHi;
        if (j == 0) {
          sLo = t1Lo;
          sHi = t1Hi;
        } else if (j < 64) {
          sLo = t1Lo << j;
          sHi = (t1Hi << j) | (t1Lo >>> (64 - j));
        } else {
          sLo = 0;
          sHi = t1Lo << (j - 64);
        }
        long lo = t0Lo - sLo;
        t0Hi = t0Hi - sHi - (Long.compareUnsigned(t0Lo, sLo) < 0 ? 1 : 0);
        t0Lo = lo;
      }
    }
  }

  private static int bitLength(long[] x) {
    for (int i = 3; i >= 0; i--) {
      if (x[i] != 0) {
        return 64 * i + 64 - Long.numberOfLeadingZeros(x[i]);
      }
    }
    return 0;
  }

  /** out = x << n (mod 2^256), 0 <= n < 256. */
  private static void shiftLeft(long[] out, long[] x, int n) {
    int words = n >>> 6;
    int bits = n & 63;
    for (int i = 3; i >= 0; i--) {
      int src = i - words;
      long v = 0;
      if (src >= 0) {
        v = x[src] << bits;
        if (bits != 0 && src >= 1) {
          v |= x[src - 1] >>> (64 - bits);
        }
      }
      out[i] = v;
    }
  }

  private static int compare(long[] x, long[] y) {
    for (int i = 3; i >= 0; i--) {
      if (x[i] != y[i]) {
        return Long.compareUnsigned(x[i], y[i]);
      }
    }
    return 0;
  }

  /** x -= y (x >= y). */
  private static void subtract(long[] x, long[] y) {
    long borrow = 0;
    for (int i = 0; i < 4; i++) {
      long xi = x[i];
      long d = xi - y[i] - borrow;
      borrow = (Long.compareUnsigned(xi, y[i]) < 0 || (borrow != 0 && xi == y[i])) ? 1 : 0;
      x[i] = d;
    }
  }
}
