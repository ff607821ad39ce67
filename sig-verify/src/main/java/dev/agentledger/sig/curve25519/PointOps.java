package dev.agentledger.sig.curve25519;

/**
 * Group operations on edwards25519 (a = -1) with the temporaries they need, one instance per
 * thread. Formulas: Hisil et al. 2008, extended coordinates, section 3.1 (unified addition, which
 * is complete for a = -1 square and d non-square, so identity and torsion points need no special
 * case) and 3.3 (doubling, "dbl-2008-hwcd"). Each formula can skip computing T when the next
 * operation is a doubling, which never reads T.
 *
 * <p>Bounds: inputs X, Y, Z, T (and the cached and Niels coordinates) are tight (below 2^51 +
 * 2^13), and the formulas multiply with {@link Fe#mulFma} / {@link Fe#sqFma}, which need inputs
 * below 2^53.4. Differences of a tight subtrahend add 2p ({@link Fe#sub2p}). In the doubling, X +
 * Y, A + B and 2Z^2 are below 2^52 + 2^14, A - B + 2p below 2^52.59, A + B - (X+Y)^2 + 2p below
 * 2^53 + 2^14 and C + (A - B + 2p) below 2^53.33. In the additions, Y + X is below 2^52 + 2^14, Y -
 * X + 4p below 2^53.32, B - A + 2p below 2^52.59, D - C + 2p below 2^53 + 2^14 (D = 2Z for a Niels
 * point), D + C and B + A below 2^52.59. So every multiplication input stays below 2^53.33.
 */
public final class PointOps {
  private final Fe a = new Fe();
  private final Fe b = new Fe();
  private final Fe c = new Fe();
  private final Fe d = new Fe();
  private final Fe e = new Fe();
  private final Fe f = new Fe();
  private final Fe g = new Fe();
  private final Fe h = new Fe();
  final Fe t0 = new Fe();
  final Fe t1 = new Fe();
  final Fe t2 = new Fe();
  final Fe t3 = new Fe();
  private final Fe u = new Fe();
  private final Fe v = new Fe();
  private final Fe w = new Fe();
  private final ExtendedPoint tmp = new ExtendedPoint();
  private final CachedPoint tmpCached = new CachedPoint();

  /** r = 2p; r may alias p. Computes T only when {@code withT}. 4M + 4S (3M + 4S without T). */
  public void dbl(ExtendedPoint r, ExtendedPoint p, boolean withT) {
    Fe.sqFma(a, p.x); // A = X^2
    Fe.sqFma(b, p.y); // B = Y^2
    Fe.sqFma(c, p.z);
    Fe.add(c, c, c); // C = 2 Z^2
    Fe.add(h, a, b); // H' = A + B
    Fe.add(e, p.x, p.y);
    Fe.sqFma(e, e);
    Fe.sub2p(e, h, e); // E' = A + B - (X + Y)^2 = -2XY
    Fe.sub2p(g, a, b); // G' = A - B
    Fe.add(f, c, g); // F' = C + A - B
    Fe.mulFma(r.x, e, f);
    Fe.mulFma(r.y, g, h);
    if (withT) {
      Fe.mulFma(r.t, e, h);
    }
    Fe.mulFma(r.z, f, g);
  }

  /** r = p + q (q cached); r may alias p. 8M (7M without T). */
  public void add(ExtendedPoint r, ExtendedPoint p, CachedPoint q, boolean withT) {
    Fe.add(a, p.y, p.x);
    Fe.mulFma(b, a, q.yPlusX); // B = (Y1 + X1)(Y2 + X2)
    Fe.sub(a, p.y, p.x);
    Fe.mulFma(a, a, q.yMinusX); // A = (Y1 - X1)(Y2 - X2)
    Fe.mulFma(c, p.t, q.t2d); // C = 2d T1 T2
    Fe.mulFma(d, p.z, q.z2); // D = 2 Z1 Z2
    finish(r, withT);
  }

  /** r = p - q (q cached); r may alias p. */
  public void sub(ExtendedPoint r, ExtendedPoint p, CachedPoint q, boolean withT) {
    Fe.add(a, p.y, p.x);
    Fe.mulFma(b, a, q.yMinusX);
    Fe.sub(a, p.y, p.x);
    Fe.mulFma(a, a, q.yPlusX);
    Fe.mulFma(c, p.t, q.t2d);
    Fe.neg(c, c);
    Fe.weakReduce(c); // 4p - C is below 2^53: tight again, so that D +- C stays in bounds
    Fe.mulFma(d, p.z, q.z2);
    finish(r, withT);
  }

  /** r = p + q (q affine Niels); r may alias p. 7M (6M without T). */
  public void addNiels(ExtendedPoint r, ExtendedPoint p, NielsPoint q, boolean withT) {
    Fe.add(a, p.y, p.x);
    Fe.mulFma(b, a, q.yPlusX);
    Fe.sub(a, p.y, p.x);
    Fe.mulFma(a, a, q.yMinusX);
    Fe.mulFma(c, p.t, q.xy2d);
    Fe.add(d, p.z, p.z);
    finish(r, withT);
  }

