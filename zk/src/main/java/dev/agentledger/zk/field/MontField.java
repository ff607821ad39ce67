package dev.agentledger.zk.field;

import java.math.BigInteger;

/**
 * A prime field of at most 254 bits in Montgomery form on four 64-bit limbs (little-endian limb
 * order), with elements stored in caller-owned {@code long[]} arrays at an offset. Every operation
 * is allocation-free and takes its operands as (array, offset) pairs; the result may alias an
 * operand.
 *
 * <p>Multiplication is the CIOS algorithm (Koc, Acar, Kaliski 1996) in the "no final carry" form
 * valid when the top limb of the modulus is below {@code 2^63 - 1}, which holds for both BN254
 * moduli. Invariant: every stored element is fully reduced, {@code 0 <= a < p}. Reductions are
 * branch-free (mask selects), so the arithmetic is constant time for secret operands; only {@link
 * #inv} via Fermat is constant time too, {@link #isZero} and {@link #equal} are not meant for
 * secrets.
 */
public final class MontField {
  private static final BigInteger BN254_P =
      new BigInteger(
          "21888242871839275222246405745257275088696311157297823662689037894645226208583");
  private static final BigInteger BN254_R =
      new BigInteger(
          "21888242871839275222246405745257275088548364400416034343698204186575808495617");

  /** Limbs per element. */
  public static final int LIMBS = 4;

  private final long p0;
  private final long p1;
  private final long p2;
  private final long p3;
  private final long inv;
  private final int kind;
  private final BigInteger modulus;
  private final long[] one = new long[4];
  private final long[] r2 = new long[4];
  private final long[] pMinus2 = new long[4];
  private final long[] r3 = new long[4];

  /** The modulus in {@link #GCD_LIMBS} limbs of 31 bits, for {@link #invPublic}. */
  private final long[] m31 = new long[GCD_LIMBS];

  /** {@code -p^-1 mod 2^31}. */
  private final long negInv31;

  /** Builds the field of the given odd prime modulus below {@code 2^254}. */
  public MontField(BigInteger modulus) {
    if (modulus.bitLength() > 254 || !modulus.testBit(0)) {
      throw new IllegalArgumentException("modulus must be odd and below 2^254");
    }
    this.modulus = modulus;
    long[] m = toLimbs(modulus);
    p0 = m[0];
    p1 = m[1];
    p2 = m[2];
    p3 = m[3];
    // inv = -p^-1 mod 2^64 by Newton iteration
    long x = 1;
    for (int i = 0; i < 6; i++) {
      x *= 2 - p0 * x;
    }
    inv = -x;
    kind = modulus.equals(BN254_P) ? 1 : modulus.equals(BN254_R) ? 2 : 0;
    BigInteger r = BigInteger.ONE.shiftLeft(256);
    System.arraycopy(toLimbs(r.mod(modulus)), 0, one, 0, 4);
    System.arraycopy(toLimbs(r.multiply(r).mod(modulus)), 0, r2, 0, 4);
    System.arraycopy(toLimbs(modulus.subtract(BigInteger.TWO)), 0, pMinus2, 0, 4);
    System.arraycopy(toLimbs(r.pow(3).mod(modulus)), 0, r3, 0, 4);
    to31(m, 0, m31, 0);
    negInv31 = inv & M31;
  }

  /** The modulus. */
  public BigInteger modulus() {
    return modulus;
  }

  /** The modulus as four little-endian limbs (a fresh array). */
  public long[] modulusLimbs() {
    return new long[] {p0, p1, p2, p3};
  }

  /** {@code r = a * b / 2^256 mod p} (Montgomery product). */
  public void mul(long[] r, int ro, long[] x, int xo, long[] y, int yo) {
    switch (kind) {
      case 1 -> mulP(r, ro, x, xo, y, yo);
      case 2 -> mulR(r, ro, x, xo, y, yo);
      default -> mulGeneric(r, ro, x, xo, y, yo);
    }
  }

