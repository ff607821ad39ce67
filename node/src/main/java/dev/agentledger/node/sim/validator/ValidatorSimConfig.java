package dev.agentledger.node.sim.validator;

import dev.agentledger.node.sim.Fault;
import java.util.EnumSet;

/**
 * One whole-validator simulation's parameters ({@link ValidatorSimulator}).
 *
 * @param validators committee size
 * @param byzantine Byzantine validators (their stake stays under 1/3)
 * @param faults faults to inject ({@link Fault}; {@code CRASH} stops a whole validator and starts
 *     it again from its store)
 * @param durationMs simulated time
 * @param healAtMs network and crash faults stop here; every crashed validator is running again
 * @param clientsStopMs clients submit no new runs from here (they still retry what is pending), so
 *     that the rest of the run drains
 * @param agents signing agents submitting runs, each to one honest validator
 * @param verifyThreads verify agents per validator (0: the worker agent verifies inline)
 */
public record ValidatorSimConfig(
    int validators,
    int byzantine,
    EnumSet<Fault> faults,
    long durationMs,
    long healAtMs,
    long clientsStopMs,
    int agents,
    int verifyThreads) {
  public ValidatorSimConfig {
    faults = faults.clone();
    if (validators < 1 || validators > 64) {
      throw new IllegalArgumentException("validators must be 1..64: " + validators);
    }
    if (byzantine < 0 || 3 * byzantine >= validators) {
      throw new IllegalArgumentException(
          "byzantine validators must be fewer than a third: " + byzantine + " of " + validators);
    }
    if (healAtMs <= 0 || healAtMs >= durationMs) {
      throw new IllegalArgumentException("the heal time must lie between 0 and the duration");
    }
    if (clientsStopMs < healAtMs || clientsStopMs >= durationMs) {
      throw new IllegalArgumentException(
          "clients must stop between the heal time and the duration");
    }
    if (agents < 1 || verifyThreads < 0) {
      throw new IllegalArgumentException("at least one agent, and 0 or more verify threads");
    }
  }

  /**
   * {@code validators} with {@code byzantine} of them Byzantine and {@code faults}: 8 simulated
   * seconds, faults until 2 s, submissions until 2.5 s, one agent per validator, inline
   * verification. The 5.5 s after the last submission cover the validator's own timers after a heal
   * (a worker resends an unacknowledged batch after 1 s, a leader times out after 600 ms) and a
   * restarted validator's catch-up; idle simulated time costs little.
   */
  public static ValidatorSimConfig of(int validators, int byzantine, EnumSet<Fault> faults) {
    return new ValidatorSimConfig(
        validators, byzantine, faults, 8_000, 2_000, 2_500, validators, 0);
  }

  public ValidatorSimConfig withDuration(long durationMs, long healAtMs, long clientsStopMs) {
    return new ValidatorSimConfig(
        validators, byzantine, faults, durationMs, healAtMs, clientsStopMs, agents, verifyThreads);
  }

  public ValidatorSimConfig withVerifyThreads(int threads) {
    return new ValidatorSimConfig(
        validators, byzantine, faults, durationMs, healAtMs, clientsStopMs, agents, threads);
  }
}
