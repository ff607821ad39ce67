package dev.agentledger.sig.curve25519;

/**
 * An affine point prepared for mixed addition: (y + x, y - x, 2dxy) with Z = 1 (the "Niels" form of
 * ref10-style implementations). Adding it to an extended point costs 7 multiplications; the
 * identity is (1, 1, 0). Decompressed points are affine already, so batch verification turns each
 * decompressed A and R into this form for two multiplications.
 */
public final class NielsPoint {
  final Fe yPlusX = new Fe();
  final Fe yMinusX = new Fe();
  final Fe xy2d = new Fe();

  public NielsPoint() {
    identity();
  }

  public NielsPoint identity() {
    yPlusX.one();
    yMinusX.one();
    xy2d.zero();
    return this;
  }

  public NielsPoint set(NielsPoint p) {
    yPlusX.set(p.yPlusX);
    yMinusX.set(p.yMinusX);
    xy2d.set(p.xy2d);
    return this;
  }

  /** Constant time: this = p where mask is all ones. */
  void cmov(NielsPoint p, long mask) {
    yPlusX.cmov(p.yPlusX, mask);
    yMinusX.cmov(p.yMinusX, mask);
    xy2d.cmov(p.xy2d, mask);
  }
}
