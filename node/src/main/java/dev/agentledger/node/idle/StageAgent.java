package dev.agentledger.node.idle;

import java.util.Objects;
import org.agrona.concurrent.Agent;

/**
 * One stage's agent as its owner hands it to whoever runs it: the duty cycle, the idle strategy its
 * producers wake, and the lane that says which agents it may share a thread with.
 *
 * @param agent the duty cycle ({@code doWork} returns the work done; 0 lets the thread idle)
 * @param idle how the agent waits; its producers call {@link ParkingIdleStrategy#wake()}
 * @param lane the group of agents one shared thread may run together
 */
public record StageAgent(Agent agent, ParkingIdleStrategy idle, Lane lane) {
  /** Which agents may run on one thread. */
  public enum Lane {
    /**
     * Verification: an agent of this lane may wait inside its duty cycle while its output ring is
     * full, so it never shares a thread with that ring's consumer.
     */
    VERIFY,
    /**
     * Everything else (worker, consensus primary, execution, commit feed): duty cycles that never
     * wait for another agent.
     */
    PIPELINE
  }

  public StageAgent {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(idle, "idle");
    Objects.requireNonNull(lane, "lane");
  }

  /** The agent's role name (its thread's name when it runs on a thread of its own). */
  public String roleName() {
    return agent.roleName();
  }
}
