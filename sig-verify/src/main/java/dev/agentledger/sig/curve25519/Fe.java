package dev.agentledger.sig.curve25519;

/**
 * A mutable element of GF(2^255 - 19) in radix 2^51: value = l0 + l1 2^51 + l2 2^102 + l3 2^153 +
 * l4 2^204, limbs non-negative and not necessarily reduced.
 *
 * <p>Limb bounds, the invariant the arithmetic relies on: {@link #mul} and {@link #sq} accept limbs
 * below 2^54 and return limbs below 2^51 + 2^13 ("tight"); {@link #add} of two tight elements is
 * below 2^52.01; {@link #sub} adds 4p so that {@code f - g} stays non-negative for {@code g < 2^53}
 * and is below {@code f + 2^53}. Every formula in {@link PointOps} keeps the inputs of each
 * multiplication below 2^54 (the bound is argued next to the formulas).
 *
 * <p>Multiplication: each 51x51-bit (or 51x(51+8)-bit) product is split at bit 61 by multiplying
 * with the second operand shifted left by 3: {@code multiplyHigh(f, 8g) = floor(fg / 2^61)} and
 * {@code (f * 8g) >>> 3 = fg mod 2^61}. Five such low parts sum below 2^64 (unsigned), so a column
 * of five products is carried out as {@code (sumHigh << 10) + (sumLow >>> 51)} without any 128-bit
 * addition with carry. The high columns are folded with 2^255 = 19 (mod p) by pre-multiplying the
 * shifted operand by 19 (152 = 19 * 8).
 */
public final class Fe {
  static final long MASK = (1L << 51) - 1;
  // 4p in radix 2^51: limb 0 is 4 * (2^51 - 19), the others 4 * (2^51 - 1).
  private static final long FOUR_P0 = 4 * ((1L << 51) - 19);
  private static final long FOUR_P = 4 * ((1L << 51) - 1);

  /**
   * Operation counting for cost reports ({@code -Dagentledger.fe.count=true}); a constant false
   * otherwise, so the JIT removes the counting code. Counters are not thread-safe: count on one
   * thread.
   */
  static final boolean COUNT = Boolean.getBoolean("agentledger.fe.count");

  static long mulCount;
  static long sqCount;

  /** {multiplications, squarings} counted so far (zero unless counting is on). */
  public static long[] counts() {
    return new long[] {mulCount, sqCount};
  }

  long l0;
  long l1;
  long l2;
  long l3;
  long l4;

  public Fe() {}

  /** A new element with the small value {@code v >= 0}. */
  public static Fe of(long v) {
    Fe f = new Fe();
    f.l0 = v & MASK;
    f.l1 = v >>> 51;
    return f;
  }

  /** A new element decoded from 32 little-endian bytes (top bit ignored). */
  public static Fe ofBytes(byte[] b) {
    Fe f = new Fe();
    f.fromBytes(b, 0);
    return f;
  }

  public Fe set(Fe a) {
    l0 = a.l0;
    l1 = a.l1;
    l2 = a.l2;
    l3 = a.l3;
    l4 = a.l4;
    return this;
  }

  public Fe zero() {
    l0 = l1 = l2 = l3 = l4 = 0;
    return this;
  }

  public Fe one() {
    l0 = 1;
    l1 = l2 = l3 = l4 = 0;
    return this;
  }

  static void add(Fe h, Fe f, Fe g) {
    h.l0 = f.l0 + g.l0;
    h.l1 = f.l1 + g.l1;
    h.l2 = f.l2 + g.l2;
    h.l3 = f.l3 + g.l3;
    h.l4 = f.l4 + g.l4;
  }

  /** h = f - g + 4p; needs g limbs at most 2^53 - 76. */
  static void sub(Fe h, Fe f, Fe g) {
    h.l0 = f.l0 + FOUR_P0 - g.l0;
    h.l1 = f.l1 + FOUR_P - g.l1;
    h.l2 = f.l2 + FOUR_P - g.l2;
    h.l3 = f.l3 + FOUR_P - g.l3;
    h.l4 = f.l4 + FOUR_P - g.l4;
  }

