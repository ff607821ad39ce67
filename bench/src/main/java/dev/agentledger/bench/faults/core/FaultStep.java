package dev.agentledger.bench.faults.core;

import java.util.List;

/**
 * One scheduled fault: what, and which validators it hits (committee indices; empty where the fault
 * hits the cluster as a whole, as overload does).
 */
public record FaultStep(FaultKind kind, List<Integer> victims) {
  public FaultStep {
    victims = List.copyOf(victims);
  }

  /** The scenario label of the results table, e.g. {@code kill-two v1,v3}. */
  public String label() {
    if (victims.isEmpty()) {
      return kind.cliName();
    }
    StringBuilder s = new StringBuilder(kind.cliName()).append(' ');
    for (int i = 0; i < victims.size(); i++) {
      s.append(i == 0 ? "" : ",").append('v').append(victims.get(i));
    }
    return s.toString();
  }
}
