package dev.agentledger.sig.curve25519;

/**
 * Precomputed multiples of the base point B, built once at class initialisation from B itself.
 *
 * <ul>
 *   <li>{@link #ODD}: B, 3B, 5B, ..., 127B (affine Niels) for the width-8 NAF of S in verification.
 *   <li>{@link #FIXED}: FIXED[i][j] = (j + 1) 16^i B for i < 64, j < 8: signing adds one entry per
 *       signed radix-16 digit, chosen by a constant-time scan of the eight entries.
 * </ul>
 */
public final class BaseTables {
  static final ExtendedPoint BASE = new ExtendedPoint();
  static final NielsPoint BASE_NIELS = new NielsPoint();
  static final NielsPoint[] ODD = new NielsPoint[64];
  static final NielsPoint[][] FIXED = new NielsPoint[64][8];

  static {
    PointOps ops = new PointOps();
    BASE.x.set(Curve.fe(Curve.BASE_X));
    BASE.y.set(Curve.fe(Curve.BASE_Y));
    BASE.z.one();
    Fe.mul(BASE.t, BASE.x, BASE.y);
    ops.nielsFromAffine(BASE_NIELS, BASE.x, BASE.y);

    ExtendedPoint twice = new ExtendedPoint();
    ops.dbl(twice, BASE, true);
    CachedPoint twiceCached = new CachedPoint();
    ops.toCached(twiceCached, twice);
    ExtendedPoint acc = new ExtendedPoint().set(BASE);
    for (int i = 0; i < 64; i++) {
      ODD[i] = new NielsPoint();
      ops.toNiels(ODD[i], acc);
      ops.add(acc, acc, twiceCached, true);
    }

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

  /** A copy of the base point in extended coordinates. */
  public static ExtendedPoint base() {
    return new ExtendedPoint().set(BASE);
  }

  /** The base point in affine Niels form (shared; do not modify). */
  public static NielsPoint baseNiels() {
    return BASE_NIELS;
  }
}
