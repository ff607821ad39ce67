package dev.agentledger.node.consensus.core;

/**
 * Which validator's vertex is the anchor of an even round: reputation-based, as in Shoal and
 * HammerHead. The schedule is a deterministic function of the committed sequence only, so all
 * honest validators agree on it: every {@code windowAnchors} commits, each validator's score is
 * the number of its certificates in the commits of the window; validators scoring under 3/4 of the
 * best are excluded from anchor slots (lowest first, at most 1/3 of the stake excluded, so a
 * Byzantine minority cannot exclude honest validators wholesale). Among the eligible validators
 * the anchor of round r is drawn with probability proportional to stake, by a hash of
 * (schedule version, r). A new schedule applies to rounds after the commit that produced it.
 */
public final class LeaderSchedule {
  private final Committee committee;
  private final int windowAnchors;
  private final boolean reputation;
  private final long[] scores;
  private final boolean[] eligible;
  private final long[] cumulative;
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
    this.cumulative = new long[n];
    java.util.Arrays.fill(eligible, true);
    rebuildCumulative();
  }

  /** The anchor author of {@code round}, or -1 for odd rounds (which have no anchor). */
  public int leader(long round) {
    if ((round & 1) != 0 || round < 0) {
      return -1;
    }
    long total = cumulative[cumulative.length - 1];
    long pick = Long.remainderUnsigned(mix(version * 0x9E3779B97F4A7C15L + round), total);
    for (int i = 0; i < cumulative.length; i++) {
      if (pick < cumulative[i]) {
        return i;
      }
    }
    throw new IllegalStateException("unreachable");
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
    java.util.Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Long.compare(scores[a], scores[b]) : Integer.compare(a, b));
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
    rebuildCumulative();
    return true;
  }

  public long version() {
    return version;
  }

  public boolean isEligible(int validator) {
    return eligible[validator];
  }

  private void rebuildCumulative() {
    long sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      if (eligible[i]) {
        sum += committee.stake(i);
      }
      cumulative[i] = sum;
    }
  }

  /** SplitMix64 finalizer: a fixed, portable bit mixer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
