package dev.agentledger.node.mempool.core;

/**
 * Bounds and rates of a {@link Mempool}. Rates are transactions per second with a burst size (token
 * buckets); a rate of 0 disables that limit.
 */
public record MempoolConfig(
    int capacity,
    int perAgentCapacity,
    int maxNonceGap,
    int maxAgents,
    long perAgentRatePerSec,
    long perAgentBurst,
    int connectionSlots,
    long perConnectionRatePerSec,
    long perConnectionBurst) {
  public MempoolConfig {
    if (capacity < 1
        || perAgentCapacity < 1
        || maxNonceGap < 1
        || maxAgents < 1
        || connectionSlots < 1) {
      throw new IllegalArgumentException("mempool bounds must be positive");
    }
    if (Integer.bitCount(connectionSlots) != 1) {
      throw new IllegalArgumentException("connectionSlots must be a power of two");
    }
  }

  public static MempoolConfig defaults() {
    return new MempoolConfig(200_000, 1024, 256, 1 << 20, 0, 0, 1024, 0, 0);
  }
}
