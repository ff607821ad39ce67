package dev.agentledger.node.consensus.core;

import dev.agentledger.node.committee.Committee;

/**
 * Which validator's vertex is the anchor of an even round: reputation-based, as in Shoal and
 * HammerHead. The schedule is a deterministic function of the committed sequence only, so all
 * honest validators agree on it: every {@code windowAnchors} commits, each validator's score is the
 * number of its certificates in the commits of the window; validators scoring under 3/4 of the best
 * are excluded from anchor slots (lowest first, at most 1/3 of the stake excluded, so a Byzantine
 * minority cannot exclude honest validators wholesale). The eligible validators take the anchor
 * slots in a smooth weighted round-robin (weights proportional to stake, so a validator's slots are
 * evenly spread and any window of n consecutive anchors holds at most about f faulty ones, which is
 * what Bullshark's liveness after GST needs); each schedule version starts the cycle at an offset
 * drawn from a hash of the version. A new schedule applies to rounds after the commit that produced
 * it.
 */
public final class LeaderSchedule {
  private final Committee committee;
  private final int windowAnchors;
  private final boolean reputation;
  private final long[] scores;
  private final boolean[] eligible;
  private int[] slots = new int[0];
  private long offset;
  private long version;
  private int anchorsInWindow;

  /**
   * @param reputation false: stake-weighted draw over all validators, never changing
   * @param windowAnchors commits per reputation window
   */
  public LeaderSchedule(Committee committee, boolean reputation, int windowAnchors) {
    if (windowAnchors < 1) {
      throw new IllegalArgumentException("window must be at least 1 commit");
    }
    this.committee = committee;
    this.reputation = reputation;
    this.windowAnchors = windowAnchors;
    int n = committee.size();
    this.scores = new long[n];
    this.eligible = new boolean[n];
    java.util.Arrays.fill(eligible, true);
    rebuildSlots();
  }

  /** The anchor author of {@code round}, or -1 for odd rounds (which have no anchor). */
  public int leader(long round) {
    if ((round & 1) != 0 || round < 0) {
      return -1;
    }
    return slots[(int) Long.remainderUnsigned(round / 2 + offset, slots.length)];
  }

  /** Folds one commit into the scores; returns true if the schedule changed (new version). */
  public boolean onCommitted(CommittedSubDag subDag) {
    if (!reputation) {
      return false;
    }
    for (Certificate c : subDag.certificates()) {
      scores[c.author()]++;
    }
    if (++anchorsInWindow < windowAnchors) {
      return false;
    }
    int n = committee.size();
    long best = 0;
    for (long s : scores) {
      best = Math.max(best, s);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        (a, b) ->
            scores[a] != scores[b] ? Long.compare(scores[a], scores[b]) : Integer.compare(a, b));
    java.util.Arrays.fill(eligible, true);
    long excluded = 0;
    for (int v : order) {
      long stake = committee.stake(v);
      if (4 * scores[v] >= 3 * best || excluded + stake > committee.maxFaultyStake()) {
        break;
      }
      eligible[v] = false;
      excluded += stake;
    }
    java.util.Arrays.fill(scores, 0);
    anchorsInWindow = 0;
    version++;
    rebuildSlots();
    return true;
  }

  public long version() {
    return version;
  }

  public boolean isEligible(int validator) {
    return eligible[validator];
  }

  /**
   * Smooth weighted round-robin (each step every eligible validator gains its weight, the largest
   * current value takes the slot and pays back the total) over weights scaled to about 1000 slots.
   */
  private void rebuildSlots() {
    int n = committee.size();
    long eligibleStake = 0;
    for (int i = 0; i < n; i++) {
      if (eligible[i]) {
        eligibleStake += committee.stake(i);
      }
    }
    long[] weight = new long[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      if (eligible[i]) {
        weight[i] = Math.max(1, committee.stake(i) * 1000 / eligibleStake);
        total += weight[i];
      }
    }
    slots = new int[(int) total];
    long[] current = new long[n];
    for (int k = 0; k < slots.length; k++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (eligible[i]) {
          current[i] += weight[i];
          if (best < 0 || current[i] > current[best]) {
            best = i;
          }
        }
      }
      current[best] -= total;
      slots[k] = best;
    }
    offset = Long.remainderUnsigned(mix(version * 0x9E3779B97F4A7C15L + 1), slots.length);
  }

  /** SplitMix64 finalizer: a fixed, portable bit mixer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
