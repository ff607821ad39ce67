package dev.agentledger.node.execution.state;

/**
 * A read or proof of a state version older than the retention horizon: the version was pruned (or
 * precedes the node's last restart). Queries answer "pruned" with {@link #horizon()}.
 */
public final class PrunedStateException extends RuntimeException {
  private final long version;
  private final long horizon;

  public PrunedStateException(long version, long horizon) {
    super("state version " + version + " is pruned; the oldest retained is " + horizon);
    this.version = version;
    this.horizon = horizon;
  }

  public long version() {
    return version;
  }

  /** The oldest state version still readable and provable. */
  public long horizon() {
    return horizon;
  }
}
