package dev.agentledger.node.health;

/** What a node answers on {@code /health} (liveness) and {@code /ready} (readiness). */
public interface NodeHealth {
  /** Whether the process should be left running: its agents run and its storage takes writes. */
  HealthReport liveness();

  /** Whether the node should be sent work: live, linked to a quorum, caught up, not overloaded. */
  HealthReport readiness();
}
