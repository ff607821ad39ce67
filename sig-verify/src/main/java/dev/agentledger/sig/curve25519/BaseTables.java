package dev.agentledger.sig.curve25519;

/**
 * Precomputed multiples of the base point B, built once at class initialisation from B itself.
 *
 * <ul>
 *   <li>{@link #ODD}: B, 3B, 5B, ..., 127B (affine Niels) for the width-8 NAF of S in verification.
 *   <li>{@link #ODD_HIGH}: the same odd multiples of 2^128 B, so that a 253-bit scalar on B runs
 *       over a 128-step doubling chain (digits at position i >= 128 use ODD_HIGH at i - 128).
 *   <li>{@link #FIXED}: FIXED[i][j] = (j + 1) 16^i B for i < 64, j < 8: signing adds one entry per
 *       signed radix-16 digit, chosen by a constant-time scan of the eight entries.
 * </ul>
 */
public final class BaseTables {
  static final ExtendedPoint BASE = new ExtendedPoint();
  static final NielsPoint BASE_NIELS = new NielsPoint();
  static final NielsPoint[] ODD = new NielsPoint[64];
  static final NielsPoint[] ODD_HIGH = new NielsPoint[64];
  static final NielsPoint[][] FIXED = new NielsPoint[64][8];

  static {
    PointOps ops = new PointOps();
    BASE.x.set(Curve.fe(Curve.BASE_X));
    BASE.y.set(Curve.fe(Curve.BASE_Y));
    BASE.z.one();
    Fe.mul(BASE.t, BASE.x, BASE.y);
    ops.nielsFromAffine(BASE_NIELS, BASE.x, BASE.y);

    oddMultiples(ops, BASE, ODD);
    ExtendedPoint high = new ExtendedPoint().set(BASE);
    for (int i = 0; i < 128; i++) {
      ops.dbl(high, high, true);
    }
    oddMultiples(ops, high, ODD_HIGH);

    ExtendedPoint row = new ExtendedPoint().set(BASE);
    CachedPoint rowCached = new CachedPoint();
    for (int i = 0; i < 64; i++) {
      ops.toCached(rowCached, row);
      ExtendedPoint multiple = new ExtendedPoint().set(row);
      for (int j = 0; j < 8; j++) {
        FIXED[i][j] = new NielsPoint();
        ops.toNiels(FIXED[i][j], multiple);
        ops.add(multiple, multiple, rowCached, true);
      }
      for (int k = 0; k < 4; k++) {
        ops.dbl(row, row, true);
      }
    }
  }

  private BaseTables() {}

  /** out[i] = (2i + 1) p in affine Niels form. */
  private static void oddMultiples(PointOps ops, ExtendedPoint p, NielsPoint[] out) {
    ExtendedPoint twice = new ExtendedPoint();
    ops.dbl(twice, p, true);
    CachedPoint twiceCached = new CachedPoint();
    ops.toCached(twiceCached, twice);
    ExtendedPoint acc = new ExtendedPoint().set(p);
    for (int i = 0; i < out.length; i++) {
      out[i] = new NielsPoint();
      ops.toNiels(out[i], acc);
      ops.add(acc, acc, twiceCached, true);
    }
  }

  /** A copy of the base point in extended coordinates. */
  public static ExtendedPoint base() {
    return new ExtendedPoint().set(BASE);
  }

  /** The base point in affine Niels form (shared; do not modify). */
  public static NielsPoint baseNiels() {
    return BASE_NIELS;
  }
}
