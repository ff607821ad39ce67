package dev.agentledger.node.ingress;

/**
 * What the ingress accepts: this network's chain id and shard, the fee floor, and the timestamp
 * window (a run may not end further than {@code maxFutureNs} ahead of the node's clock, nor have
 * started more than {@code maxAgeNs} before it; 0 disables the age bound).
 */
public record IngressConfig(
    int chainId, int shard, long feeFloor, long maxFutureNs, long maxAgeNs) {
  public static IngressConfig of(int chainId, int shard) {
    return new IngressConfig(chainId, shard, 0, 60_000_000_000L, 0);
  }
}
