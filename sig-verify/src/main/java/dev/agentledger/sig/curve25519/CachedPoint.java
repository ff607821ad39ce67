package dev.agentledger.sig.curve25519;

/**
 * A point prepared as the second operand of an addition: (Y + X, Y - X, 2Z, 2dT). Adding it to an
 * extended point costs 8 multiplications; negating it swaps the first two and negates the last.
 */
public final class CachedPoint {
  final Fe yPlusX = new Fe();
  final Fe yMinusX = new Fe();
  final Fe z2 = new Fe();
  final Fe t2d = new Fe();
}