  /** r = p - q (q affine Niels); r may alias p. */
  public void subNiels(ExtendedPoint r, ExtendedPoint p, NielsPoint q, boolean withT) {
    Fe.add(a, p.y, p.x);
    Fe.mulFma(b, a, q.yMinusX);
    Fe.sub(a, p.y, p.x);
    Fe.mulFma(a, a, q.yPlusX);
    Fe.mulFma(c, p.t, q.xy2d);
    Fe.neg(c, c);
    Fe.weakReduce(c); // 4p - C is below 2^53: tight again, so that D +- C stays in bounds
    Fe.add(d, p.z, p.z);
    finish(r, withT);
  }

  private void finish(ExtendedPoint r, boolean withT) {
    Fe.sub2p(e, b, a); // E = B - A
    Fe.sub2p(f, d, c); // F = D - C
    Fe.add(g, d, c); // G = D + C
    Fe.add(h, b, a); // H = B + A
    Fe.mulFma(r.x, e, f);
    Fe.mulFma(r.y, g, h);
    if (withT) {
      Fe.mulFma(r.t, e, h);
    }
    Fe.mulFma(r.z, f, g);
  }

  /** r = p + q, both extended (converts q; 9M). */
  public void addExtended(ExtendedPoint r, ExtendedPoint p, ExtendedPoint q, boolean withT) {
    toCached(tmpCached, q);
    add(r, p, tmpCached, withT);
  }

  /** c = the cached form of p. 1M. */
  public void toCached(CachedPoint out, ExtendedPoint p) {
    Fe.add(out.yPlusX, p.y, p.x);
    Fe.sub(out.yMinusX, p.y, p.x);
    Fe.weakReduce(out.yMinusX);
    Fe.add(out.z2, p.z, p.z);
    Fe.mulFma(out.t2d, p.t, Curve.D2);
  }

  /** The Niels form of an affine point (x, y): 2M. Inputs tight. */
  public void nielsFromAffine(NielsPoint out, Fe x, Fe y) {
    Fe.add(out.yPlusX, y, x);
    Fe.weakReduce(out.yPlusX);
    Fe.sub(out.yMinusX, y, x);
    Fe.weakReduce(out.yMinusX);
    Fe.mul(out.xy2d, x, y);
    Fe.mul(out.xy2d, out.xy2d, Curve.D2);
  }

  /** The Niels form of a point returned by {@link #decompress} (Z = 1, T = xy): 1M. */
  public void nielsFromDecoded(NielsPoint out, ExtendedPoint p) {
    Fe.add(out.yPlusX, p.y, p.x);
    Fe.weakReduce(out.yPlusX);
    Fe.sub(out.yMinusX, p.y, p.x);
    Fe.weakReduce(out.yMinusX);
    Fe.mul(out.xy2d, p.t, Curve.D2);
  }

  /** The Niels form of an extended point (one inversion; for tables). */
  public void toNiels(NielsPoint out, ExtendedPoint p) {
    Fe.invert(u, p.z, t0, t1, t2, t3);
    Fe.mul(v, p.x, u);
    Fe.mul(w, p.y, u);
    nielsFromAffine(out, v, w);
  }

  /** An extended point from a Niels point (for tests): x = (ypx - ymx)/2, y = (ypx + ymx)/2. */
  public void fromNiels(ExtendedPoint r, NielsPoint q) {
    r.identity();
    addNiels(r, r, q, true);
  }

  /**
   * Decodes a 32-byte point encoding under the ZIP-215 rules: y is the low 255 bits taken mod p (so
   * y >= p is accepted), x is recovered with the combined square-root-ratio of RFC 8032 section
   * 5.1.3, and the sign bit selects the root even when x = 0. Returns false when (y^2 - 1)/(d y^2 +
   * 1) is not a square. The result is affine (Z = 1, T = xy). 255S + ~17M.
   */
  public boolean decompress(ExtendedPoint r, byte[] bytes, int off) {
    Fe y = r.y;
    y.fromBytes(bytes, off);
    int sign = (bytes[off + 31] >>> 7) & 1;
    Fe.sq(u, y); // y^2
    Fe.mul(v, u, Curve.D); // d y^2
    Fe.sub(u, u, Curve.ONE); // u = y^2 - 1
    Fe.weakReduce(u);
    Fe.add(v, v, Curve.ONE); // v = d y^2 + 1
    // x = u v^3 (u v^7)^((p-5)/8)
    Fe.sq(t0, v);
    Fe.mul(t0, t0, v); // v^3
    Fe.sq(w, t0);
    Fe.mul(w, w, v); // v^7
    Fe.mul(w, w, u); // u v^7
    Fe.pow22523(w, w, t1, t2, t3); // (u v^7)^((p-5)/8); pow22523 allows out == z? no: uses z at end
    Fe.mul(w, w, t0);
    Fe.mul(r.x, w, u); // candidate x
    // check v x^2 against u and -u
    Fe.sq(t0, r.x);
    Fe.mul(t0, t0, v);
    Fe.sub(t1, t0, u);
    boolean plain = t1.isZero();
    if (!plain) {
      Fe.add(t1, t0, u);
      if (!t1.isZero()) {
        return false;
      }
      Fe.mul(r.x, r.x, Curve.SQRT_M1);
    }
    if (r.x.isNegative() != sign) {
      Fe.neg(r.x, r.x);
      Fe.weakReduce(r.x);
    }
    Fe.weakReduce(y);
    r.z.one();
    Fe.mul(r.t, r.x, y);
    return true;
  }

