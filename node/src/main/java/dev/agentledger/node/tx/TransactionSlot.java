package dev.agentledger.node.tx;

import dev.agentledger.hash.Sha256;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * A transaction in its fixed-size slot: the unit that SUBMIT frames, the mempool, worker batches
 * and the commit log carry. A slot is {@link #LENGTH} bytes, the size of an {@code AgentRun}. A run
 * fills it; an account operation ({@link AccountOpDescriptor}, 160 bytes) fills its first 160 bytes
 * and the rest must be zero, so the slot's bytes are a function of the operation and the pipeline
 * stays one fixed stride. Execution, queries and proofs see the operation's own 160 bytes ({@link
 * #recordLength}); its transaction id is the operation's.
 *
 * <p>The first 40 bytes (version, kind, chain_id, shard_hint, signer) are laid out alike in both
 * layouts; the nonce and {@code max_fee} are read at the kind's offsets. One instance per thread
 * (it owns two flyweights); the static readers allocate nothing.
 */
public final class TransactionSlot {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** Bytes of one slot. */
  public static final int LENGTH = AgentRunDescriptor.ENCODED_LENGTH;

  /** Offset of the signer (the agent of a run, the signer of an account operation). */
  public static final int SIGNER_OFFSET = AgentRunDescriptor.AGENT_OFFSET;

  private final AgentRunFlyweight run = new AgentRunFlyweight();
  private final AccountOpFlyweight op = new AccountOpFlyweight();

  /** True when the slot at {@code buffer[offset]} holds an account operation. */
  public static boolean isAccountOp(DirectBuffer buffer, int offset) {
    RunKind kind = RunKind.fromCode(buffer.getByte(offset + AgentRunDescriptor.KIND_OFFSET));
    return kind != null && kind.isAccountOp();
  }

  /** The signer's nonce of the transaction in the slot. */
  public static long nonce(DirectBuffer buffer, int offset) {
    return buffer.getLong(
        offset
            + (isAccountOp(buffer, offset)
                ? AccountOpDescriptor.NONCE_OFFSET
                : AgentRunDescriptor.NONCE_OFFSET),
        LE);
  }

  /** The {@code max_fee} of the transaction in the slot. */
  public static long maxFee(DirectBuffer buffer, int offset) {
    return buffer.getLong(
        offset
            + (isAccountOp(buffer, offset)
                ? AccountOpDescriptor.MAX_FEE_OFFSET
                : AgentRunDescriptor.MAX_FEE_OFFSET),
        LE);
  }

  /** The mempool lane: a run's {@code priority}; account operations go in lane 0. */
  public static int lane(DirectBuffer buffer, int offset) {
    return isAccountOp(buffer, offset)
        ? 0
        : buffer.getByte(offset + AgentRunDescriptor.PRIORITY_OFFSET);
  }

  /** Bytes of the record in the slot: {@link RunKind#encodedLength()} of its kind, else LENGTH. */
  public static int recordLength(DirectBuffer buffer, int offset) {
    return isAccountOp(buffer, offset) ? AccountOpDescriptor.ENCODED_LENGTH : LENGTH;
  }

  /**
   * A slot holding {@code record}: a run as it is, an account operation followed by zeros.
   *
   * @throws IllegalArgumentException for a record of neither length
   */
  public static byte[] pad(byte[] record) {
    if (record.length == LENGTH) {
      return record;
    }
    RunKind kind =
        record.length == AccountOpDescriptor.ENCODED_LENGTH
            ? RunKind.fromCode(record[AccountOpDescriptor.KIND_OFFSET])
            : null;
    if (kind != null && kind.isAccountOp()) {
      byte[] slot = new byte[LENGTH];
      System.arraycopy(record, 0, slot, 0, record.length);
      return slot;
    }
    throw new IllegalArgumentException(
        "a record is "
            + LENGTH
            + " bytes (a run) or "
            + AccountOpDescriptor.ENCODED_LENGTH
            + " bytes (an account operation), got "
            + record.length);
  }

  /** The chain id of the slot (same offset in both layouts). */
  public static int chainId(DirectBuffer buffer, int offset) {
    return buffer.getInt(offset + AgentRunDescriptor.CHAIN_ID_OFFSET, LE);
  }

  /**
   * Field validation of the record in the slot ({@link AgentRunFlyweight#validate()} or {@link
   * AccountOpFlyweight#validate()}); an account operation's slot must also be zero after its 160
   * bytes ({@link AgentRunError#NONZERO_PADDING}).
   */
  public AgentRunError validate(DirectBuffer buffer, int offset) {
    if (!isAccountOp(buffer, offset)) {
      return run.wrap(buffer, offset).validate();
    }
    AgentRunError error = op.wrap(buffer, offset).validate();
    if (error != AgentRunError.NONE) {
      return error;
    }
    long acc = 0;
    int i = offset + AccountOpDescriptor.ENCODED_LENGTH;
    int end = offset + LENGTH;
    for (; i + 8 <= end; i += 8) {
      acc |= buffer.getLong(i);
    }
    for (; i < end; i++) {
      acc |= buffer.getByte(i);
    }
    return acc == 0 ? AgentRunError.NONE : AgentRunError.NONZERO_PADDING;
  }

  /** The transaction id of the record in the slot, into {@code dst[dstOffset, +32)}. */
  public void transactionId(DirectBuffer buffer, int offset, Sha256 hasher, byte[] dst, int at) {
    if (isAccountOp(buffer, offset)) {
      op.wrap(buffer, offset).transactionId(hasher, dst, at);
    } else {
      run.wrap(buffer, offset).transactionId(hasher, dst, at);
    }
  }

  /** Verifies the signature of the account operation in the slot (one Ed25519 verification). */
  public boolean verifyAccountOpSignature(DirectBuffer buffer, int offset) {
    return op.wrap(buffer, offset).verifySignature();
  }

  /** The account-operation flyweight over the slot (valid until the next call). */
  public AccountOpFlyweight accountOp(DirectBuffer buffer, int offset) {
    return op.wrap(buffer, offset);
  }

  /** The run flyweight over the slot (valid until the next call). */
  public AgentRunFlyweight run(DirectBuffer buffer, int offset) {
    return run.wrap(buffer, offset);
  }
}
