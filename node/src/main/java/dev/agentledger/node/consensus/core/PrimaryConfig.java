package dev.agentledger.node.consensus.core;

/**
 * Timing and size knobs of the primary. Times are in milliseconds of the clock the driver passes
 * in.
 *
 * @param leaderTimeoutMs how long to wait for the anchor (even rounds) or its support (odd rounds)
 *     before advancing without it (Bullshark's partially synchronous timeouts)
 * @param resendMs period of re-sending an uncertified own vertex and the latest own certificate
 * @param fetchRetryMs how long before a missing certificate or batch is asked from another peer
 * @param gcDepth rounds kept below the last committed anchor
 * @param reputation reputation-based anchors (false: stake-weighted draw over all)
 * @param reputationWindow commits per reputation window
 * @param maxBatchesPerVertex most batch digests one vertex names
 * @param maxFetchItems most certificates or batches in one fetch response
 */
public record PrimaryConfig(
    long leaderTimeoutMs,
    long resendMs,
    long fetchRetryMs,
    int gcDepth,
    boolean reputation,
    int reputationWindow,
    int maxBatchesPerVertex,
    int maxFetchItems) {
  /** Settings for a LAN cluster and for the simulator. */
  public static PrimaryConfig defaults() {
    return new PrimaryConfig(600, 400, 300, 50, true, 10, 16, 256);
  }
}