  /** {@link #mul} for the BN254 base field modulus, with the modulus as constants. */
  private static void mulP(long[] r, int ro, long[] x, int xo, long[] y, int yo) {
    final long a0 = x[xo];
    final long a1 = x[xo + 1];
    final long a2 = x[xo + 2];
    final long a3 = x[xo + 3];
    final long b0 = y[yo];
    final long b1 = y[yo + 1];
    final long b2 = y[yo + 2];
    final long b3 = y[yo + 3];
    final long P0 = 0x3c208c16d87cfd47L;
    final long P1 = 0x97816a916871ca8dL;
    final long P2 = 0xb85045b68181585dL;
    final long P3 = 0x30644e72e131a029L;
    final long INV = 0x87d20782e4866389L;
    long t0 = 0, t1 = 0, t2 = 0, t3 = 0, A, C, lo, hi, m, s, u;
    lo = a0 * b0;
    hi = Math.unsignedMultiplyHigh(a0, b0);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * INV;
    lo = m * P0;
    hi = Math.unsignedMultiplyHigh(m, P0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b0;
    hi = Math.unsignedMultiplyHigh(a1, b0);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * P1;
    hi = Math.unsignedMultiplyHigh(m, P1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b0;
    hi = Math.unsignedMultiplyHigh(a2, b0);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * P2;
    hi = Math.unsignedMultiplyHigh(m, P2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b0;
    hi = Math.unsignedMultiplyHigh(a3, b0);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * P3;
    hi = Math.unsignedMultiplyHigh(m, P3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b1;
    hi = Math.unsignedMultiplyHigh(a0, b1);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * INV;
    lo = m * P0;
    hi = Math.unsignedMultiplyHigh(m, P0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b1;
    hi = Math.unsignedMultiplyHigh(a1, b1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * P1;
    hi = Math.unsignedMultiplyHigh(m, P1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b1;
    hi = Math.unsignedMultiplyHigh(a2, b1);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * P2;
    hi = Math.unsignedMultiplyHigh(m, P2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b1;
    hi = Math.unsignedMultiplyHigh(a3, b1);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * P3;
    hi = Math.unsignedMultiplyHigh(m, P3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b2;
    hi = Math.unsignedMultiplyHigh(a0, b2);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * INV;
    lo = m * P0;
    hi = Math.unsignedMultiplyHigh(m, P0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b2;
    hi = Math.unsignedMultiplyHigh(a1, b2);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * P1;
    hi = Math.unsignedMultiplyHigh(m, P1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b2;
    hi = Math.unsignedMultiplyHigh(a2, b2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * P2;
    hi = Math.unsignedMultiplyHigh(m, P2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b2;
    hi = Math.unsignedMultiplyHigh(a3, b2);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * P3;
    hi = Math.unsignedMultiplyHigh(m, P3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b3;
    hi = Math.unsignedMultiplyHigh(a0, b3);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * INV;
    lo = m * P0;
    hi = Math.unsignedMultiplyHigh(m, P0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b3;
    hi = Math.unsignedMultiplyHigh(a1, b3);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * P1;
    hi = Math.unsignedMultiplyHigh(m, P1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b3;
    hi = Math.unsignedMultiplyHigh(a2, b3);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * P2;
    hi = Math.unsignedMultiplyHigh(m, P2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b3;
    hi = Math.unsignedMultiplyHigh(a3, b3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * P3;
    hi = Math.unsignedMultiplyHigh(m, P3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;

    reduce(r, ro, t0, t1, t2, t3, P0, P1, P2, P3);
  }

  /** {@link #mul} for the BN254 scalar field modulus, with the modulus as constants. */
  private static void mulR(long[] r, int ro, long[] x, int xo, long[] y, int yo) {
    final long a0 = x[xo];
    final long a1 = x[xo + 1];
    final long a2 = x[xo + 2];
    final long a3 = x[xo + 3];
    final long b0 = y[yo];
    final long b1 = y[yo + 1];
    final long b2 = y[yo + 2];
    final long b3 = y[yo + 3];
    final long P0 = 0x43e1f593f0000001L;
    final long P1 = 0x2833e84879b97091L;
    final long P2 = 0xb85045b68181585dL;
    final long P3 = 0x30644e72e131a029L;
    final long INV = 0xc2e1f593efffffffL;
    long t0 = 0, t1 = 0, t2 = 0, t3 = 0, A, C, lo, hi, m, s, u;
    lo = a0 * b0;
    hi = Math.unsignedMultiplyHigh(a0, b0);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * INV;
    lo = m * P0;
    hi = Math.unsignedMultiplyHigh(m, P0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b0;
    hi = Math.unsignedMultiplyHigh(a1, b0);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * P1;
    hi = Math.unsignedMultiplyHigh(m, P1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b0;
    hi = Math.unsignedMultiplyHigh(a2, b0);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * P2;
    hi = Math.unsignedMultiplyHigh(m, P2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b0;
    hi = Math.unsignedMultiplyHigh(a3, b0);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * P3;
    hi = Math.unsignedMultiplyHigh(m, P3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b1;
    hi = Math.unsignedMultiplyHigh(a0, b1);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * INV;
    lo = m * P0;
    hi = Math.unsignedMultiplyHigh(m, P0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b1;
    hi = Math.unsignedMultiplyHigh(a1, b1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * P1;
    hi = Math.unsignedMultiplyHigh(m, P1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b1;
    hi = Math.unsignedMultiplyHigh(a2, b1);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * P2;
    hi = Math.unsignedMultiplyHigh(m, P2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b1;
    hi = Math.unsignedMultiplyHigh(a3, b1);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * P3;
    hi = Math.unsignedMultiplyHigh(m, P3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b2;
    hi = Math.unsignedMultiplyHigh(a0, b2);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * INV;
    lo = m * P0;
    hi = Math.unsignedMultiplyHigh(m, P0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b2;
    hi = Math.unsignedMultiplyHigh(a1, b2);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * P1;
    hi = Math.unsignedMultiplyHigh(m, P1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b2;
    hi = Math.unsignedMultiplyHigh(a2, b2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * P2;
    hi = Math.unsignedMultiplyHigh(m, P2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b2;
    hi = Math.unsignedMultiplyHigh(a3, b2);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * P3;
    hi = Math.unsignedMultiplyHigh(m, P3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b3;
    hi = Math.unsignedMultiplyHigh(a0, b3);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * INV;
    lo = m * P0;
    hi = Math.unsignedMultiplyHigh(m, P0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b3;
    hi = Math.unsignedMultiplyHigh(a1, b3);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * P1;
    hi = Math.unsignedMultiplyHigh(m, P1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b3;
    hi = Math.unsignedMultiplyHigh(a2, b3);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * P2;
    hi = Math.unsignedMultiplyHigh(m, P2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b3;
    hi = Math.unsignedMultiplyHigh(a3, b3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * P3;
    hi = Math.unsignedMultiplyHigh(m, P3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;

    reduce(r, ro, t0, t1, t2, t3, P0, P1, P2, P3);
  }

  private static void reduce(
      long[] r, int ro, long t0, long t1, long t2, long t3, long p0, long p1, long p2, long p3) {
    long d0 = t0 - p0;
    long b = less(t0, p0);
    long d1 = t1 - p1 - b;
    b = borrow(t1, p1, d1);
    long d2 = t2 - p2 - b;
    b = borrow(t2, p2, d2);
    long d3 = t3 - p3 - b;
    b = borrow(t3, p3, d3);
    long keep = -b;
    r[ro] = (t0 & keep) | (d0 & ~keep);
    r[ro + 1] = (t1 & keep) | (d1 & ~keep);
    r[ro + 2] = (t2 & keep) | (d2 & ~keep);
    r[ro + 3] = (t3 & keep) | (d3 & ~keep);
  }

  private void mulGeneric(long[] r, int ro, long[] x, int xo, long[] y, int yo) {
    final long p0 = this.p0;
    final long p1 = this.p1;
    final long p2 = this.p2;
    final long p3 = this.p3;
    final long inv = this.inv;
    final long a0 = x[xo];
    final long a1 = x[xo + 1];
    final long a2 = x[xo + 2];
    final long a3 = x[xo + 3];
    final long b0 = y[yo];
    final long b1 = y[yo + 1];
    final long b2 = y[yo + 2];
    final long b3 = y[yo + 3];
    long t0 = 0, t1 = 0, t2 = 0, t3 = 0, A, C, lo, hi, m, s, u;
    lo = a0 * b0;
    hi = Math.unsignedMultiplyHigh(a0, b0);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * inv;
    lo = m * p0;
    hi = Math.unsignedMultiplyHigh(m, p0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b0;
    hi = Math.unsignedMultiplyHigh(a1, b0);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * p1;
    hi = Math.unsignedMultiplyHigh(m, p1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b0;
    hi = Math.unsignedMultiplyHigh(a2, b0);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * p2;
    hi = Math.unsignedMultiplyHigh(m, p2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b0;
    hi = Math.unsignedMultiplyHigh(a3, b0);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * p3;
    hi = Math.unsignedMultiplyHigh(m, p3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b1;
    hi = Math.unsignedMultiplyHigh(a0, b1);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * inv;
    lo = m * p0;
    hi = Math.unsignedMultiplyHigh(m, p0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b1;
    hi = Math.unsignedMultiplyHigh(a1, b1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * p1;
    hi = Math.unsignedMultiplyHigh(m, p1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b1;
    hi = Math.unsignedMultiplyHigh(a2, b1);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * p2;
    hi = Math.unsignedMultiplyHigh(m, p2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b1;
    hi = Math.unsignedMultiplyHigh(a3, b1);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * p3;
    hi = Math.unsignedMultiplyHigh(m, p3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b2;
    hi = Math.unsignedMultiplyHigh(a0, b2);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * inv;
    lo = m * p0;
    hi = Math.unsignedMultiplyHigh(m, p0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b2;
    hi = Math.unsignedMultiplyHigh(a1, b2);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * p1;
    hi = Math.unsignedMultiplyHigh(m, p1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b2;
    hi = Math.unsignedMultiplyHigh(a2, b2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * p2;
    hi = Math.unsignedMultiplyHigh(m, p2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b2;
    hi = Math.unsignedMultiplyHigh(a3, b2);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * p3;
    hi = Math.unsignedMultiplyHigh(m, p3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;
    lo = a0 * b3;
    hi = Math.unsignedMultiplyHigh(a0, b3);
    s = lo + t0;
    hi += less(s, lo);
    A = hi;
    t0 = s;
    m = t0 * inv;
    lo = m * p0;
    hi = Math.unsignedMultiplyHigh(m, p0);
    s = lo + t0;
    C = hi + less(s, lo);
    lo = a1 * b3;
    hi = Math.unsignedMultiplyHigh(a1, b3);
    s = lo + t1;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t1 = u;
    lo = m * p1;
    hi = Math.unsignedMultiplyHigh(m, p1);
    s = lo + t1;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t0 = u;
    lo = a2 * b3;
    hi = Math.unsignedMultiplyHigh(a2, b3);
    s = lo + t2;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t2 = u;
    lo = m * p2;
    hi = Math.unsignedMultiplyHigh(m, p2);
    s = lo + t2;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t1 = u;
    lo = a3 * b3;
    hi = Math.unsignedMultiplyHigh(a3, b3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + A;
    hi += less(u, s);
    A = hi;
    t3 = u;
    lo = m * p3;
    hi = Math.unsignedMultiplyHigh(m, p3);
    s = lo + t3;
    hi += less(s, lo);
    u = s + C;
    hi += less(u, s);
    C = hi;
    t2 = u;
    t3 = C + A;

    reduceOnce(r, ro, t0, t1, t2, t3);
  }

  /** {@code r = a^2} in Montgomery form. */
  public void sqr(long[] r, int ro, long[] a, int ao) {
    mul(r, ro, a, ao, a, ao);
  }

  /** Stores {@code t - p} if {@code t >= p}, else {@code t}; {@code t < 2p} required. */
  private void reduceOnce(long[] r, int ro, long t0, long t1, long t2, long t3) {
    long d0 = t0 - p0;
    long b = less(t0, p0);
    long d1 = t1 - p1 - b;
    b = borrow(t1, p1, d1);
    long d2 = t2 - p2 - b;
    b = borrow(t2, p2, d2);
    long d3 = t3 - p3 - b;
    b = borrow(t3, p3, d3);
    // b == 1: t < p, keep t
    long keep = -b;
    r[ro] = (t0 & keep) | (d0 & ~keep);
    r[ro + 1] = (t1 & keep) | (d1 & ~keep);
    r[ro + 2] = (t2 & keep) | (d2 & ~keep);
    r[ro + 3] = (t3 & keep) | (d3 & ~keep);
  }

  /**
   * 1 if {@code x < y} as unsigned numbers, else 0: the borrow out of {@code x - y}, in bit
   * operations (C2 compiles {@code Long.compareUnsigned(x, y) < 0 ? 1 : 0} to a compare and a
   * conditional move or branch; this form ran the Montgomery product about 10% faster, FrBench).
   */
  private static long less(long x, long y) {
    return ((~x & y) | (~(x ^ y) & (x - y))) >>> 63;
  }

  /** Borrow out of {@code d = x - y - bin} (Hacker's Delight 2-13). */
  private static long borrow(long x, long y, long d) {
    return ((~x & y) | (~(x ^ y) & d)) >>> 63;
  }

  /** {@code r = a + b mod p}. */
  public void add(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    long x0 = a[ao];
    long x1 = a[ao + 1];
    long x2 = a[ao + 2];
    long x3 = a[ao + 3];
    long s0 = x0 + b[bo];
    long c = less(s0, x0);
    long y1 = b[bo + 1];
    long s1 = x1 + y1 + c;
    c = carry(x1, y1, c, s1);
    long y2 = b[bo + 2];
    long s2 = x2 + y2 + c;
    c = carry(x2, y2, c, s2);
    long s3 = x3 + b[bo + 3] + c;
    reduceOnce(r, ro, s0, s1, s2, s3);
  }

  private static long carry(long x, long y, long cin, long s) {
    // carry out of x + y + cin given the sum s
    return ((x & y) | ((x | y) & ~s)) >>> 63;
  }

  /** {@code r = 2a mod p}. */
  public void dbl(long[] r, int ro, long[] a, int ao) {
    add(r, ro, a, ao, a, ao);
  }

  /** {@code r = a - b mod p}. */
  public void sub(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    long x0 = a[ao];
    long x1 = a[ao + 1];
    long x2 = a[ao + 2];
    long x3 = a[ao + 3];
    long y0 = b[bo];
    long y1 = b[bo + 1];
    long y2 = b[bo + 2];
    long y3 = b[bo + 3];
    long d0 = x0 - y0;
    long bw = less(x0, y0);
    long d1 = x1 - y1 - bw;
    bw = borrow(x1, y1, d1);
    long d2 = x2 - y2 - bw;
    bw = borrow(x2, y2, d2);
    long d3 = x3 - y3 - bw;
    bw = borrow(x3, y3, d3);
    long mask = -bw;
    long q0 = p0 & mask;
    long s0 = d0 + q0;
    long c = less(s0, d0);
    long q1 = p1 & mask;
    long s1 = d1 + q1 + c;
    c = carry(d1, q1, c, s1);
    long q2 = p2 & mask;
    long s2 = d2 + q2 + c;
    c = carry(d2, q2, c, s2);
    long s3 = d3 + (p3 & mask) + c;
    r[ro] = s0;
    r[ro + 1] = s1;
    r[ro + 2] = s2;
    r[ro + 3] = s3;
  }

  /** {@code r = -a mod p}. */
  public void neg(long[] r, int ro, long[] a, int ao) {
    long x0 = a[ao];
    long x1 = a[ao + 1];
    long x2 = a[ao + 2];
    long x3 = a[ao + 3];
    long nz = ((x0 | x1 | x2 | x3) == 0) ? 0 : -1L;
    long d0 = p0 - x0;
    long bw = less(p0, x0);
    long d1 = p1 - x1 - bw;
    bw = borrow(p1, x1, d1);
    long d2 = p2 - x2 - bw;
    bw = borrow(p2, x2, d2);
    long d3 = p3 - x3 - bw;
    r[ro] = d0 & nz;
    r[ro + 1] = d1 & nz;
    r[ro + 2] = d2 & nz;
    r[ro + 3] = d3 & nz;
  }

  /** {@code r = a^-1} by Fermat's little theorem; zero maps to zero. */
  public void inv(long[] r, int ro, long[] a, int ao) {
    pow(r, ro, a, ao, pMinus2);
  }

  /**
   * {@code r = a^-1} for a public operand (zero maps to zero): the inverse of the stored integer
   * {@code aR} by the binary GCD with 31 steps at a time on 64-bit approximations (T. Pornin,
   * "Optimized Binary GCD for Modular Inversion", 2020), followed by one Montgomery product with
   * {@code R^3}: {@code (aR)^-1 R^3 / R = a^-1 R}. Variable time: for data that is not secret, such
   * as the denominators of the MSM's batched additions. Allocates one scratch array.
   *
   * <p>Invariants ({@code y = aR}, {@code m} the modulus): {@code a' = u y} and {@code b' = v y}
   * mod {@code m}, starting from {@code a' = y, u = 1, b' = m, v = 0}. A round takes the low 31
   * bits and the top 33 bits of {@code a'} and {@code b'} (exactly {@code a'} and {@code b'} once
   * both fit in 64 bits), runs 31 steps of the binary GCD on them while tracking the step's matrix
   * {@code (f0 g0; f1 g1)} ({@code |f| + |g| <= 2^31}), and applies it to the full values: {@code
   * a' <- (a' f0 + b' g0) / 2^31} (exact: the low bits were exact), negated if negative, and {@code
   * u <- (u f0 + v g0) / 2^31 mod m} (a multiple of {@code m} added to clear the low 31 bits), the
   * same for {@code b'} and {@code v}. It ends when {@code a' = 0}; then {@code b' = gcd = 1} and
   * {@code v = y^-1}. At most {@code ceil((2 * 254 - 1) / 31) = 17} rounds are needed (Pornin's
   * bound). The result is checked by one product ({@code a} times it is one) before it is written;
   * the binary extended Euclidean algorithm one bit at a time is the fallback when the rounds run
   * out or the check fails.
   */
  public void invPublic(long[] r, int ro, long[] a, int ao) {
    if ((a[ao] | a[ao + 1] | a[ao + 2] | a[ao + 3]) == 0) {
      setZero(r, ro);
      return;
    }
    // s: a' (0..8), b' (9..17), u (18..26), v (27..35), new a' (36..44), new b' (45..53), the
    // round's matrix f0, g0, f1, g1 (54..57)
    long[] s = new long[6 * GCD_LIMBS + 4];
    to31(a, ao, s, A);
    System.arraycopy(m31, 0, s, B, GCD_LIMBS);
    s[U] = 1;
    // a round's 31 steps are a method of their own and the loop runs at most 17 rounds: the JIT
    // then compiles each method once, as a call is counted, instead of compiling this method
    // on-stack first (its loops' back edges, 31 to a round, reached the on-stack threshold long
    // before the call count reached the normal one) and then again whole
    for (int round = 0; ; round++) {
      if (isZero31(s, A)) {
        break;
      }
      if (round == MAX_ROUNDS) {
        invBinary(r, ro, a, ao);
        return;
      }
      steps31(s);
      long f0 = s[MAT];
      long g0 = s[MAT + 1];
      long f1 = s[MAT + 2];
      long g1 = s[MAT + 3];
      if (combine(s, A, B, f0, g0, NA)) {
        f0 = -f0;
        g0 = -g0;
      }
      if (combine(s, A, B, f1, g1, NB)) {
        f1 = -f1;
        g1 = -g1;
      }
      System.arraycopy(s, NA, s, A, 2 * GCD_LIMBS);
      combineMod(s, U, V, f0, g0, NA);
      combineMod(s, U, V, f1, g1, NB);
      System.arraycopy(s, NA, s, U, 2 * GCD_LIMBS);
    }
    // b' = gcd(aR, m) = 1 for a prime modulus, v = (aR)^-1
    if (s[B] != 1 || !isZero31(s, B + 1, GCD_LIMBS - 1)) {
      invBinary(r, ro, a, ao);
      return;
    }
    from31(s, V, s, A);
    mul(s, NA, s, A, r3, 0);
    // The result is checked (a times it is one) before it is written, so a slip in the
    // approximations' bounds falls back to the slow inversion instead of giving a wrong inverse;
    // one product against about 17 rounds.
    mul(s, NB, a, ao, s, NA);
    if (!equal(s, NB, one, 0)) {
      invBinary(r, ro, a, ao);
      return;
    }
    System.arraycopy(s, NA, r, ro, 4);
  }

  /** Limbs of 31 bits of the binary GCD's values (279 bits: below 2^254, a signed top limb). */
  private static final int GCD_LIMBS = 9;

  private static final int A = 0;
  private static final int B = GCD_LIMBS;
  private static final int U = 2 * GCD_LIMBS;
  private static final int V = 3 * GCD_LIMBS;
  private static final int NA = 4 * GCD_LIMBS;
  private static final int NB = 5 * GCD_LIMBS;

  /** Offset of a round's matrix {@code f0, g0, f1, g1} in {@link #invPublic}'s scratch. */
  private static final int MAT = 6 * GCD_LIMBS;

  /**
   * One round of {@link #invPublic}: the 64-bit approximations of {@code a'} and {@code b'} (exact
   * once both fit in 64 bits), 31 steps of the binary GCD on them, and the steps' matrix {@code (f0
   * g0; f1 g1)} written to {@code s[MAT..MAT + 3]}.
   */
  private static void steps31(long[] s) {
    int top = GCD_LIMBS - 1;
    while (top > 2 && (s[A + top] | s[B + top]) == 0) {
      top--;
    }
    long aa;
    long bb;
    if (top <= 2 && (s[A + 2] | s[B + 2]) >>> 2 == 0) {
      aa = s[A] | s[A + 1] << 31 | s[A + 2] << 62;
      bb = s[B] | s[B + 1] << 31 | s[B + 2] << 62;
    } else {
      // n = bit length of max(a', b'); the top 33 bits are bits n - 33 .. n - 1
      int n = 31 * top + 64 - Long.numberOfLeadingZeros(s[A + top] | s[B + top]);
      int q = n - 33;
      aa = (s[A] & 0x7FFFFFFFL) | window31(s, A, q) << 31;
      bb = (s[B] & 0x7FFFFFFFL) | window31(s, B, q) << 31;
    }
    long f0 = 1;
    long g0 = 0;
    long f1 = 0;
    long g1 = 1;
    for (int j = 0; j < 31; j++) {
      if ((aa & 1) != 0) {
        if (Long.compareUnsigned(aa, bb) < 0) {
          long x = aa;
          aa = bb;
          bb = x;
          x = f0;
          f0 = f1;
          f1 = x;
          x = g0;
          g0 = g1;
          g1 = x;
        }
        aa -= bb;
        f0 -= f1;
        g0 -= g1;
      }
      aa >>>= 1;
      f1 <<= 1;
      g1 <<= 1;
    }
    s[MAT] = f0;
    s[MAT + 1] = g0;
    s[MAT + 2] = f1;
    s[MAT + 3] = g1;
  }

  /** Rounds before the fallback: Pornin's bound for 254 bits is 17. */
  private static final int MAX_ROUNDS = 40;

  private static final long M31 = 0x7FFFFFFFL;

  /** Bits {@code q .. q + 32} of the nonnegative value at {@code s[o..]} (31-bit limbs). */
  private static long window31(long[] s, int o, int q) {
    int i = q / 31;
    int sh = q % 31;
    // three limbs hold bits 31 i .. 31 i + 92, enough for 33 bits from any shift below 31
    long lo = s[o + i] | s[o + i + 1] << 31;
    long hi = i + 2 < GCD_LIMBS ? s[o + i + 2] : 0;
    return (lo >>> sh | hi << (62 - sh)) & 0x1FFFFFFFFL;
  }

  private static boolean isZero31(long[] s, int o) {
    return isZero31(s, o, GCD_LIMBS);
  }

  private static boolean isZero31(long[] s, int o, int len) {
    long x = 0;
    for (int i = 0; i < len; i++) {
      x |= s[o + i];
    }
    return x == 0;
  }

  /**
   * {@code s[d..] = |(s[x..] f + s[y..] g) / 2^31|} for nonnegative values whose combination is a
   * multiple of {@code 2^31} ({@code |f| + |g| <= 2^31}); returns whether it was negative.
   */
  private static boolean combine(long[] s, int x, int y, long f, long g, int d) {
    long c = s[x] * f + s[y] * g;
    c >>= 31;
    for (int i = 1; i < GCD_LIMBS; i++) {
      c += s[x + i] * f + s[y + i] * g;
      s[d + i - 1] = c & M31;
      c >>= 31;
    }
    s[d + GCD_LIMBS - 1] = c;
    if (c >= 0) {
      return false;
    }
    negate31(s, d);
    return true;
  }

  /** {@code s[d..] = -s[d..]}, the top limb signed. */
  private static void negate31(long[] s, int d) {
    long c = 0;
    for (int i = 0; i < GCD_LIMBS - 1; i++) {
      c -= s[d + i];
      s[d + i] = c & M31;
      c >>= 31;
    }
    s[d + GCD_LIMBS - 1] = c - s[d + GCD_LIMBS - 1];
  }

  /**
   * {@code s[d..] = (s[x..] f + s[y..] g) / 2^31 mod m} for {@code s[x..], s[y..]} in {@code [0,
   * m)} and {@code |f| + |g| <= 2^31}: {@code k m} added with {@code k < 2^31} clears the low 31
   * bits; the quotient, in {@code (-m, 2m)}, is brought into {@code [0, m)}.
   */
  private void combineMod(long[] s, int x, int y, long f, long g, int d) {
    long c = s[x] * f + s[y] * g;
    long k = ((c & M31) * negInv31) & M31;
    c = (c + k * m31[0]) >> 31;
    for (int i = 1; i < GCD_LIMBS; i++) {
      c += s[x + i] * f + s[y + i] * g + k * m31[i];
      s[d + i - 1] = c & M31;
      c >>= 31;
    }
    s[d + GCD_LIMBS - 1] = c;
    if (c < 0) {
      addM31(s, d, 1);
    } else if (!below31(s, d, m31)) {
      addM31(s, d, -1);
    }
  }

  /** {@code s[d..] += sign * m}, the top limb signed. */
  private void addM31(long[] s, int d, long sign) {
    long c = 0;
    for (int i = 0; i < GCD_LIMBS - 1; i++) {
      c += s[d + i] + sign * m31[i];
      s[d + i] = c & M31;
      c >>= 31;
    }
    s[d + GCD_LIMBS - 1] += c + sign * m31[GCD_LIMBS - 1];
  }

  /** Whether the nonnegative value at {@code s[d..]} is below {@code m[..]}. */
  private static boolean below31(long[] s, int d, long[] m) {
    for (int i = GCD_LIMBS - 1; i >= 0; i--) {
      if (s[d + i] != m[i]) {
        return s[d + i] < m[i];
      }
    }
    return false;
  }

  /**
   * Four 64-bit limbs at {@code x[xo..]} as {@link #GCD_LIMBS} limbs of 31 bits at {@code d[o..]}.
   */
  private static void to31(long[] x, int xo, long[] d, int o) {
    for (int i = 0; i < GCD_LIMBS; i++) {
      int bit = 31 * i;
      int limb = bit >>> 6;
      int sh = bit & 63;
      long v = x[xo + limb] >>> sh;
      if (sh > 64 - 31 && limb < 3) {
        v |= x[xo + limb + 1] << (64 - sh);
      }
      d[o + i] = v & M31;
    }
  }

  /** The inverse of {@link #to31} (a nonnegative value below {@code 2^256}). */
  private static void from31(long[] s, int o, long[] x, int xo) {
    x[xo] = 0;
    x[xo + 1] = 0;
    x[xo + 2] = 0;
    x[xo + 3] = 0;
    for (int i = 0; i < GCD_LIMBS; i++) {
      long v = s[o + i];
      int bit = 31 * i;
      int limb = bit >>> 6;
      int sh = bit & 63;
      x[xo + limb] |= v << sh;
      if (sh > 64 - 31 && limb < 3) {
        x[xo + limb + 1] |= v >>> (64 - sh);
      }
    }
  }

  /**
   * {@code r = a^-1} (a nonzero) by the binary extended Euclidean algorithm one bit at a time on
   * the stored integer, then one Montgomery product with {@code R^3}: the fallback of {@link
   * #invPublic}.
   */
  private void invBinary(long[] r, int ro, long[] a, int ao) {
    // s: u (0..3), v (4..7), x1 (8..11), x2 (12..15); invariant x1 * a = u, x2 * a = v (mod p)
    long[] s = new long[16];
    System.arraycopy(a, ao, s, 0, 4);
    s[4] = p0;
    s[5] = p1;
    s[6] = p2;
    s[7] = p3;
    s[8] = 1;
    while (!isOneAt(s, 0) && !isOneAt(s, 4)) {
      while ((s[0] & 1) == 0) {
        halve(s, 0);
        halveModP(s, 8);
      }
      while ((s[4] & 1) == 0) {
        halve(s, 4);
        halveModP(s, 12);
      }
      if (geq(s, 0, 4)) {
        subInPlace(s, 0, 4);
        sub(s, 8, s, 8, s, 12);
      } else {
        subInPlace(s, 4, 0);
        sub(s, 12, s, 12, s, 8);
      }
    }
    int x = isOneAt(s, 0) ? 8 : 12;
    mul(r, ro, s, x, r3, 0);
  }

  private static boolean isOneAt(long[] s, int o) {
    return s[o] == 1 && (s[o + 1] | s[o + 2] | s[o + 3]) == 0;
  }

  private static void halve(long[] s, int o) {
    s[o] = (s[o] >>> 1) | (s[o + 1] << 63);
    s[o + 1] = (s[o + 1] >>> 1) | (s[o + 2] << 63);
    s[o + 2] = (s[o + 2] >>> 1) | (s[o + 3] << 63);
    s[o + 3] = s[o + 3] >>> 1;
  }

  /** {@code s = s / 2 mod p} for {@code s < p}: adds {@code p} first when odd (below 2^255). */
  private void halveModP(long[] s, int o) {
    if ((s[o] & 1) != 0) {
      long x0 = s[o];
      long x1 = s[o + 1];
      long x2 = s[o + 2];
      long s0 = x0 + p0;
      long c = less(s0, x0);
      long s1 = x1 + p1 + c;
      c = carry(x1, p1, c, s1);
      long s2 = x2 + p2 + c;
      c = carry(x2, p2, c, s2);
      s[o] = s0;
      s[o + 1] = s1;
      s[o + 2] = s2;
      s[o + 3] = s[o + 3] + p3 + c;
    }
    halve(s, o);
  }

  /** Whether {@code s[a..] >= s[b..]} as 256-bit integers. */
  private static boolean geq(long[] s, int a, int b) {
    for (int i = 3; i >= 0; i--) {
      int c = Long.compareUnsigned(s[a + i], s[b + i]);
      if (c != 0) {
        return c > 0;
      }
    }
    return true;
  }

  /** {@code s[a..] -= s[b..]} as 256-bit integers, no borrow out ({@code s[a..] >= s[b..]}). */
  private static void subInPlace(long[] s, int a, int b) {
    long x0 = s[a];
    long x1 = s[a + 1];
    long x2 = s[a + 2];
    long y0 = s[b];
    long y1 = s[b + 1];
    long y2 = s[b + 2];
    long d0 = x0 - y0;
    long bw = less(x0, y0);
    long d1 = x1 - y1 - bw;
    bw = borrow(x1, y1, d1);
    long d2 = x2 - y2 - bw;
    bw = borrow(x2, y2, d2);
    s[a] = d0;
    s[a + 1] = d1;
    s[a + 2] = d2;
    s[a + 3] = s[a + 3] - s[b + 3] - bw;
  }

  /** {@code r = a^e} for an exponent given as little-endian limbs (any length). */
  public void pow(long[] r, int ro, long[] a, int ao, long[] e) {
    long[] acc = new long[4];
    long[] base = new long[4];
    System.arraycopy(a, ao, base, 0, 4);
    System.arraycopy(one, 0, acc, 0, 4);
    for (int i = e.length * 64 - 1; i >= 0; i--) {
      mul(acc, 0, acc, 0, acc, 0);
      if (((e[i >>> 6] >>> (i & 63)) & 1) != 0) {
        mul(acc, 0, acc, 0, base, 0);
      }
    }
    System.arraycopy(acc, 0, r, ro, 4);
  }

  /** Whether {@code a == 0}. */
  public boolean isZero(long[] a, int ao) {
    return (a[ao] | a[ao + 1] | a[ao + 2] | a[ao + 3]) == 0;
  }

  /** Whether {@code a == b}. */
  public boolean equal(long[] a, int ao, long[] b, int bo) {
    return a[ao] == b[bo]
        && a[ao + 1] == b[bo + 1]
        && a[ao + 2] == b[bo + 2]
        && a[ao + 3] == b[bo + 3];
  }

  /** {@code r = 1} (Montgomery form). */
  public void setOne(long[] r, int ro) {
    System.arraycopy(one, 0, r, ro, 4);
  }

  /** {@code r = 0}. */
  public static void setZero(long[] r, int ro) {
    r[ro] = 0;
    r[ro + 1] = 0;
    r[ro + 2] = 0;
    r[ro + 3] = 0;
  }

  /** Copies one element. */
  public static void copy(long[] r, int ro, long[] a, int ao) {
    r[ro] = a[ao];
    r[ro + 1] = a[ao + 1];
    r[ro + 2] = a[ao + 2];
    r[ro + 3] = a[ao + 3];
  }

  /** Montgomery form of canonical limbs {@code a < p}: {@code r = a * 2^256 mod p}. */
  public void toMont(long[] r, int ro, long[] a, int ao) {
    mul(r, ro, a, ao, r2, 0);
  }

  /** Canonical limbs of a Montgomery-form element: {@code r = a / 2^256 mod p}. */
  public void fromMont(long[] r, int ro, long[] a, int ao) {
    long[] unit = {1, 0, 0, 0};
    mul(r, ro, a, ao, unit, 0);
  }

  /** Whether canonical limbs {@code a} are below the modulus. */
  public boolean isCanonical(long[] a, int ao) {
    for (int i = 3; i >= 0; i--) {
      long pi = i == 0 ? p0 : i == 1 ? p1 : i == 2 ? p2 : p3;
      int c = Long.compareUnsigned(a[ao + i], pi);
      if (c != 0) {
        return c < 0;
      }
    }
    return false;
  }

  /** Montgomery form of {@code v mod p} into {@code r}. */
  public void fromBigInteger(long[] r, int ro, BigInteger v) {
    long[] limbs = toLimbs(v.mod(modulus));
    toMont(r, ro, limbs, 0);
  }

  /** Montgomery form of {@code v mod p} as a fresh array. */
  public long[] of(BigInteger v) {
    long[] r = new long[4];
    fromBigInteger(r, 0, v);
    return r;
  }

  /** Montgomery form of {@code v mod p} as a fresh array. */
  public long[] of(long v) {
    return of(BigInteger.valueOf(v));
  }

  /** The value of a Montgomery-form element. */
  public BigInteger toBigInteger(long[] a, int ao) {
    long[] c = new long[4];
    fromMont(c, 0, a, ao);
    return fromLimbs(c, 0);
  }

  /** Four little-endian limbs of a non-negative integer below {@code 2^256}. */
  public static long[] toLimbs(BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw new IllegalArgumentException("not a 256-bit unsigned integer");
    }
    long[] r = new long[4];
    for (int i = 0; i < 4; i++) {
      r[i] = v.shiftRight(64 * i).longValue();
    }
    return r;
  }

  /** The integer of four little-endian limbs. */
  public static BigInteger fromLimbs(long[] a, int ao) {
    BigInteger r = BigInteger.ZERO;
    for (int i = 3; i >= 0; i--) {
      r = r.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(a[ao + i])));
    }
    return r;
  }
}
