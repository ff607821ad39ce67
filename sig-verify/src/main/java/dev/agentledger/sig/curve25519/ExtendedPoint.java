package dev.agentledger.sig.curve25519;

/**
 * A point of edwards25519 in extended coordinates (X : Y : Z : T) with x = X/Z, y = Y/Z, xy = T/Z
 * (Hisil, Wong, Carter, Dawson, "Twisted Edwards Curves Revisited", ASIACRYPT 2008, section 3).
 * Mutable; owned by one thread.
 */
public final class ExtendedPoint {
  final Fe x = new Fe();
  final Fe y = new Fe();
  final Fe z = new Fe();
  final Fe t = new Fe();

  public ExtendedPoint() {
    identity();
  }

  public ExtendedPoint identity() {
    x.zero();
    y.one();
    z.one();
    t.zero();
    return this;
  }

  public ExtendedPoint set(ExtendedPoint p) {
    x.set(p.x);
    y.set(p.y);
    z.set(p.z);
    t.set(p.t);
    return this;
  }
}
