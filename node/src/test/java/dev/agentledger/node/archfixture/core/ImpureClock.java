package dev.agentledger.node.archfixture.core;

/** A deliberately impure "core" class: the architecture test must flag it. Test sources only. */
final class ImpureClock {
  long now() {
    return System.nanoTime();
  }

  void spawn() {
    new Thread(() -> {}).start();
  }
}
