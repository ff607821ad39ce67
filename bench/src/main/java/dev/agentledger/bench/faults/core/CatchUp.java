package dev.agentledger.bench.faults.core;

import java.util.Locale;

/**
 * How fast a restarted validator caught up, from samples taken while the load ran: its executed
 * commit height and the highest height of the other validators, at the same instants. The window
 * runs from the first sample the restarted validator answered while behind to the first sample at
 * which it had reached the others' height then (or to the last sample, when it never did). Its rate
 * is the commits it executed in the window over the window's length; the cluster's rate is the
 * commits the others added over the same window. A validator that catches up only as fast as the
 * cluster commits never closes the gap; one that reaches it does so at a multiple of that rate.
 *
 * @param samples the samples taken
 * @param windowNs the window's length (0 when the validator was never seen behind)
 * @param victimFrom the restarted validator's height at the window's start
 * @param victimTo its height at the window's end
 * @param clusterFrom the others' highest height at the window's start
 * @param clusterTo the others' highest height at the window's end
 * @param reached whether it reached the others' height within the samples
 */
public record CatchUp(
    int samples,
    long windowNs,
    long victimFrom,
    long victimTo,
    long clusterFrom,
    long clusterTo,
    boolean reached) {

  /**
   * Computes the catch-up from samples at times {@code tNs}: {@code victim[i]} the restarted
   * validator's height ({@code -1} while it does not answer), {@code cluster[i]} the others'
   * highest height. Only the first {@code n} entries are read.
   */
  public static CatchUp of(long[] tNs, long[] victim, long[] cluster, int n) {
    int start = -1;
    for (int i = 0; i < n; i++) {
      if (victim[i] >= 0) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      return new CatchUp(n, 0, -1, -1, -1, -1, false);
    }
    if (victim[start] >= cluster[start]) {
      return new CatchUp(n, 0, victim[start], victim[start], cluster[start], cluster[start], true);
    }
    int end = -1;
    int lastAnswered = start;
    for (int i = start + 1; i < n; i++) {
      if (victim[i] < 0) {
        continue;
      }
      lastAnswered = i;
      if (victim[i] >= cluster[i]) {
        end = i;
        break;
      }
    }
    boolean reached = end >= 0;
    int last = reached ? end : lastAnswered;
    return new CatchUp(
        n,
        tNs[last] - tNs[start],
        victim[start],
        victim[last],
        cluster[start],
        cluster[last],
        reached);
  }

  /** Commits per second the restarted validator executed in the window (0 for an empty one). */
  public double victimRate() {
    return windowNs <= 0 ? 0 : (victimTo - victimFrom) * 1e9 / windowNs;
  }

  /** Commits per second the others added in the same window (0 for an empty one). */
  public double clusterRate() {
    return windowNs <= 0 ? 0 : (clusterTo - clusterFrom) * 1e9 / windowNs;
  }

  /** The restarted validator's rate over the cluster's (infinite when the cluster added none). */
  public double ratio() {
    return victimRate() / clusterRate();
  }

  /** One line for the log and the results table's notes. */
  public String describe() {
    if (victimFrom < 0) {
      return "catch-up: never answered in " + samples + " samples";
    }
    if (windowNs == 0) {
      return String.format(
          Locale.ROOT,
          "catch-up: already at the others' commit %d at its first answer (nothing to measure)",
          clusterFrom);
    }
    String ratio =
        clusterTo == clusterFrom
            ? "the cluster added no commit meanwhile"
            : String.format(Locale.ROOT, "%.1fx the cluster's rate", ratio());
    return String.format(
        Locale.ROOT,
        "catch-up: commits %d..%d in %.1f s = %.2f commits/s, while the cluster went %d..%d ="
            + " %.2f commits/s: %s%s",
        victimFrom,
        victimTo,
        windowNs / 1e9,
        victimRate(),
        clusterFrom,
        clusterTo,
        clusterRate(),
        ratio,
        reached ? "" : " (had not reached the others when sampling stopped)");
  }
}