  /** h = -f (as 4p - f); needs f limbs at most 2^53 - 76. */
  static void neg(Fe h, Fe f) {
    h.l0 = FOUR_P0 - f.l0;
    h.l1 = FOUR_P - f.l1;
    h.l2 = FOUR_P - f.l2;
    h.l3 = FOUR_P - f.l3;
    h.l4 = FOUR_P - f.l4;
  }

  /** Carries once so that every limb is below 2^51 + 2^13 (any input limbs below 2^63). */
  static void weakReduce(Fe h) {
    long c0 = h.l0 >>> 51;
    long c1 = h.l1 >>> 51;
    long c2 = h.l2 >>> 51;
    long c3 = h.l3 >>> 51;
    long c4 = h.l4 >>> 51;
    h.l0 = (h.l0 & MASK) + 19 * c4;
    h.l1 = (h.l1 & MASK) + c0;
    h.l2 = (h.l2 & MASK) + c1;
    h.l3 = (h.l3 & MASK) + c2;
    h.l4 = (h.l4 & MASK) + c3;
  }

  /** h = f * g. Limbs of f and g below 2^54; h is tight. h may alias f or g. */
  static void mul(Fe h, Fe f, Fe g) {
    if (COUNT) {
      mulCount++;
    }
    final long f0 = f.l0, f1 = f.l1, f2 = f.l2, f3 = f.l3, f4 = f.l4;
    final long g0 = g.l0 << 3, g1 = g.l1 << 3, g2 = g.l2 << 3, g3 = g.l3 << 3, g4 = g.l4 << 3;
    final long n1 = g.l1 * 152, n2 = g.l2 * 152, n3 = g.l3 * 152, n4 = g.l4 * 152;

    long hi0 =
        Math.multiplyHigh(f0, g0)
            + Math.multiplyHigh(f1, n4)
            + Math.multiplyHigh(f2, n3)
            + Math.multiplyHigh(f3, n2)
            + Math.multiplyHigh(f4, n1);
    long lo0 =
        ((f0 * g0) >>> 3)
            + ((f1 * n4) >>> 3)
            + ((f2 * n3) >>> 3)
            + ((f3 * n2) >>> 3)
            + ((f4 * n1) >>> 3);
    long hi1 =
        Math.multiplyHigh(f0, g1)
            + Math.multiplyHigh(f1, g0)
            + Math.multiplyHigh(f2, n4)
            + Math.multiplyHigh(f3, n3)
            + Math.multiplyHigh(f4, n2);
    long lo1 =
        ((f0 * g1) >>> 3)
            + ((f1 * g0) >>> 3)
            + ((f2 * n4) >>> 3)
            + ((f3 * n3) >>> 3)
            + ((f4 * n2) >>> 3);
    long hi2 =
        Math.multiplyHigh(f0, g2)
            + Math.multiplyHigh(f1, g1)
            + Math.multiplyHigh(f2, g0)
            + Math.multiplyHigh(f3, n4)
            + Math.multiplyHigh(f4, n3);
    long lo2 =
        ((f0 * g2) >>> 3)
            + ((f1 * g1) >>> 3)
            + ((f2 * g0) >>> 3)
            + ((f3 * n4) >>> 3)
            + ((f4 * n3) >>> 3);
    long hi3 =
        Math.multiplyHigh(f0, g3)
            + Math.multiplyHigh(f1, g2)
            + Math.multiplyHigh(f2, g1)
            + Math.multiplyHigh(f3, g0)
            + Math.multiplyHigh(f4, n4);
    long lo3 =
        ((f0 * g3) >>> 3)
            + ((f1 * g2) >>> 3)
            + ((f2 * g1) >>> 3)
            + ((f3 * g0) >>> 3)
            + ((f4 * n4) >>> 3);
    long hi4 =
        Math.multiplyHigh(f0, g4)
            + Math.multiplyHigh(f1, g3)
            + Math.multiplyHigh(f2, g2)
            + Math.multiplyHigh(f3, g1)
            + Math.multiplyHigh(f4, g0);
    long lo4 =
        ((f0 * g4) >>> 3)
            + ((f1 * g3) >>> 3)
            + ((f2 * g2) >>> 3)
            + ((f3 * g1) >>> 3)
            + ((f4 * g0) >>> 3);
    carry(h, hi0, lo0, hi1, lo1, hi2, lo2, hi3, lo3, hi4, lo4);
  }

