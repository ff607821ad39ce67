package dev.agentledger.node.consensus.core;

/**
 * How long a primary waits for a round's leader (the anchor in an even round, its support in the
 * odd round after), adapted to what the last waits showed: a wait that ran out doubles the timeout
 * (the network or the leader is slower than assumed, as in the exponential back-off of partially
 * synchronous pacemakers), a wait that the leader ended shrinks it by an eighth, never outside
 * {@code [minMs, maxMs]}. With {@code minMs == maxMs} it is the fixed timeout. Pure: the caller
 * says how each wait ended.
 */
public final class LeaderTimeout {
  private final long minMs;
  private final long maxMs;
  private long currentMs;
  private long timeouts;
  private long leaderArrivals;

  /**
   * @param initialMs the first wait; clamped into {@code [minMs, maxMs]}
   * @throws IllegalArgumentException unless {@code 1 <= minMs <= maxMs}
   */
  public LeaderTimeout(long initialMs, long minMs, long maxMs) {
    if (minMs < 1 || maxMs < minMs) {
      throw new IllegalArgumentException(
          "leader timeout bounds need 1 <= min <= max, got " + minMs + ".." + maxMs);
    }
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.currentMs = Math.clamp(initialMs, minMs, maxMs);
  }

  /** A fixed timeout of {@code ms}. */
  public static LeaderTimeout fixed(long ms) {
    return new LeaderTimeout(ms, ms, ms);
  }

  /** The wait now allowed for a leader. */
  public long currentMs() {
    return currentMs;
  }

  /** The leader (or enough of its support) arrived before the timeout: wait a little less. */
  public void onLeaderArrived() {
    leaderArrivals++;
    currentMs = Math.max(minMs, currentMs - currentMs / 8);
  }

  /** The wait ran out without the leader: wait twice as long next time, up to the bound. */
  public void onTimeout() {
    timeouts++;
    currentMs = currentMs > maxMs / 2 ? maxMs : Math.max(minMs, currentMs * 2);
  }

  /** Waits that ran out. */
  public long timeouts() {
    return timeouts;
  }

  /** Waits that the leader ended. */
  public long leaderArrivals() {
    return leaderArrivals;
  }

  public long minMs() {
    return minMs;
  }

  public long maxMs() {
    return maxMs;
  }
}
