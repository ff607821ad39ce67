package dev.agentledger.sig.curve25519;

/**
 * The doubling-and-adding chain of a verification with the four field multiplications of each
 * formula step in four lanes of one {@link Fe4} operation (256-bit vectors) (the 4-way parallel
 * formulas of Hisil, Wong, Carter, Dawson, "Twisted Edwards Curves Revisited", ASIACRYPT 2008,
 * section 4: every extended-coordinate doubling and addition is two rounds of four independent
 * multiplications).
 *
 * <p>The accumulator holds (X, Y, T, Z) in lanes 0..3. A doubling squares (X, Y, Z, X + Y) into (A,
 * B, Z^2, S) and multiplies (E, G, E, F) by (F, H, H, G), with H = A + B, E = H - S, G = A - B, F =
 * 2 Z^2 + G: that is (X3, Y3, T3, Z3). An addition of a prepared point (Y2 - X2, Y2 + X2, 2d T2, 2
 * Z2) (or, for an affine one, (y - x, y + x, 2d xy, 2)) multiplies it by (Y1 - X1, Y1 + X1, T1, Z1)
 * into (A, B, C, D), then (E, G, E, F) by (F, H, H, G) with E = B - A, F = D - C, G = D + C, H = B
 * + A. A subtraction adds the negated entry (first two lanes swapped, third negated), which the
 * tables hold beside the positive one.
 *
 * <p>Bounds (radix 2^25.5; tight: every limb below 2^26, odd limbs other than limb 1 below 2^25;
 * {@link Fe4#mul} accepts pairwise limb products below 2^54.4): the accumulator is tight (a product
 * of {@link Fe4#mul}); X + Y is below 2^27, so the squaring's products stay below 2^54.
 * Subtractions add 2p (limbs 2^27 - 38, 2^26 - 2 and 2^27 - 2) to a tight subtrahend, so the
 * doubling's E, G and F are below 2^28, 2^27.6 and 2^28.3 and both factors of its second round are
 * carried once ({@link Fe4#carry}) to tight; in an addition Y1 - X1 + 2p is below 2^27.6 against a
 * tight table entry (products below 2^53.6), and in its second round the left factor is carried to
 * tight and the right one (F, H, H, G) is below 2^27.6 (products below 2^53.6).
 */
final class LaneChain {
  private static final int L = Fe4.LANES;
  private static final int SIZE = 10 * L;

  /** 2p in radix 2^25.5, per limb. */
  private static final long[] TWO_P = new long[10];

  static {
    for (int i = 0; i < 10; i++) {
      TWO_P[i] =
          i == 0
              ? 2 * ((1L << 26) - 19)
              : (i & 1) == 0 ? 2 * ((1L << 26) - 1) : 2 * ((1L << 25) - 1);
    }
  }

  /** Odd multiples of B and of 2^128 B (as {@link BaseTables#ODD}): entry 2k is +, 2k + 1 is -. */
  static final long[][] BASE = affineTable(BaseTables.ODD);

  static final long[][] BASE_HIGH = affineTable(BaseTables.ODD_HIGH);

  private final long[] acc = new long[SIZE];
  private final long[] lhs = new long[SIZE];
  private final long[] rhs = new long[SIZE];
  private final long[] prod = new long[SIZE];
  private final Fe scratch = new Fe();
  private final Fe negated = new Fe();

  /** The accumulator := the identity (0, 1, 0, 1). */
  void identity() {
    java.util.Arrays.fill(acc, 0);
    acc[1] = 1; // Y, limb 0
    acc[3] = 1; // Z, limb 0
  }

  /** The accumulator as an extended point (tight limbs). */
  void get(ExtendedPoint r) {
    Fe4.get(acc, 0, r.x);
    Fe4.get(acc, 1, r.y);
    Fe4.get(acc, 2, r.t);
    Fe4.get(acc, 3, r.z);
  }

