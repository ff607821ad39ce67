package dev.agentledger.node.events;

import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.tx.AccountOpDescriptor;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.RunKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stored commit's events, rebuilt from its records and receipts: each event is a function of its
 * transaction and receipt (the rules {@code LedgerExecutor} follows when it emits them), so the
 * events need no storage of their own. {@code account} is the agent of a run and the target of an
 * account operation; {@code payer} the run's payer and the operation's signer; both zero for a
 * record of no known layout. The type follows the code (OK: by kind; a payment code:
 * PAYMENT_FAILED; else TRANSACTION_FAILED); the amount is the fee of a run or a failure, the
 * argument of a successful operation.
 */
public final class ReceiptEvents {
  private static final byte[] ZERO = new byte[32];

  private ReceiptEvents() {}

  /** The events of commit {@code sequence}, one per transaction, in commit order. */
  public static List<ExecutionEvent> derive(
      long sequence, List<byte[]> records, List<Receipt> receipts) {
    if (records.size() != receipts.size()) {
      throw new IllegalArgumentException(
          "commit " + sequence + ": " + receipts.size() + " receipts for " + records.size());
    }
    List<ExecutionEvent> events = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      events.add(derive(sequence, i, records.get(i), receipts.get(i)));
    }
    return events;
  }

  static ExecutionEvent derive(long sequence, int index, byte[] record, Receipt receipt) {
    RunKind kind = record.length >= 2 ? RunKind.fromCode(record[1]) : null;
    ExecutionCode code = receipt.code();
    if (kind == null || record.length != kind.encodedLength()) {
      return new ExecutionEvent(
          sequence, index, failure(code), receipt.txId(), ZERO, ZERO, code, receipt.fee());
    }
    byte[] account;
    byte[] payer;
    long argument;
    if (kind == RunKind.RUN) {
      account = slice(record, AgentRunDescriptor.AGENT_OFFSET);
      payer = slice(record, AgentRunDescriptor.PAYER_OFFSET);
      argument = receipt.fee();
    } else {
      account = slice(record, AccountOpDescriptor.TARGET_OFFSET);
      payer = slice(record, AccountOpDescriptor.SIGNER_OFFSET);
      argument =
          ByteBuffer.wrap(record)
              .order(ByteOrder.LITTLE_ENDIAN)
              .getLong(AccountOpDescriptor.ARGUMENT_OFFSET);
    }
    if (code != ExecutionCode.OK) {
      return new ExecutionEvent(
          sequence, index, failure(code), receipt.txId(), account, payer, code, receipt.fee());
    }
    ExecutionEvent.Type type =
        switch (kind) {
          case RUN -> ExecutionEvent.Type.RUN_RECORDED;
          case PERMISSION -> ExecutionEvent.Type.PERMISSION_CHANGED;
          case AUTHORIZE -> ExecutionEvent.Type.AUTHORIZATION_CHANGED;
          default -> ExecutionEvent.Type.TRANSFERRED;
        };
    return new ExecutionEvent(
        sequence, index, type, receipt.txId(), account, payer, code, argument);
  }

  private static ExecutionEvent.Type failure(ExecutionCode code) {
    return switch (code) {
      case FEE_OVERFLOW, FEE_EXCEEDS_MAX_FEE, INSUFFICIENT_BALANCE ->
          ExecutionEvent.Type.PAYMENT_FAILED;
      default -> ExecutionEvent.Type.TRANSACTION_FAILED;
    };
  }

  private static byte[] slice(byte[] record, int offset) {
    return Arrays.copyOfRange(record, offset, offset + 32);
  }
}
