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

  /** h1 = f1^(2^n), h2 = f2^(2^n), interleaved so that the two dependency chains overlap. */
  static void sqN2(Fe h1, Fe f1, Fe h2, Fe f2, int n) {
    sq(h1, f1);
    sq(h2, f2);
    for (int i = 1; i < n; i++) {
      sq(h1, h1);
      sq(h2, h2);
    }
  }

  /**
   * {@link #pow22523} of two independent inputs in lockstep: each squaring chain is latency-bound
   * (the carry chain is serial), so interleaving two of them lets the core overlap them (about
   * 1.3-1.6x the throughput of two sequential calls). Temporaries distinct from inputs/outputs.
   */
  static void pow22523Pair(
      Fe out1, Fe z1, Fe out2, Fe z2, Fe a0, Fe a1, Fe a2, Fe b0, Fe b1, Fe b2) {
    sq(a0, z1);
    sq(b0, z2);
    sqN2(a1, a0, b1, b0, 2);
    mul(a1, z1, a1);
    mul(b1, z2, b1);
    mul(a0, a0, a1);
    mul(b0, b0, b1);
    sq(a0, a0);
    sq(b0, b0);
    mul(a0, a1, a0);
    mul(b0, b1, b0); // 2^5 - 1
    sqN2(a1, a0, b1, b0, 5);
    mul(a0, a1, a0);
    mul(b0, b1, b0); // 2^10 - 1
    sqN2(a1, a0, b1, b0, 10);
    mul(a1, a1, a0);
    mul(b1, b1, b0); // 2^20 - 1
    sqN2(a2, a1, b2, b1, 20);
    mul(a1, a2, a1);
    mul(b1, b2, b1); // 2^40 - 1
    sqN2(a1, a1, b1, b1, 10);
    mul(a0, a1, a0);
    mul(b0, b1, b0); // 2^50 - 1
    sqN2(a1, a0, b1, b0, 50);
    mul(a1, a1, a0);
    mul(b1, b1, b0); // 2^100 - 1
    sqN2(a2, a1, b2, b1, 100);
    mul(a1, a2, a1);
    mul(b1, b2, b1); // 2^200 - 1
    sqN2(a1, a1, b1, b1, 50);
    mul(a0, a1, a0);
    mul(b0, b1, b0); // 2^250 - 1
    sqN2(a0, a0, b0, b0, 2);
    mul(out1, a0, z1);
    mul(out2, b0, z2); // 2^252 - 3
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