  /** h = f^2. Limbs of f below 2^54; h is tight. */
  static void sq(Fe h, Fe f) {
    if (COUNT) {
      sqCount++;
    }
    final long f0 = f.l0, f1 = f.l1, f2 = f.l2, f3 = f.l3, f4 = f.l4;
    final long f0s = f0 << 3, f1s = f1 << 3, f2s = f2 << 3;
    final long f1d = f1 << 4, f2d = f2 << 4, f3d = f3 << 4, f4d = f4 << 4;
    final long f3n = f3 * 152, f4n = f4 * 152, f3m = f3 * 304, f4m = f4 * 304;

    long hi0 = Math.multiplyHigh(f0, f0s) + Math.multiplyHigh(f1, f4m) + Math.multiplyHigh(f2, f3m);
    long lo0 = ((f0 * f0s) >>> 3) + ((f1 * f4m) >>> 3) + ((f2 * f3m) >>> 3);
    long hi1 = Math.multiplyHigh(f0, f1d) + Math.multiplyHigh(f2, f4m) + Math.multiplyHigh(f3, f3n);
    long lo1 = ((f0 * f1d) >>> 3) + ((f2 * f4m) >>> 3) + ((f3 * f3n) >>> 3);
    long hi2 = Math.multiplyHigh(f0, f2d) + Math.multiplyHigh(f1, f1s) + Math.multiplyHigh(f3, f4m);
    long lo2 = ((f0 * f2d) >>> 3) + ((f1 * f1s) >>> 3) + ((f3 * f4m) >>> 3);
    long hi3 = Math.multiplyHigh(f0, f3d) + Math.multiplyHigh(f1, f2d) + Math.multiplyHigh(f4, f4n);
    long lo3 = ((f0 * f3d) >>> 3) + ((f1 * f2d) >>> 3) + ((f4 * f4n) >>> 3);
    long hi4 = Math.multiplyHigh(f0, f4d) + Math.multiplyHigh(f1, f3d) + Math.multiplyHigh(f2, f2s);
    long lo4 = ((f0 * f4d) >>> 3) + ((f1 * f3d) >>> 3) + ((f2 * f2s) >>> 3);
    carry(h, hi0, lo0, hi1, lo1, hi2, lo2, hi3, lo3, hi4, lo4);
  }

  /** 2p in radix 2^51: limb 0 is 2 * (2^51 - 19), the others 2 * (2^51 - 1). */
  private static final long TWO_P0 = 2 * ((1L << 51) - 19);

  private static final long TWO_P = 2 * ((1L << 51) - 1);

  private static final double TWO_POW_M64 = 0x1p-64;

  private static final double ROUNDING = 0x1.8p52;

  private static final long ROUNDING_BITS = Double.doubleToRawLongBits(ROUNDING);

  /** h = f - g + 2p; needs g tight (limbs at most 2^52 - 38), so h is below f + 2^52. */
  static void sub2p(Fe h, Fe f, Fe g) {
    h.l0 = f.l0 + TWO_P0 - g.l0;
    h.l1 = f.l1 + TWO_P - g.l1;
    h.l2 = f.l2 + TWO_P - g.l2;
    h.l3 = f.l3 + TWO_P - g.l3;
    h.l4 = f.l4 + TWO_P - g.l4;
  }