  /** Fills {@code table} (2n entries) with +-q_k for the cached points q_0..q_(n-1). */
  void cachedTable(long[][] table, CachedPoint[] points) {
    for (int k = 0; k < points.length; k++) {
      CachedPoint q = points[k];
      long[] plus = table[2 * k];
      long[] minus = table[2 * k + 1];
      Fe4.put(plus, 0, q.yMinusX, scratch);
      Fe4.put(plus, 1, q.yPlusX, scratch);
      Fe4.put(plus, 2, q.t2d, scratch);
      Fe4.put(plus, 3, q.z2, scratch);
      Fe4.put(minus, 0, q.yPlusX, scratch);
      Fe4.put(minus, 1, q.yMinusX, scratch);
      Fe.neg(negated, q.t2d);
      Fe.weakReduce(negated);
      Fe4.put(minus, 2, negated, scratch);
      Fe4.put(minus, 3, q.z2, scratch);
    }
  }

  static long[][] newTable(int points) {
    return new long[2 * points][SIZE];
  }

  private static long[][] affineTable(NielsPoint[] points) {
    long[][] table = newTable(points.length);
    Fe scratch = new Fe();
    Fe negated = new Fe();
    Fe two = Fe.of(2);
    for (int k = 0; k < points.length; k++) {
      NielsPoint q = points[k];
      Fe4.put(table[2 * k], 0, q.yMinusX, scratch);
      Fe4.put(table[2 * k], 1, q.yPlusX, scratch);
      Fe4.put(table[2 * k], 2, q.xy2d, scratch);
      Fe4.put(table[2 * k], 3, two, scratch);
      Fe4.put(table[2 * k + 1], 0, q.yPlusX, scratch);
      Fe4.put(table[2 * k + 1], 1, q.yMinusX, scratch);
      Fe.neg(negated, q.xy2d);
      Fe.weakReduce(negated);
      Fe4.put(table[2 * k + 1], 2, negated, scratch);
      Fe4.put(table[2 * k + 1], 3, two, scratch);
    }
    return table;
  }

  /** accumulator := 2 accumulator. */
  void dbl() {
    long[] p = acc;
    for (int o = 0; o < SIZE; o += L) {
      long x = p[o];
      long y = p[o + 1];
      lhs[o] = x;
      lhs[o + 1] = y;
      lhs[o + 2] = p[o + 3];
      lhs[o + 3] = x + y;
    }
    Fe4.sq(prod, lhs);
    for (int i = 0, o = 0; i < 10; i++, o += L) {
      long a = prod[o];
      long b = prod[o + 1];
      long c = prod[o + 2];
      long s = prod[o + 3];
      long twoP = TWO_P[i];
      long h = a + b;
      long e = h - s + twoP;
      long g = a - b + twoP;
      long f = 2 * c + g;
      lhs[o] = e;
      lhs[o + 1] = g;
      lhs[o + 2] = e;
      lhs[o + 3] = f;
      rhs[o] = f;
      rhs[o + 1] = h;
      rhs[o + 2] = h;
      rhs[o + 3] = g;
    }
    Fe4.carry(lhs);
    Fe4.carry(rhs);
    Fe4.mul(p, lhs, rhs);
  }

  /** accumulator += q, q an entry of a table of this class. */
  void add(long[] q) {
    long[] p = acc;
    for (int i = 0, o = 0; i < 10; i++, o += L) {
      long x = p[o];
      long y = p[o + 1];
      lhs[o] = y - x + TWO_P[i];
      lhs[o + 1] = y + x;
      lhs[o + 2] = p[o + 2];
      lhs[o + 3] = p[o + 3];
    }
    Fe4.mul(prod, lhs, q);
    for (int i = 0, o = 0; i < 10; i++, o += L) {
      long a = prod[o];
      long b = prod[o + 1];
      long c = prod[o + 2];
      long d = prod[o + 3];
      long twoP = TWO_P[i];
      long e = b - a + twoP;
      long f = d - c + twoP;
      long g = d + c;
      long h = b + a;
      lhs[o] = e;
      lhs[o + 1] = g;
      lhs[o + 2] = e;
      lhs[o + 3] = f;
      rhs[o] = f;
      rhs[o + 1] = h;
      rhs[o + 2] = h;
      rhs[o + 3] = g;
    }
    Fe4.carry(lhs);
    Fe4.mul(p, lhs, rhs);
  }
}
