package dev.agentledger.node.runtime;

import java.util.Locale;

/** How a validator's agents are placed on threads ({@code node run --threading}). */
public enum ThreadingMode {
  /** One thread per agent, each with its own idle strategy: the most parallel, for bare metal. */
  DEDICATED,
  /**
   * One thread per lane: the verify agents on one, the worker, primary, execution and feed agents
   * in turn on another (an Agrona {@code CompositeAgent} with one idle strategy that any member's
   * producer wakes): fewer threads and wake-ups, for small or shared machines.
   */
  SHARED,
  /**
   * No agent thread: the caller drives every agent's duty cycle ({@link AgentHost#invoke()}), for
   * deterministic tests and the simulator.
   */
  INVOKER;

  /** The configuration and flag spelling: {@code dedicated}, {@code shared}, {@code invoker}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code dedicated}, {@code shared} or {@code invoker} (any case).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static ThreadingMode parse(String text) {
    for (ThreadingMode m : values()) {
      if (m.configName().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "threading mode '" + text + "' is not one of dedicated, shared, invoker");
  }
}
