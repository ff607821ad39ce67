package dev.agentledger.node.mempool.core;

/**
 * Bounds and rates of a {@link Mempool}. Rates are transactions per second with a burst size (token
 * buckets); a rate of 0 disables that limit. Per-address buckets are indexed by the remote-address
 * hash of a client connection, folded onto {@code addressSlots} buckets (addresses that fold onto
 * one bucket share it).
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
    long perConnectionBurst,
    int addressSlots,
    long perAddressRatePerSec,
    long perAddressBurst) {
  public MempoolConfig {
    if (capacity < 1
        || perAgentCapacity < 1
        || maxNonceGap < 1
        || maxAgents < 1
        || connectionSlots < 1
        || addressSlots < 1) {
      throw new IllegalArgumentException("mempool bounds must be positive");
    }
    if (Integer.bitCount(connectionSlots) != 1 || Integer.bitCount(addressSlots) != 1) {
      throw new IllegalArgumentException("connectionSlots and addressSlots must be powers of two");
    }
  }

  /** Without a per-address limit. */
  public MempoolConfig(
      int capacity,
      int perAgentCapacity,
      int maxNonceGap,
      int maxAgents,
      long perAgentRatePerSec,
      long perAgentBurst,
      int connectionSlots,
      long perConnectionRatePerSec,
      long perConnectionBurst) {
    this(
        capacity,
        perAgentCapacity,
        maxNonceGap,
        maxAgents,
        perAgentRatePerSec,
        perAgentBurst,
        connectionSlots,
        perConnectionRatePerSec,
        perConnectionBurst,
        1,
        0,
        0);
  }

  public static MempoolConfig defaults() {
    return new MempoolConfig(200_000, 1024, 256, 1 << 20, 0, 0, 1024, 0, 0);
  }
}
