package dev.agentledger.zk.curve;

import dev.agentledger.zk.field.FieldOps;
import java.math.BigInteger;

/**
 * Point arithmetic on a short Weierstrass curve {@code y^2 = x^3 + b} (a = 0) over the field of
 * {@link FieldOps}, on flat {@code long[]} storage. Width {@code w} is the field's element width.
 *
 * <ul>
 *   <li>Affine points take {@code 2w} longs {@code (x, y)}; the point at infinity is all zeros,
 *       which is never on the curve since {@code b != 0} (the zkey convention too).
 *   <li>Jacobian points take {@code 3w} longs {@code (X, Y, Z)} for {@code (X/Z^2, Y/Z^3)}; the
 *       point at infinity has {@code Z = 0}.
 * </ul>
 *
 * <p>Formulas are those of the Explicit-Formulas Database for a = 0 Jacobian coordinates:
 * dbl-2009-l, add-2007-bl and madd-2007-bl. Instances hold scratch space: one per thread.
 */
public final class CurveOps {
  private final FieldOps f;
  private final int w;
  private final long[] b;
  private final long[] s;

  /** Operations on {@code y^2 = x^3 + b} over {@code f}; {@code b} is copied. */
  public CurveOps(FieldOps f, long[] b) {
    this.f = f;
    this.w = f.width();
    this.b = b.clone();
    this.s = new long[16 * w];
  }

  /** The field. */
  public FieldOps field() {
    return f;
  }

  /** Longs per field element. */
  public int width() {
    return w;
  }

  /** Longs per affine point. */
  public int affineSize() {
    return 2 * w;
  }

  /** Longs per Jacobian point. */
  public int jacobianSize() {
    return 3 * w;
  }

  private int t(int k) {
    return k * w;
  }

  /** Whether the affine point is the point at infinity (all zeros). */
  public boolean isInfinityAffine(long[] p, int po) {
    return f.isZero(p, po) && f.isZero(p, po + w);
  }

  /** Whether the Jacobian point is the point at infinity. */
  public boolean isInfinity(long[] p, int po) {
    return f.isZero(p, po + 2 * w);
  }

  /** Sets the Jacobian point at infinity {@code (1, 1, 0)}. */
  public void setInfinity(long[] r, int ro) {
    f.setOne(r, ro);
    f.setOne(r, ro + w);
    f.setZero(r, ro + 2 * w);
  }

  /** Whether an affine point satisfies the curve equation (infinity counts as on the curve). */
  public boolean isOnCurveAffine(long[] p, int po) {
    if (isInfinityAffine(p, po)) {
      return true;
    }
    long[] s = this.s;
    f.sqr(s, t(0), p, po + w); // y^2
    f.sqr(s, t(1), p, po);
    f.mul(s, t(1), s, t(1), p, po); // x^3
    f.add(s, t(1), s, t(1), b, 0);
    return f.equal(s, t(0), s, t(1));
  }

  /** Jacobian {@code r} from affine {@code p}. */
  public void fromAffine(long[] r, int ro, long[] p, int po) {
    if (isInfinityAffine(p, po)) {
      setInfinity(r, ro);
      return;
    }
    f.copy(r, ro, p, po);
    f.copy(r, ro + w, p, po + w);
    f.setOne(r, ro + 2 * w);
  }

  /** Affine {@code r} from Jacobian {@code p} (one inversion). */
  public void toAffine(long[] r, int ro, long[] p, int po) {
    if (isInfinity(p, po)) {
      f.setZero(r, ro);
      f.setZero(r, ro + w);
      return;
    }
    long[] s = this.s;
    f.inv(s, t(0), p, po + 2 * w);
    f.sqr(s, t(1), s, t(0));
    f.mul(s, t(2), s, t(1), s, t(0));
    f.mul(r, ro, p, po, s, t(1));
    f.mul(r, ro + w, p, po + w, s, t(2));
  }

  /** Copies a Jacobian point. */
  public void copy(long[] r, int ro, long[] p, int po) {
    System.arraycopy(p, po, r, ro, 3 * w);
  }

  /** {@code r = -p} (Jacobian). */
  public void neg(long[] r, int ro, long[] p, int po) {
    if (r != p || ro != po) {
      f.copy(r, ro, p, po);
      f.copy(r, ro + 2 * w, p, po + 2 * w);
    }
    f.neg(r, ro + w, p, po + w);
  }

