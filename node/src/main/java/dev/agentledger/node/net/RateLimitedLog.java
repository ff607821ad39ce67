package dev.agentledger.node.net;

/**
 * At most one log line per interval for a repeating event (accept errors, refused connections): the
 * first event of a quiet spell is reported at once; later ones are counted and reported, with their
 * count, by the first event after the interval. The clock comes in as {@code nowNs}. Thread-safe.
 */
public final class RateLimitedLog {
  private final long intervalNs;
  private long lastLineNs;
  private boolean logged;
  private long suppressed;

  public RateLimitedLog(long intervalNs) {
    if (intervalNs < 1) {
      throw new IllegalArgumentException("interval must be positive");
    }
    this.intervalNs = intervalNs;
  }

  /**
   * Records one event at {@code nowNs}; returns how many events the line to log now reports (this
   * one and those suppressed since the last line), or 0 when nothing is to be logged.
   */
  public synchronized long onEvent(long nowNs) {
    if (!logged || nowNs - lastLineNs >= intervalNs) {
      long count = suppressed + 1;
      suppressed = 0;
      logged = true;
      lastLineNs = nowNs;
      return count;
    }
    suppressed++;
    return 0;
  }
}
