package dev.agentledger.bench.archfixture.cycle.left;

import dev.agentledger.bench.archfixture.cycle.right.Right;

/** Planted cycle for {@code NoPackageCyclesTest}: left uses right, right uses left. */
public final class Left {
  public Right partner() {
    return new Right();
  }
}