  /** {@code r = 2p} (Jacobian, dbl-2009-l). */
  public void dbl(long[] r, int ro, long[] p, int po) {
    if (isInfinity(p, po)) {
      copy(r, ro, p, po);
      return;
    }
    long[] s = this.s;
    int x = po;
    int y = po + w;
    int z = po + 2 * w;
    int a = t(0);
    int bb = t(1);
    int c = t(2);
    int d = t(3);
    int e = t(4);
    int ff = t(5);
    int z3 = t(6);
    f.sqr(s, a, p, x);
    f.sqr(s, bb, p, y);
    f.sqr(s, c, s, bb);
    f.add(s, d, p, x, s, bb);
    f.sqr(s, d, s, d);
    f.sub(s, d, s, d, s, a);
    f.sub(s, d, s, d, s, c);
    f.dbl(s, d, s, d);
    f.dbl(s, e, s, a);
    f.add(s, e, s, e, s, a);
    f.sqr(s, ff, s, e);
    f.mul(s, z3, p, y, p, z);
    f.dbl(s, z3, s, z3);
    // X3 = F - 2D
    f.sub(r, ro, s, ff, s, d);
    f.sub(r, ro, r, ro, s, d);
    // Y3 = E (D - X3) - 8C
    f.sub(s, d, s, d, r, ro);
    f.mul(s, d, s, d, s, e);
    f.dbl(s, c, s, c);
    f.dbl(s, c, s, c);
    f.dbl(s, c, s, c);
    f.sub(r, ro + w, s, d, s, c);
    f.copy(r, ro + 2 * w, s, z3);
  }

  /** {@code r = p + q} (Jacobian, add-2007-bl); handles infinity and {@code p == q}. */
  public void add(long[] r, int ro, long[] p, int po, long[] q, int qo) {
    if (isInfinity(p, po)) {
      copy(r, ro, q, qo);
      return;
    }
    if (isInfinity(q, qo)) {
      copy(r, ro, p, po);
      return;
    }
    long[] s = this.s;
    int z1z1 = t(0);
    int z2z2 = t(1);
    int u1 = t(2);
    int u2 = t(3);
    int s1 = t(4);
    int s2 = t(5);
    int h = t(6);
    int i = t(7);
    int j = t(8);
    int rr = t(9);
    int v = t(10);
    int z3 = t(11);
    f.sqr(s, z1z1, p, po + 2 * w);
    f.sqr(s, z2z2, q, qo + 2 * w);
    f.mul(s, u1, p, po, s, z2z2);
    f.mul(s, u2, q, qo, s, z1z1);
    f.mul(s, s1, p, po + w, q, qo + 2 * w);
    f.mul(s, s1, s, s1, s, z2z2);
    f.mul(s, s2, q, qo + w, p, po + 2 * w);
    f.mul(s, s2, s, s2, s, z1z1);
    f.sub(s, h, s, u2, s, u1);
    f.sub(s, rr, s, s2, s, s1);
    if (f.isZero(s, h)) {
      if (f.isZero(s, rr)) {
        dbl(r, ro, p, po);
      } else {
        setInfinity(r, ro);
      }
      return;
    }
    f.dbl(s, rr, s, rr);
    f.dbl(s, i, s, h);
    f.sqr(s, i, s, i);
    f.mul(s, j, s, h, s, i);
    f.mul(s, v, s, u1, s, i);
    // Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H
    f.add(s, z3, p, po + 2 * w, q, qo + 2 * w);
    f.sqr(s, z3, s, z3);
    f.sub(s, z3, s, z3, s, z1z1);
    f.sub(s, z3, s, z3, s, z2z2);
    f.mul(s, z3, s, z3, s, h);
    // X3 = r^2 - J - 2V
    f.sqr(r, ro, s, rr);
    f.sub(r, ro, r, ro, s, j);
    f.sub(r, ro, r, ro, s, v);
    f.sub(r, ro, r, ro, s, v);
    // Y3 = r (V - X3) - 2 S1 J
    f.sub(s, v, s, v, r, ro);
    f.mul(s, v, s, v, s, rr);
    f.mul(s, s1, s, s1, s, j);
    f.dbl(s, s1, s, s1);
    f.sub(r, ro + w, s, v, s, s1);
    f.copy(r, ro + 2 * w, s, z3);
  }