  /**
   * h = f * g for limbs of f and g below 2^53.4 (a narrower bound than {@link #mul}); h is tight. h
   * may alias f or g. The point formulas use it; their inputs are argued below 2^53.33 in {@link
   * PointOps}.
   *
   * <p>Each column sum S = sum f_i g'_j (g'_j = g_j or 19 g_j) is taken as S = H 2^64 + L: the low
   * word L = S mod 2^64 exactly from wrapping 64-bit products (one {@code imul} each, read as
   * signed), and H = rint((S - L) 2^-64) from a double-precision FMA chain that starts at -L. The
   * chain's error: the conversions of f_i and g'_j to double (relative 2^-53 each, so at most 2.01
   * u S on the products, u = 2^-53), five FMA roundings of partial sums below S + 2^63 (at most 5 u
   * (S + 2^63)) and the conversion of L (2^10): below 7.1 u S + 2^13. The largest column is column
   * 0, f0 g0 + 19 (f1 g4 + f2 g3 + f3 g2 + f4 g1) below 77 B^2; for B = 2^53.4 that is 2^112.97,
   * and the error stays below 2^62.8 &lt; 2^63, so rounding (S - L) 2^-64 to the nearest integer
   * gives H exactly. Then the limb is L mod 2^51 and the carry floor(S / 2^51) = (H &lt;&lt; 13) +
   * (L &gt;&gt; 51), arithmetic shift. {@code FeFmaTest} checks the bound's extremes against
   * BigInteger.
   */
  static void mulFma(Fe h, Fe f, Fe g) {
    if (COUNT) {
      mulCount++;
    }
    final long f0 = f.l0, f1 = f.l1, f2 = f.l2, f3 = f.l3, f4 = f.l4;
    final long g0 = g.l0, g1 = g.l1, g2 = g.l2, g3 = g.l3, g4 = g.l4;
    final long n1 = g1 * 19, n2 = g2 * 19, n3 = g3 * 19, n4 = g4 * 19;
    final double a0 = f0, a1 = f1, a2 = f2, a3 = f3, a4 = f4;
    final double b0 = g0, b1 = g1, b2 = g2, b3 = g3, b4 = g4;
    final double m1 = n1, m2 = n2, m3 = n3, m4 = n4;
    long l0 = f0 * g0 + f1 * n4 + f2 * n3 + f3 * n2 + f4 * n1;
    long l1 = f0 * g1 + f1 * g0 + f2 * n4 + f3 * n3 + f4 * n2;
    long l2 = f0 * g2 + f1 * g1 + f2 * g0 + f3 * n4 + f4 * n3;
    long l3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * n4;
    long l4 = f0 * g4 + f1 * g3 + f2 * g2 + f3 * g1 + f4 * g0;
    double x0 =
        Math.fma(
            a4,
            m1,
            Math.fma(a3, m2, Math.fma(a2, m3, Math.fma(a1, m4, Math.fma(a0, b0, -(double) l0)))));
    double x1 =
        Math.fma(
            a4,
            m2,
            Math.fma(a3, m3, Math.fma(a2, m4, Math.fma(a1, b0, Math.fma(a0, b1, -(double) l1)))));
    double x2 =
        Math.fma(
            a4,
            m3,
            Math.fma(a3, m4, Math.fma(a2, b0, Math.fma(a1, b1, Math.fma(a0, b2, -(double) l2)))));
    double x3 =
        Math.fma(
            a4,
            m4,
            Math.fma(a3, b0, Math.fma(a2, b1, Math.fma(a1, b2, Math.fma(a0, b3, -(double) l3)))));
    double x4 =
        Math.fma(
            a4,
            b0,
            Math.fma(a3, b1, Math.fma(a2, b2, Math.fma(a1, b3, Math.fma(a0, b4, -(double) l4)))));
    carryFma(h, high(x0), l0, high(x1), l1, high(x2), l2, high(x3), l3, high(x4), l4);
  }

