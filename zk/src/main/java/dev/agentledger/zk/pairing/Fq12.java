package dev.agentledger.zk.pairing;

import java.math.BigInteger;

/**
 * An immutable element {@code c0 + c1 w} of {@code Fp12 = Fp6[w] / (w^2 - v)}, the target group's
 * field. The tower is that of EIP-197 and ffjavascript, so {@link #toDecimal()} gives snarkjs's
 * JSON layout.
 */
public final class Fq12 {
  static final Fq12 ONE = new Fq12(Fq6.ONE, Fq6.ZERO);

  final Fq6 c0;
  final Fq6 c1;

  Fq12(Fq6 c0, Fq6 c1) {
    this.c0 = c0;
    this.c1 = c1;
  }

  Fq12 mul(Fq12 b) {
    Fq6 a0b0 = c0.mul(b.c0);
    Fq6 a1b1 = c1.mul(b.c1);
    Fq6 mid = c0.add(c1).mul(b.c0.add(b.c1)).sub(a0b0).sub(a1b1);
    return new Fq12(a0b0.add(a1b1.mulV()), mid);
  }

  Fq12 sqr() {
    return mul(this);
  }

  Fq12 conj() {
    return new Fq12(c0, c1.neg());
  }

  Fq12 inv() {
    Fq6 t = c0.mul(c0).sub(c1.mul(c1).mulV()).inv();
    return new Fq12(c0.mul(t), c1.mul(t).neg());
  }

  Fq12 pow(BigInteger e) {
    Fq12 acc = ONE;
    for (int i = e.bitLength() - 1; i >= 0; i--) {
      acc = acc.sqr();
      if (e.testBit(i)) {
        acc = acc.mul(this);
      }
    }
    return acc;
  }

  /** Whether this is the identity of the target group. */
  public boolean isOne() {
    return c0.eq(Fq6.ONE) && c1.isZero();
  }

  /** Whether two elements are equal. */
  public boolean eq(Fq12 b) {
    return c0.eq(b.c0) && c1.eq(b.c1);
  }

  /** Decimal coefficients as {@code [w-power][v-power][u-power]} (snarkjs's Gt.toObject). */
  public String[][][] toDecimal() {
    Fq6[] six = {c0, c1};
    String[][][] out = new String[2][3][];
    for (int i = 0; i < 2; i++) {
      out[i][0] = six[i].c0.toDecimal();
      out[i][1] = six[i].c1.toDecimal();
      out[i][2] = six[i].c2.toDecimal();
    }
    return out;
  }
}