  private final Fe u2 = new Fe();
  private final Fe v2 = new Fe();
  private final Fe w2 = new Fe();
  private final Fe s0 = new Fe();
  private final Fe s1 = new Fe();
  private final Fe s2 = new Fe();
  private final Fe s3 = new Fe();

  /**
   * Decodes two encodings at once (same rules and results as two {@link #decompress} calls), with
   * the two square-root exponentiations interleaved. Returns a bit mask: bit 0 set when the first
   * decoded, bit 1 when the second did.
   */
  public int decompressPair(
      ExtendedPoint r1, byte[] b1, int off1, ExtendedPoint r2, byte[] b2, int off2) {
    r1.y.fromBytes(b1, off1);
    r2.y.fromBytes(b2, off2);
    prepareRatio(u, v, w, t0, r1.y);
    prepareRatio(u2, v2, w2, s0, r2.y);
    Fe.pow22523Pair(w, w, w2, w2, t1, t2, t3, s1, s2, s3);
    int ok = finishRatio(r1, b1, off1, u, v, w, t0, t1) ? 1 : 0;
    ok |= finishRatio(r2, b2, off2, u2, v2, w2, s0, s1) ? 2 : 0;
    return ok;
  }

  /**
   * u = y^2 - 1, v = d y^2 + 1, v3 = v^3, w = u v^7 (the input of the exponentiation). y below 2^52
   * (u is weakly reduced, v below 2^51 + 2^14), so the FMA multiplications apply.
   */
  static void prepareRatio(Fe u, Fe v, Fe w, Fe v3, Fe y) {
    Fe.sqFma(u, y);
    Fe.mulFma(v, u, Curve.D);
    Fe.sub(u, u, Curve.ONE);
    Fe.weakReduce(u);
    Fe.add(v, v, Curve.ONE);
    Fe.sqFma(v3, v);
    Fe.mulFma(v3, v3, v);
    Fe.sqFma(w, v3);
    Fe.mulFma(w, w, v);
    Fe.mulFma(w, w, u);
  }

  /**
   * Given w = (u v^7)^((p-5)/8): x = u v^3 w, the square check, sign; fills r (Z = 1). Inputs tight
   * (from {@link #prepareRatio} and the exponentiation).
   */
  static boolean finishRatio(ExtendedPoint r, byte[] b, int off, Fe u, Fe v, Fe w, Fe v3, Fe t) {
    Fe.mulFma(w, w, v3);
    Fe.mulFma(r.x, w, u);
    Fe.sqFma(v3, r.x);
    Fe.mulFma(v3, v3, v);
    Fe.sub(t, v3, u);
    if (!t.isZero()) {
      Fe.add(t, v3, u);
      if (!t.isZero()) {
        return false;
      }
      Fe.mulFma(r.x, r.x, Curve.SQRT_M1);
    }
    int sign = (b[off + 31] >>> 7) & 1;
    if (r.x.isNegative() != sign) {
      Fe.neg(r.x, r.x);
      Fe.weakReduce(r.x);
    }
    Fe.weakReduce(r.y);
    r.z.one();
    Fe.mulFma(r.t, r.x, r.y);
    return true;
  }

  /** Encodes p (RFC 8032 section 5.1.2): y with the parity of x in the top bit. */
  public void encode(byte[] out, int off, ExtendedPoint p) {
    Fe.invert(u, p.z, t0, t1, t2, t3);
    Fe.mul(v, p.x, u);
    Fe.mul(w, p.y, u);
    w.toBytes(out, off);
    out[off + 31] |= (byte) (v.isNegative() << 7);
  }

  /** Whether p is the identity: X = 0 and Y = Z (projectively). */
  public boolean isIdentity(ExtendedPoint p) {
    u.set(p.x);
    if (!u.isZero()) {
      return false;
    }
    Fe.sub(v, p.y, p.z);
    return v.isZero();
  }

  /** Whether [8]p is the identity (the cofactored check); p is left unchanged. */
  public boolean isSmallOrderTimes8Identity(ExtendedPoint p) {
    dbl(tmp, p, false);
    dbl(tmp, tmp, false);
    dbl(tmp, tmp, false);
    return isIdentity(tmp);
  }

  /** Projective equality of two extended points. */
  public boolean equal(ExtendedPoint p, ExtendedPoint q) {
    Fe.mul(u, p.x, q.z);
    Fe.mul(v, q.x, p.z);
    Fe.sub(u, u, v);
    if (!u.isZero()) {
      return false;
    }
    Fe.mul(u, p.y, q.z);
    Fe.mul(v, q.y, p.z);
    Fe.sub(u, u, v);
    return u.isZero();
  }
}