  /** h = f^2 for limbs of f below 2^53.4; h is tight. The same column split as {@link #mulFma}. */
  static void sqFma(Fe h, Fe f) {
    if (COUNT) {
      sqCount++;
    }
    final long f0 = f.l0, f1 = f.l1, f2 = f.l2, f3 = f.l3, f4 = f.l4;
    final long d0 = 2 * f0, d1 = 2 * f1;
    final long n3 = 19 * f3, n4 = 19 * f4, e3 = 38 * f3, e4 = 38 * f4;
    final double a0 = f0, a1 = f1, a2 = f2, a3 = f3, a4 = f4;
    final double da0 = d0, da1 = d1, mn3 = n3, mn4 = n4, me3 = e3, me4 = e4;
    long l0 = f0 * f0 + f1 * e4 + f2 * e3;
    long l1 = d0 * f1 + f2 * e4 + f3 * n3;
    long l2 = d0 * f2 + f1 * f1 + f3 * e4;
    long l3 = d0 * f3 + d1 * f2 + f4 * n4;
    long l4 = d0 * f4 + d1 * f3 + f2 * f2;
    double x0 = Math.fma(a2, me3, Math.fma(a1, me4, Math.fma(a0, a0, -(double) l0)));
    double x1 = Math.fma(a3, mn3, Math.fma(a2, me4, Math.fma(da0, a1, -(double) l1)));
    double x2 = Math.fma(a3, me4, Math.fma(a1, a1, Math.fma(da0, a2, -(double) l2)));
    double x3 = Math.fma(a4, mn4, Math.fma(da1, a2, Math.fma(da0, a3, -(double) l3)));
    double x4 = Math.fma(a2, a2, Math.fma(da1, a3, Math.fma(da0, a4, -(double) l4)));
    carryFma(h, high(x0), l0, high(x1), l1, high(x2), l2, high(x3), l3, high(x4), l4);
  }

  /**
   * H = (S - L) / 2^64 from its floating-point approximation (see {@link #mulFma}): adding 1.5
   * 2^52, where the spacing of doubles is 1, rounds (S - L) 2^-64 to the nearest integer in the
   * same FMA (it is within 2^-1.2 of H, and |H| &lt; 2^50), and the integer is then the low bits of
   * the sum.
   */
  private static long high(double sMinusL) {
    return Double.doubleToRawLongBits(Math.fma(sMinusL, TWO_POW_M64, ROUNDING)) - ROUNDING_BITS;
  }

  /**
   * Tight limbs from five columns S_i = H_i 2^64 + L_i (L_i signed): limb = S_i mod 2^51, carry =
   * (H_i &lt;&lt; 13) + (L_i &gt;&gt; 51); the carry out of column 4 wraps as 19.
   */
  private static void carryFma(
      Fe h,
      long h0,
      long l0,
      long h1,
      long l1,
      long h2,
      long l2,
      long h3,
      long l3,
      long h4,
      long l4) {
    long r0 = l0 & MASK;
    long c = (h0 << 13) + (l0 >> 51);
    long t = (l1 & MASK) + c;
    long r1 = t & MASK;
    c = (h1 << 13) + (l1 >> 51) + (t >>> 51);
    t = (l2 & MASK) + c;
    long r2 = t & MASK;
    c = (h2 << 13) + (l2 >> 51) + (t >>> 51);
    t = (l3 & MASK) + c;
    long r3 = t & MASK;
    c = (h3 << 13) + (l3 >> 51) + (t >>> 51);
    t = (l4 & MASK) + c;
    long r4 = t & MASK;
    c = (h4 << 13) + (l4 >> 51) + (t >>> 51);
    r0 += 19 * c;
    r1 += r0 >>> 51;
    h.l0 = r0 & MASK;
    h.l1 = r1;
    h.l2 = r2;
    h.l3 = r3;
    h.l4 = r4;
  }

  /** h = f^(2^n), n >= 1. */
  static void sqN(Fe h, Fe f, int n) {
    sq(h, f);
    for (int i = 1; i < n; i++) {
      sq(h, h);
    }
  }