  /** {@code r = p + q} with {@code q} affine (madd-2007-bl); handles all special cases. */
  public void addAffine(long[] r, int ro, long[] p, int po, long[] q, int qo) {
    if (isInfinityAffine(q, qo)) {
      copy(r, ro, p, po);
      return;
    }
    if (isInfinity(p, po)) {
      fromAffine(r, ro, q, qo);
      return;
    }
    long[] s = this.s;
    int z1z1 = t(0);
    int u2 = t(1);
    int s2 = t(2);
    int h = t(3);
    int hh = t(4);
    int i = t(5);
    int j = t(6);
    int rr = t(7);
    int v = t(8);
    int z3 = t(9);
    int y1j = t(10);
    f.sqr(s, z1z1, p, po + 2 * w);
    f.mul(s, u2, q, qo, s, z1z1);
    f.mul(s, s2, q, qo + w, p, po + 2 * w);
    f.mul(s, s2, s, s2, s, z1z1);
    f.sub(s, h, s, u2, p, po);
    f.sub(s, rr, s, s2, p, po + w);
    if (f.isZero(s, h)) {
      if (f.isZero(s, rr)) {
        dbl(r, ro, p, po);
      } else {
        setInfinity(r, ro);
      }
      return;
    }
    f.dbl(s, rr, s, rr);
    f.sqr(s, hh, s, h);
    f.dbl(s, i, s, hh);
    f.dbl(s, i, s, i);
    f.mul(s, j, s, h, s, i);
    f.mul(s, v, p, po, s, i);
    f.add(s, z3, p, po + 2 * w, s, h);
    f.sqr(s, z3, s, z3);
    f.sub(s, z3, s, z3, s, z1z1);
    f.sub(s, z3, s, z3, s, hh);
    f.mul(s, y1j, p, po + w, s, j);
    f.dbl(s, y1j, s, y1j);
    f.sqr(r, ro, s, rr);
    f.sub(r, ro, r, ro, s, j);
    f.sub(r, ro, r, ro, s, v);
    f.sub(r, ro, r, ro, s, v);
    f.sub(s, v, s, v, r, ro);
    f.mul(s, v, s, v, s, rr);
    f.sub(r, ro + w, s, v, s, y1j);
    f.copy(r, ro + 2 * w, s, z3);
  }

  /**
   * {@code r = k p} for a non-negative scalar below {@code 2^256}, by double-and-add-always over
   * all 256 bits so that the sequence of operations does not depend on {@code k} (used with the
   * prover's secret blinding scalars). {@code r} must not alias {@code p}.
   */
  public void mul(long[] r, int ro, long[] p, int po, BigInteger k) {
    long[] acc = new long[3 * w];
    long[] dummy = new long[3 * w];
    long[] base = new long[3 * w];
    copy(base, 0, p, po);
    setInfinity(acc, 0);
    for (int i = 255; i >= 0; i--) {
      dbl(acc, 0, acc, 0);
      if (k.testBit(i)) {
        add(acc, 0, acc, 0, base, 0);
      } else {
        add(dummy, 0, acc, 0, base, 0);
      }
    }
    copy(r, ro, acc, 0);
  }

  /**
   * {@code r = k p} for a public scalar (variable time: skips the additions of zero bits). {@code
   * r} must not alias {@code p}.
   */
  public void mulPublic(long[] r, int ro, long[] p, int po, BigInteger k) {
    long[] acc = new long[3 * w];
    long[] base = new long[3 * w];
    copy(base, 0, p, po);
    setInfinity(acc, 0);
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      dbl(acc, 0, acc, 0);
      if (k.testBit(i)) {
        add(acc, 0, acc, 0, base, 0);
      }
    }
    copy(r, ro, acc, 0);
  }

  /** Whether two Jacobian points are equal as group elements. */
  public boolean equal(long[] p, int po, long[] q, int qo) {
    boolean pi = isInfinity(p, po);
    boolean qi = isInfinity(q, qo);
    if (pi || qi) {
      return pi == qi;
    }
    long[] s = this.s;
    // X1 Z2^2 == X2 Z1^2 and Y1 Z2^3 == Y2 Z1^3
    f.sqr(s, t(0), p, po + 2 * w);
    f.sqr(s, t(1), q, qo + 2 * w);
    f.mul(s, t(2), p, po, s, t(1));
    f.mul(s, t(3), q, qo, s, t(0));
    if (!f.equal(s, t(2), s, t(3))) {
      return false;
    }
    f.mul(s, t(0), s, t(0), p, po + 2 * w);
    f.mul(s, t(1), s, t(1), q, qo + 2 * w);
    f.mul(s, t(2), p, po + w, s, t(1));
    f.mul(s, t(3), q, qo + w, s, t(0));
    return f.equal(s, t(2), s, t(3));
  }
}
