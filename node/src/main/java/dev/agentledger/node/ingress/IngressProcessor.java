package dev.agentledger.node.ingress;

import dev.agentledger.node.mempool.core.Admission;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns one validated SUBMIT frame into one SUBMIT_RESULT frame: cheap checks on every record,
 * one batched signature verification over the survivors, then mempool admission in submission
 * order. Every record gets a status byte. Single-threaded; nothing allocated per transaction.
 */
public final class IngressProcessor {
  private final IngressChecks checks;
  private final BatchSignatureVerifier verifier;
  private final Mempool mempool;
  private final AgentRunFlyweight run = new AgentRunFlyweight();
  private final SignatureBatch batch = new SignatureBatch(Wire.MAX_SUBMIT_RECORDS);
  private final byte[] status = new byte[Wire.MAX_SUBMIT_RECORDS];
  private final int[] batchIndex = new int[Wire.MAX_SUBMIT_RECORDS];
  private final long[] counts = new long[TxStatus.values().length];

  public IngressProcessor(IngressChecks checks, BatchSignatureVerifier verifier, Mempool mempool) {
    this.checks = checks;
    this.verifier = verifier;
    this.mempool = mempool;
  }

  /**
   * Processes the SUBMIT frame {@code in[offset, +length)} (already passed {@link Wire#validate})
   * and writes the SUBMIT_RESULT frame into {@code out[outOffset]}.
   *
   * @return the length of the result frame
   */
  public int onSubmit(
      DirectBuffer in, int offset, long connectionId, long nowNs, long nowUnixNs, MutableDirectBuffer out, int outOffset) {
    int p = offset + Wire.HEADER_LENGTH;
    long requestId = in.getLong(p + Wire.REQUEST_ID, ByteOrder.LITTLE_ENDIAN);
    int count = Short.toUnsignedInt(in.getShort(p + Wire.COUNT16, ByteOrder.LITTLE_ENDIAN));
    int records = p + Wire.SUBMIT_RECORDS;
    batch.clear();
    for (int i = 0; i < count; i++) {
      run.wrap(in, records + i * AgentRunDescriptor.ENCODED_LENGTH);
      TxStatus s = checks.check(run, nowUnixNs);
      status[i] = (byte) s.code();
      batchIndex[i] = s == TxStatus.ACCEPTED ? batch.add(run) : -1;
    }
    if (batch.count() > 0) {
      verifier.verify(batch);
    }
    int slot = mempool.connectionSlot(connectionId);
    for (int i = 0; i < count; i++) {
      int b = batchIndex[i];
      if (b < 0) {
        continue;
      }
      if (!batch.valid(b)) {
        status[i] = (byte) TxStatus.BAD_SIGNATURE.code();
        continue;
      }
      Admission a = mempool.offer(in, records + i * AgentRunDescriptor.ENCODED_LENGTH, slot, nowNs);
      status[i] = (byte) toStatus(a).code();
    }
    int length = Wire.submitResultHeader(out, outOffset, requestId, count);
    out.putBytes(outOffset + Wire.HEADER_LENGTH + Wire.RESULT_CODES, status, 0, count);
    for (int i = 0; i < count; i++) {
      counts[status[i]]++;
    }
    return length;
  }

  /** Writes a SUBMIT_RESULT giving every record of the frame one status (e.g. OVERLOADED). */
  public static int rejectAll(DirectBuffer in, int offset, TxStatus s, MutableDirectBuffer out, int outOffset) {
    int p = offset + Wire.HEADER_LENGTH;
    long requestId = in.getLong(p + Wire.REQUEST_ID, ByteOrder.LITTLE_ENDIAN);
    int count = Short.toUnsignedInt(in.getShort(p + Wire.COUNT16, ByteOrder.LITTLE_ENDIAN));
    int length = Wire.submitResultHeader(out, outOffset, requestId, count);
    out.setMemory(outOffset + Wire.HEADER_LENGTH + Wire.RESULT_CODES, count, (byte) s.code());
    return length;
  }

  public static TxStatus toStatus(Admission a) {
    return switch (a) {
      case ADMITTED -> TxStatus.ACCEPTED;
      case REPLAY, DUPLICATE -> TxStatus.NONCE_REPLAY;
      case NONCE_TOO_FAR -> TxStatus.NONCE_TOO_FAR;
      case AGENT_FULL -> TxStatus.AGENT_LIMIT;
      case POOL_FULL -> TxStatus.OVERLOADED;
      case RATE_LIMITED_AGENT, RATE_LIMITED_CONNECTION -> TxStatus.RATE_LIMITED;
    };
  }

  /** Transactions answered with {@code s} so far. */
  public long count(TxStatus s) {
    return counts[s.code()];
  }
}
