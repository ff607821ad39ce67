package dev.agentledger.node.ingress;

import dev.agentledger.node.execution.core.FeeSchedule;

/**
 * What the ingress accepts: this network's chain id and shard, the fee floor, the timestamp window
 * (a run may not end further than {@code maxFutureNs} ahead of the node's clock, nor have started
 * more than {@code maxAgeNs} before it; 0 disables the age bound), and the genesis fee schedule
 * ({@code fees}; null: no fee check), under which a run's fee, computed from its record exactly as
 * execution computes it, must not exceed its {@code max_fee}.
 */
public record IngressConfig(
    int chainId, int shard, long feeFloor, long maxFutureNs, long maxAgeNs, FeeSchedule fees) {
  /** No fee schedule: fees are checked in execution only. */
  public IngressConfig(int chainId, int shard, long feeFloor, long maxFutureNs, long maxAgeNs) {
    this(chainId, shard, feeFloor, maxFutureNs, maxAgeNs, null);
  }

  public static IngressConfig of(int chainId, int shard) {
    return new IngressConfig(chainId, shard, 0, 60_000_000_000L, 0);
  }
}
