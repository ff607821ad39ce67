package dev.agentledger.zk.pairing;

/** An immutable element {@code c0 + c1 v + c2 v^2} of {@code Fp6 = Fp2[v] / (v^3 - xi)}. */
final class Fq6 {
  static final Fq6 ZERO = new Fq6(Fq2.ZERO, Fq2.ZERO, Fq2.ZERO);
  static final Fq6 ONE = new Fq6(Fq2.ONE, Fq2.ZERO, Fq2.ZERO);

  final Fq2 c0;
  final Fq2 c1;
  final Fq2 c2;

  Fq6(Fq2 c0, Fq2 c1, Fq2 c2) {
    this.c0 = c0;
    this.c1 = c1;
    this.c2 = c2;
  }

  Fq6 add(Fq6 b) {
    return new Fq6(c0.add(b.c0), c1.add(b.c1), c2.add(b.c2));
  }

  Fq6 sub(Fq6 b) {
    return new Fq6(c0.sub(b.c0), c1.sub(b.c1), c2.sub(b.c2));
  }

  Fq6 neg() {
    return new Fq6(c0.neg(), c1.neg(), c2.neg());
  }

  Fq6 mul(Fq6 b) {
    Fq2 a0b0 = c0.mul(b.c0);
    Fq2 a1b1 = c1.mul(b.c1);
    Fq2 a2b2 = c2.mul(b.c2);
    Fq2 r0 = c1.mul(b.c2).add(c2.mul(b.c1)).mulXi().add(a0b0);
    Fq2 r1 = c0.mul(b.c1).add(c1.mul(b.c0)).add(a2b2.mulXi());
    Fq2 r2 = c0.mul(b.c2).add(a1b1).add(c2.mul(b.c0));
    return new Fq6(r0, r1, r2);
  }

  /** Multiplication by {@code v}. */
  Fq6 mulV() {
    return new Fq6(c2.mulXi(), c0, c1);
  }

  Fq6 inv() {
    Fq2 a = c0.sqr().sub(c1.mul(c2).mulXi());
    Fq2 b = c2.sqr().mulXi().sub(c0.mul(c1));
    Fq2 c = c1.sqr().sub(c0.mul(c2));
    Fq2 f = c0.mul(a).add(c2.mul(b).mulXi()).add(c1.mul(c).mulXi());
    Fq2 fi = f.inv();
    return new Fq6(a.mul(fi), b.mul(fi), c.mul(fi));
  }

  boolean isZero() {
    return c0.isZero() && c1.isZero() && c2.isZero();
  }

  boolean eq(Fq6 b) {
    return c0.eq(b.c0) && c1.eq(b.c1) && c2.eq(b.c2);
  }
}
