package dev.agentledger.node.sim;

import dev.agentledger.node.consensus.core.PrimaryConfig;
import java.util.EnumSet;

/**
 * One simulation's parameters.
 *
 * @param validators committee size
 * @param byzantine Byzantine validators (their stake stays under 1/3)
 * @param faults faults to inject
 * @param durationMs simulated time
 * @param healAtMs network and crash faults stop here; liveness is required after it
 * @param minCommitsAfterHeal commits every honest validator must make after the heal
 * @param realSignatures Ed25519 instead of the fake scheme
 * @param primary the primaries' configuration
 */
public record SimConfig(
    int validators,
    int byzantine,
    EnumSet<Fault> faults,
    long durationMs,
    long healAtMs,
    int minCommitsAfterHeal,
    boolean realSignatures,
    PrimaryConfig primary) {
  public SimConfig {
    faults = faults.clone();
    if (validators < 1) {
      throw new IllegalArgumentException("at least one validator");
    }
    if (byzantine < 0 || 3 * byzantine >= validators) {
      throw new IllegalArgumentException(
          "byzantine validators must be fewer than a third: " + byzantine + " of " + validators);
    }
    if (healAtMs >= durationMs) {
      throw new IllegalArgumentException("heal time must come before the end");
    }
  }

  public static SimConfig of(int validators, int byzantine, EnumSet<Fault> faults) {
    return new SimConfig(
        validators, byzantine, faults, 20_000, 12_000, 3, false, PrimaryConfig.defaults());
  }

  public SimConfig withDuration(long durationMs, long healAtMs) {
    return new SimConfig(
        validators,
        byzantine,
        faults,
        durationMs,
        healAtMs,
        minCommitsAfterHeal,
        realSignatures,
        primary);
  }

  public SimConfig withRealSignatures(boolean real) {
    return new SimConfig(
        validators, byzantine, faults, durationMs, healAtMs, minCommitsAfterHeal, real, primary);
  }

  public SimConfig withPrimary(PrimaryConfig p) {
    return new SimConfig(
        validators,
        byzantine,
        faults,
        durationMs,
        healAtMs,
        minCommitsAfterHeal,
        realSignatures,
        p);
  }
}