  /**
   * Turns five columns (column i = hi_i 2^61 + lo_i) into tight limbs: limb = column mod 2^51,
   * carry = column >> 51 = (hi << 10) + (lo >>> 51); the carry out of column 4 wraps as 19.
   */
  private static void carry(
      Fe h,
      long hi0,
      long lo0,
      long hi1,
      long lo1,
      long hi2,
      long lo2,
      long hi3,
      long lo3,
      long hi4,
      long lo4) {
    long r0 = lo0 & MASK;
    long c = (hi0 << 10) + (lo0 >>> 51);
    long t = (lo1 & MASK) + c;
    long r1 = t & MASK;
    c = (hi1 << 10) + (lo1 >>> 51) + (t >>> 51);
    t = (lo2 & MASK) + c;
    long r2 = t & MASK;
    c = (hi2 << 10) + (lo2 >>> 51) + (t >>> 51);
    t = (lo3 & MASK) + c;
    long r3 = t & MASK;
    c = (hi3 << 10) + (lo3 >>> 51) + (t >>> 51);
    t = (lo4 & MASK) + c;
    long r4 = t & MASK;
    c = (hi4 << 10) + (lo4 >>> 51) + (t >>> 51);
    r0 += 19 * c;
    r1 += r0 >>> 51;
    h.l0 = r0 & MASK;
    h.l1 = r1;
    h.l2 = r2;
    h.l3 = r3;
    h.l4 = r4;
  }

  /** Fully reduces to the canonical representative in [0, p), limbs below 2^51. */
  static void canonical(Fe h) {
    weakReduce(h);
    weakReduce(h);
    // now value < 2^255 + small; subtract p if value >= p, decided by the carry of value + 19
    long q = (h.l0 + 19) >>> 51;
    q = (h.l1 + q) >>> 51;
    q = (h.l2 + q) >>> 51;
    q = (h.l3 + q) >>> 51;
    q = (h.l4 + q) >>> 51;
    h.l0 += 19 * q;
    h.l1 += h.l0 >>> 51;
    h.l0 &= MASK;
    h.l2 += h.l1 >>> 51;
    h.l1 &= MASK;
    h.l3 += h.l2 >>> 51;
    h.l2 &= MASK;
    h.l4 += h.l3 >>> 51;
    h.l3 &= MASK;
    h.l4 &= MASK;
  }

  /** Decodes 255 bits little-endian from {@code b[off, off+32)}; the top bit is ignored. */
  public void fromBytes(byte[] b, int off) {
    long w0 = le64(b, off);
    long w1 = le64(b, off + 8);
    long w2 = le64(b, off + 16);
    long w3 = le64(b, off + 24);
    l0 = w0 & MASK;
    l1 = ((w0 >>> 51) | (w1 << 13)) & MASK;
    l2 = ((w1 >>> 38) | (w2 << 26)) & MASK;
    l3 = ((w2 >>> 25) | (w3 << 39)) & MASK;
    l4 = (w3 >>> 12) & MASK;
  }

  /** Encodes the canonical value into {@code b[off, off+32)} (uses a copy; this is unchanged). */
  public void toBytes(byte[] b, int off) {
    long a0 = l0, a1 = l1, a2 = l2, a3 = l3, a4 = l4;
    canonical(this);
    long w0 = l0 | (l1 << 51);
    long w1 = (l1 >>> 13) | (l2 << 38);
    long w2 = (l2 >>> 26) | (l3 << 25);
    long w3 = (l3 >>> 39) | (l4 << 12);
    l0 = a0;
    l1 = a1;
    l2 = a2;
    l3 = a3;
    l4 = a4;
    put64(b, off, w0);
    put64(b, off + 8, w1);
    put64(b, off + 16, w2);
    put64(b, off + 24, w3);
  }

  /** Whether the value is 0 mod p (this is reduced in place, value unchanged). */
  boolean isZero() {
    canonical(this);
    return (l0 | l1 | l2 | l3 | l4) == 0;
  }

  /** The low bit of the canonical value ("negative" in RFC 8032 terms); reduces in place. */
  int isNegative() {
    canonical(this);
    return (int) (l0 & 1);
  }

