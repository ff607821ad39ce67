package dev.agentledger.bench.archfixture.cycle.right;

import dev.agentledger.bench.archfixture.cycle.left.Left;

/** Planted cycle for {@code NoPackageCyclesTest}: right uses left back. */
public final class Right {
  public Left partner() {
    return new Left();
  }
}
