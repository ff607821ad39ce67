package dev.agentledger.node.sim;

import dev.agentledger.node.committee.Committee;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How a simulation picks its Byzantine validators and what each of them does, shared by the
 * consensus simulator and the whole-validator one. Every choice draws from the simulation's one
 * seeded generator, in a fixed order, so a seed replays to the same committee.
 */
public final class Byzantine {
  private Byzantine() {}

  /**
   * {@code count} distinct validators drawn at random.
   *
   * @throws IllegalStateException when their stake is not under a third of the committee's
   */
  public static boolean[] choose(Committee committee, int count, SplittableRandom random) {
    int n = committee.size();
    boolean[] byzantine = new boolean[n];
    long stake = 0;
    for (int chosen = 0; chosen < count; ) {
      int v = random.nextInt(n);
      if (!byzantine[v]) {
        byzantine[v] = true;
        stake += committee.stake(v);
        chosen++;
      }
    }
    if (stake > committee.maxFaultyStake()) {
      throw new IllegalStateException(
          "Byzantine stake " + stake + " is not under 1/3 of " + committee.totalStake());
    }
    return byzantine;
  }

  /** The Byzantine kinds among {@code faults}. */
  public static EnumSet<Fault> enabled(Set<Fault> faults) {
    EnumSet<Fault> enabled = EnumSet.copyOf(Fault.BYZANTINE);
    enabled.retainAll(faults);
    return enabled;
  }

  /**
   * One Byzantine validator's behaviours: each enabled kind with probability 0.7, and one of them
   * when the draw picked none; empty (a mute validator) only when no kind is enabled.
   */
  public static EnumSet<Fault> behaviours(EnumSet<Fault> enabled, SplittableRandom random) {
    EnumSet<Fault> behaviours = EnumSet.noneOf(Fault.class);
    for (Fault f : enabled) {
      if (random.nextDouble() < 0.7) {
        behaviours.add(f);
      }
    }
    if (behaviours.isEmpty() && !enabled.isEmpty()) {
      behaviours.add(enabled.stream().toList().get(random.nextInt(enabled.size())));
    }
    return behaviours;
  }

  /** Appends {@code byz<i>[kind+kind] } (or {@code [mute]}) to a seed's fault log. */
  public static void describe(StringBuilder log, int validator, EnumSet<Fault> behaviours) {
    log.append("byz")
        .append(validator)
        .append(
            behaviours.isEmpty()
                ? "[mute]"
                : behaviours.toString().toLowerCase(Locale.ROOT).replace(", ", "+"))
        .append(' ');
  }

  /**
   * Marks the peers a withholding validator never sends to: {@code max(1, byzantineCount)} draws, a
   * draw of itself marking none.
   */
  public static void withhold(
      boolean[] withheld, int self, int byzantineCount, SplittableRandom random) {
    for (int k = 0; k < Math.max(1, byzantineCount); k++) {
      int peer = random.nextInt(withheld.length);
      if (peer != self) {
        withheld[peer] = true;
      }
    }
  }

  /**
   * Adds {@code vote} to a twin vertex's {@code votes} (by voter; a repeated voter is ignored) and
   * tells whether this vote made them cross the committee's quorum: the moment a Byzantine author
   * can certify its twin.
   */
  public static boolean crossesQuorum(
      Committee committee,
      java.util.Map<Integer, dev.agentledger.node.consensus.core.Vote> votes,
      dev.agentledger.node.consensus.core.Vote vote) {
    if (votes.putIfAbsent(vote.voter(), vote) != null) {
      return false;
    }
    long stake = 0;
    for (int voter : votes.keySet()) {
      stake += committee.stake(voter);
    }
    return stake >= committee.quorumThreshold()
        && stake - committee.stake(vote.voter()) < committee.quorumThreshold();
  }
}
