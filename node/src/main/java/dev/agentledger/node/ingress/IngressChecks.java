package dev.agentledger.node.ingress;

import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AccountOpDescriptor;
import dev.agentledger.node.tx.AccountOpFlyweight;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunError;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.TransactionSlot;
import org.agrona.DirectBuffer;

/**
 * The cheap checks every transaction passes before its signature is verified, cheapest first:
 * version, chain id, shard, fee floor, field validation, usage fields (each below 2^63, else {@code
 * USAGE_OUT_OF_RANGE}), the fee under the genesis schedule against {@code max_fee} ({@code
 * FEE_EXCEEDS_MAX_FEE}; a fee that overflows 64 bits is {@code USAGE_OUT_OF_RANGE}), timestamps.
 * The usage and fee checks are {@code LedgerExecutor}'s, made before ordering, so a run that would
 * only fail in execution costs the network nothing. Account operations ({@link #checkAccountOp})
 * get the same checks where they apply: version, chain, shard, fee floor, field validation (with a
 * zero slot tail), and the operation fee against {@code max_fee}; they carry no timestamps. Pure;
 * no allocation.
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
    FeeSchedule fees = config.fees();
    if (fees != null) {
      long in = run.inputTokens();
      long out = run.outputTokens();
      long compute = run.computeMs();
      long gpu = run.gpuMs();
      if ((in | out | compute | gpu | run.peakMemoryBytes()) < 0) {
        return TxStatus.USAGE_OUT_OF_RANGE;
      }
      long fee = fees.runFee(AgentRunDescriptor.ENCODED_LENGTH, in, out, compute, gpu);
      if (fee == FeeSchedule.OVERFLOW) {
        return TxStatus.USAGE_OUT_OF_RANGE;
      }
      if (Long.compareUnsigned(fee, run.maxFee()) > 0) {
        return TxStatus.FEE_EXCEEDS_MAX_FEE;
      }
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

  /**
   * The cheap checks of the account operation in the slot at {@code buffer[offset]} ({@link
   * TransactionSlot#isAccountOp} is true).
   *
   * @param slot the caller's (thread-confined) slot reader
   * @return {@link TxStatus#ACCEPTED} when the operation may go on to signature verification
   */
  public TxStatus checkAccountOp(TransactionSlot slot, DirectBuffer buffer, int offset) {
    AccountOpFlyweight op = slot.accountOp(buffer, offset);
    if (op.version() != AccountOpDescriptor.VERSION_1) {
      return TxStatus.MALFORMED;
    }
    if (op.chainId() != config.chainId()) {
      return TxStatus.WRONG_CHAIN;
    }
    if (op.shardHint() != config.shard()) {
      return TxStatus.WRONG_SHARD;
    }
    if (Long.compareUnsigned(op.maxFee(), config.feeFloor()) < 0) {
      return TxStatus.FEE_TOO_LOW;
    }
    if (slot.validate(buffer, offset) != AgentRunError.NONE) {
      return TxStatus.MALFORMED;
    }
    FeeSchedule fees = config.fees();
    if (fees != null) {
      long fee = fees.opFee(AccountOpDescriptor.ENCODED_LENGTH);
      if (fee == FeeSchedule.OVERFLOW) {
        return TxStatus.USAGE_OUT_OF_RANGE;
      }
      if (Long.compareUnsigned(fee, slot.accountOp(buffer, offset).maxFee()) > 0) {
        return TxStatus.FEE_EXCEEDS_MAX_FEE;
      }
    }
    return TxStatus.ACCEPTED;
  }
}
