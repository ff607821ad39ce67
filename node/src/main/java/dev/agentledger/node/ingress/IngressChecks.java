package dev.agentledger.node.ingress;

import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunError;
import dev.agentledger.node.tx.AgentRunFlyweight;

/**
 * The cheap checks every transaction passes before its signature is verified, cheapest first:
 * version, chain id, shard, fee floor, field validation, timestamps. Pure; no allocation.
 */
public final class IngressChecks {
  private final IngressConfig config;

  public IngressChecks(IngressConfig config) {
    this.config = config;
  }

  public IngressConfig config() {
    return config;
  }

  /**
   * @param nowUnixNs the node's wall clock in unix nanoseconds
   * @return {@link TxStatus#ACCEPTED} when the record may go on to signature verification
   */
  public TxStatus check(AgentRunFlyweight run, long nowUnixNs) {
    if (run.version() != AgentRunDescriptor.VERSION_1) {
      return TxStatus.MALFORMED;
    }
    if (run.chainId() != config.chainId()) {
      return TxStatus.WRONG_CHAIN;
    }
    if (run.shardHint() != config.shard()) {
      return TxStatus.WRONG_SHARD;
    }
    if (Long.compareUnsigned(run.maxFee(), config.feeFloor()) < 0) {
      return TxStatus.FEE_TOO_LOW;
    }
    if (run.validate() != AgentRunError.NONE) {
      return TxStatus.MALFORMED;
    }
    long ended = run.endedAt();
    if (ended < 0 || ended - nowUnixNs > config.maxFutureNs()) {
      return TxStatus.BAD_TIMESTAMP;
    }
    long started = run.startedAt();
    if (config.maxAgeNs() > 0 && nowUnixNs - started > config.maxAgeNs()) {
      return TxStatus.BAD_TIMESTAMP;
    }
    return TxStatus.ACCEPTED;
  }
}