  /** Constant time: this = g where mask is all ones, unchanged where mask is 0. */
  void cmov(Fe g, long mask) {
    l0 ^= mask & (l0 ^ g.l0);
    l1 ^= mask & (l1 ^ g.l1);
    l2 ^= mask & (l2 ^ g.l2);
    l3 ^= mask & (l3 ^ g.l3);
    l4 ^= mask & (l4 ^ g.l4);
  }

  /** Constant time: swaps this and g where mask is all ones. */
  void cswap(Fe g, long mask) {
    long t;
    t = mask & (l0 ^ g.l0);
    l0 ^= t;
    g.l0 ^= t;
    t = mask & (l1 ^ g.l1);
    l1 ^= t;
    g.l1 ^= t;
    t = mask & (l2 ^ g.l2);
    l2 ^= t;
    g.l2 ^= t;
    t = mask & (l3 ^ g.l3);
    l3 ^= t;
    g.l3 ^= t;
    t = mask & (l4 ^ g.l4);
    l4 ^= t;
    g.l4 ^= t;
  }

  /**
   * out = z^(2^252 - 3) = z^((p - 5) / 8), the exponent of the square-root-ratio: 251 squarings and
   * 11 multiplications along the chain 2^5-1, 2^10-1, 2^20-1, 2^40-1, 2^50-1, 2^100-1, 2^200-1,
   * 2^250-1. Temporaries t0..t2 must be distinct from z and out.
   */
  static void pow22523(Fe out, Fe z, Fe t0, Fe t1, Fe t2) {
    sq(t0, z); // z^2
    sqN(t1, t0, 2); // z^8
    mul(t1, z, t1); // z^9
    mul(t0, t0, t1); // z^11
    sq(t0, t0); // z^22
    mul(t0, t1, t0); // z^31 = z^(2^5 - 1)
    sqN(t1, t0, 5);
    mul(t0, t1, t0); // 2^10 - 1
    sqN(t1, t0, 10);
    mul(t1, t1, t0); // 2^20 - 1
    sqN(t2, t1, 20);
    mul(t1, t2, t1); // 2^40 - 1
    sqN(t1, t1, 10);
    mul(t0, t1, t0); // 2^50 - 1
    sqN(t1, t0, 50);
    mul(t1, t1, t0); // 2^100 - 1
    sqN(t2, t1, 100);
    mul(t1, t2, t1); // 2^200 - 1
    sqN(t1, t1, 50);
    mul(t0, t1, t0); // 2^250 - 1
    sqN(t0, t0, 2); // 2^252 - 4
    mul(out, t0, z); // 2^252 - 3
  }

  /**
   * h1 = f1^(2^n), h2 = f2^(2^n) ({@link #sqFma}), interleaved so that the two dependency chains
   * overlap.
   */
  static void sqN2(Fe h1, Fe f1, Fe h2, Fe f2, int n) {
    sqFma(h1, f1);
    sqFma(h2, f2);
    for (int i = 1; i < n; i++) {
      sqFma(h1, h1);
      sqFma(h2, h2);
    }
  }

