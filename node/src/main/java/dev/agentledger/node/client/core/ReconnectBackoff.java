package dev.agentledger.node.client.core;

/**
 * When a lane whose connection is lost tries to connect again: after each failed attempt it pauses,
 * starting at a base pause that doubles per attempt up to a cap, and it keeps trying for a bounded
 * time or, with {@link #UNTIL_CLOSED}, until its owner stops it. A new loss starts a new round at
 * the base pause. The clock comes in as {@code nowNs}; one instance belongs to one lane's thread.
 */
public final class ReconnectBackoff {
  /** Try again for as long as the lane runs. */
  public static final long UNTIL_CLOSED = Long.MAX_VALUE;

  private final long basePauseNs;
  private final long maxPauseNs;
  private final long tryForNs;
  private long lostAtNs;
  private long nextPauseNs;
  private long attempts;

  /**
   * @param basePauseNs pause after the first failed attempt of a round
   * @param maxPauseNs longest pause between two attempts
   * @param tryForNs how long a round tries after its loss (0: no attempt at all; {@link
   *     #UNTIL_CLOSED}: no limit)
   */
  public ReconnectBackoff(long basePauseNs, long maxPauseNs, long tryForNs) {
    if (basePauseNs <= 0 || maxPauseNs < basePauseNs || tryForNs < 0) {
      throw new IllegalArgumentException(
          "need 0 < base pause <= max pause and a try time >= 0: "
              + basePauseNs
              + ", "
              + maxPauseNs
              + ", "
              + tryForNs);
    }
    this.basePauseNs = basePauseNs;
    this.maxPauseNs = maxPauseNs;
    this.tryForNs = tryForNs;
    this.nextPauseNs = basePauseNs;
  }

  /** The connection was lost at {@code nowNs}: a new round, from the base pause. */
  public void lost(long nowNs) {
    lostAtNs = nowNs;
    nextPauseNs = basePauseNs;
  }

  /** Whether a round makes any attempt at all. */
  public boolean tries() {
    return tryForNs > 0;
  }

  /**
   * An attempt failed at {@code nowNs}: the pause before the next one, or -1 when the round's time
   * is up and the lane gives up.
   */
  public long failed(long nowNs) {
    attempts++;
    if (tryForNs == 0 || (tryForNs != UNTIL_CLOSED && nowNs - lostAtNs >= tryForNs)) {
      return -1;
    }
    long pause = nextPauseNs;
    nextPauseNs = Math.min(nextPauseNs * 2, maxPauseNs);
    return pause;
  }

  /** Failed attempts over every round. */
  public long attempts() {
    return attempts;
  }
}
