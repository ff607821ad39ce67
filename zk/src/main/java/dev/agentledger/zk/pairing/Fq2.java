package dev.agentledger.zk.pairing;

import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import java.math.BigInteger;

/** An immutable element {@code c0 + c1 u} of Fp2 (Montgomery limbs), for the pairing. */
final class Fq2 {
  private static final MontField F = Bn254.FP;
  static final Fq2 ZERO = new Fq2(new long[4], new long[4]);
  static final Fq2 ONE = new Fq2(F.of(1), new long[4]);
  static final Fq2 XI = new Fq2(F.of(9), F.of(1));

  final long[] c0;
  final long[] c1;

  Fq2(long[] c0, long[] c1) {
    this.c0 = c0;
    this.c1 = c1;
  }

  static Fq2 fromFlat(long[] a, int ao) {
    long[] c0 = new long[4];
    long[] c1 = new long[4];
    System.arraycopy(a, ao, c0, 0, 4);
    System.arraycopy(a, ao + 4, c1, 0, 4);
    return new Fq2(c0, c1);
  }

  static Fq2 ofFp(long[] a, int ao) {
    long[] c0 = new long[4];
    System.arraycopy(a, ao, c0, 0, 4);
    return new Fq2(c0, new long[4]);
  }

  Fq2 add(Fq2 b) {
    long[] r0 = new long[4];
    long[] r1 = new long[4];
    F.add(r0, 0, c0, 0, b.c0, 0);
    F.add(r1, 0, c1, 0, b.c1, 0);
    return new Fq2(r0, r1);
  }

  Fq2 sub(Fq2 b) {
    long[] r0 = new long[4];
    long[] r1 = new long[4];
    F.sub(r0, 0, c0, 0, b.c0, 0);
    F.sub(r1, 0, c1, 0, b.c1, 0);
    return new Fq2(r0, r1);
  }

  Fq2 neg() {
    long[] r0 = new long[4];
    long[] r1 = new long[4];
    F.neg(r0, 0, c0, 0);
    F.neg(r1, 0, c1, 0);
    return new Fq2(r0, r1);
  }

  Fq2 conj() {
    long[] r1 = new long[4];
    F.neg(r1, 0, c1, 0);
    return new Fq2(c0, r1);
  }

  Fq2 mul(Fq2 b) {
    long[] t0 = new long[4];
    long[] t1 = new long[4];
    long[] t2 = new long[4];
    long[] t3 = new long[4];
    F.mul(t0, 0, c0, 0, b.c0, 0);
    F.mul(t1, 0, c1, 0, b.c1, 0);
    F.add(t2, 0, c0, 0, c1, 0);
    F.add(t3, 0, b.c0, 0, b.c1, 0);
    F.mul(t2, 0, t2, 0, t3, 0);
    F.sub(t2, 0, t2, 0, t0, 0);
    F.sub(t2, 0, t2, 0, t1, 0);
    F.sub(t0, 0, t0, 0, t1, 0);
    return new Fq2(t0, t2);
  }

  Fq2 mulFp(long[] a) {
    long[] r0 = new long[4];
    long[] r1 = new long[4];
    F.mul(r0, 0, c0, 0, a, 0);
    F.mul(r1, 0, c1, 0, a, 0);
    return new Fq2(r0, r1);
  }

  Fq2 sqr() {
    return mul(this);
  }

  Fq2 mulXi() {
    return mul(XI);
  }

  Fq2 inv() {
    long[] t0 = new long[4];
    long[] t1 = new long[4];
    F.mul(t0, 0, c0, 0, c0, 0);
    F.mul(t1, 0, c1, 0, c1, 0);
    F.add(t0, 0, t0, 0, t1, 0);
    F.inv(t0, 0, t0, 0);
    long[] r0 = new long[4];
    long[] r1 = new long[4];
    F.mul(r0, 0, c0, 0, t0, 0);
    F.mul(r1, 0, c1, 0, t0, 0);
    F.neg(r1, 0, r1, 0);
    return new Fq2(r0, r1);
  }

  Fq2 pow(BigInteger e) {
    Fq2 acc = ONE;
    for (int i = e.bitLength() - 1; i >= 0; i--) {
      acc = acc.sqr();
      if (e.testBit(i)) {
        acc = acc.mul(this);
      }
    }
    return acc;
  }

  /**
   * A square root, or null when there is none (Adj and Rodriguez-Henriquez, "Square root
   * computation over even extension fields", algorithm 9, for {@code p = 3 mod 4}).
   */
  Fq2 sqrt() {
    BigInteger p = Bn254.P;
    Fq2 a1 = pow(p.subtract(BigInteger.valueOf(3)).shiftRight(2));
    Fq2 alpha = a1.sqr().mul(this);
    Fq2 a0 = alpha.pow(p).mul(alpha);
    Fq2 minusOne = ONE.neg();
    if (a0.eq(minusOne)) {
      return null;
    }
    Fq2 x0 = a1.mul(this);
    Fq2 x;
    if (alpha.eq(minusOne)) {
      x = new Fq2(new long[4], F.of(1)).mul(x0);
    } else {
      Fq2 b = ONE.add(alpha).pow(p.subtract(BigInteger.ONE).shiftRight(1));
      x = b.mul(x0);
    }
    return x.sqr().eq(this) ? x : null;
  }

  boolean isZero() {
    return F.isZero(c0, 0) && F.isZero(c1, 0);
  }

  boolean eq(Fq2 b) {
    return F.equal(c0, 0, b.c0, 0) && F.equal(c1, 0, b.c1, 0);
  }

  String[] toDecimal() {
    return new String[] {F.toBigInteger(c0, 0).toString(), F.toBigInteger(c1, 0).toString()};
  }
}