  /**
   * {@link #pow22523} of two independent inputs in lockstep: each squaring chain is latency-bound
   * (the carry chain is serial), so interleaving two of them lets the core overlap them (about
   * 1.3-1.6x the throughput of two sequential calls). With {@link #mulFma} / {@link #sqFma}, so the
   * inputs need limbs below 2^53.4. Temporaries distinct from inputs/outputs.
   */
  static void pow22523Pair(
      Fe out1, Fe z1, Fe out2, Fe z2, Fe a0, Fe a1, Fe a2, Fe b0, Fe b1, Fe b2) {
    sqFma(a0, z1);
    sqFma(b0, z2);
    sqN2(a1, a0, b1, b0, 2);
    mulFma(a1, z1, a1);
    mulFma(b1, z2, b1);
    mulFma(a0, a0, a1);
    mulFma(b0, b0, b1);
    sqFma(a0, a0);
    sqFma(b0, b0);
    mulFma(a0, a1, a0);
    mulFma(b0, b1, b0); // 2^5 - 1
    sqN2(a1, a0, b1, b0, 5);
    mulFma(a0, a1, a0);
    mulFma(b0, b1, b0); // 2^10 - 1
    sqN2(a1, a0, b1, b0, 10);
    mulFma(a1, a1, a0);
    mulFma(b1, b1, b0); // 2^20 - 1
    sqN2(a2, a1, b2, b1, 20);
    mulFma(a1, a2, a1);
    mulFma(b1, b2, b1); // 2^40 - 1
    sqN2(a1, a1, b1, b1, 10);
    mulFma(a0, a1, a0);
    mulFma(b0, b1, b0); // 2^50 - 1
    sqN2(a1, a0, b1, b0, 50);
    mulFma(a1, a1, a0);
    mulFma(b1, b1, b0); // 2^100 - 1
    sqN2(a2, a1, b2, b1, 100);
    mulFma(a1, a2, a1);
    mulFma(b1, b2, b1); // 2^200 - 1
    sqN2(a1, a1, b1, b1, 50);
    mulFma(a0, a1, a0);
    mulFma(b0, b1, b0); // 2^250 - 1
    sqN2(a0, a0, b0, b0, 2);
    mulFma(out1, a0, z1);
    mulFma(out2, b0, z2); // 2^252 - 3
  }

  /** out = 1/z = z^(p - 2) (0 for z = 0). Temporaries t0..t3 distinct from z and out. */
  static void invert(Fe out, Fe z, Fe t0, Fe t1, Fe t2, Fe t3) {
    // z^(p-2) = z^(2^255 - 21) = (z^(2^250 - 1))^(2^5) * z^11
    sq(t0, z); // 2
    sqN(t1, t0, 2); // 8
    mul(t1, z, t1); // 9
    mul(t0, t0, t1); // 11
    sq(t2, t0); // 22
    mul(t1, t1, t2); // 31 = 2^5 - 1
    sqN(t2, t1, 5);
    mul(t1, t2, t1); // 2^10 - 1
    sqN(t2, t1, 10);
    mul(t2, t2, t1); // 2^20 - 1
    sqN(t3, t2, 20);
    mul(t2, t3, t2); // 2^40 - 1
    sqN(t2, t2, 10);
    mul(t1, t2, t1); // 2^50 - 1
    sqN(t2, t1, 50);
    mul(t2, t2, t1); // 2^100 - 1
    sqN(t3, t2, 100);
    mul(t2, t3, t2); // 2^200 - 1
    sqN(t2, t2, 50);
    mul(t1, t2, t1); // 2^250 - 1
    sqN(t1, t1, 5); // 2^255 - 32
    mul(out, t1, t0); // 2^255 - 21
  }

  static long le64(byte[] b, int off) {
    return (b[off] & 0xFFL)
        | (b[off + 1] & 0xFFL) << 8
        | (b[off + 2] & 0xFFL) << 16
        | (b[off + 3] & 0xFFL) << 24
        | (b[off + 4] & 0xFFL) << 32
        | (b[off + 5] & 0xFFL) << 40
        | (b[off + 6] & 0xFFL) << 48
        | (b[off + 7] & 0xFFL) << 56;
  }

  static void put64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  /** The canonical value as 32 little-endian bytes (for tests and tables). */
  public byte[] toBytes() {
    byte[] b = new byte[32];
    toBytes(b, 0);
    return b;
  }

  // Public wrappers for tests and benchmarks in other packages.
  public static void mulTo(Fe h, Fe f, Fe g) {
    mul(h, f, g);
  }

  public static void sqTo(Fe h, Fe f) {
    sq(h, f);
  }

  public static void addTo(Fe h, Fe f, Fe g) {
    add(h, f, g);
  }

  public static void subTo(Fe h, Fe f, Fe g) {
    sub(h, f, g);
    weakReduce(h);
  }

  public static void invertTo(Fe h, Fe f) {
    invert(h, f, new Fe(), new Fe(), new Fe(), new Fe());
  }
}
