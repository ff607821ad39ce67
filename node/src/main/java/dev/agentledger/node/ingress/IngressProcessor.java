package dev.agentledger.node.ingress;

import dev.agentledger.node.mempool.core.Admission;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.net.ClientConnectionIds;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns one validated SUBMIT frame into one SUBMIT_RESULT frame: cheap checks on every record, one
 * batched signature verification over the survivors, then mempool admission in submission order.
 * Every record gets a status byte. Two ways in:
 *
 * <ul>
 *   <li>{@link #onSubmit}: checks and verification inline on the caller's thread (tests, the
 *       simulator, {@code --verify-threads 0});
 *   <li>{@link #onVerifiedSubmit}: a verify stage already ran {@link RecordVerifier} on another
 *       thread and hands over the frame with one provisional status byte per record; only admission
 *       is left for the single-writer agent.
 * </ul>
 *
 * Single-threaded; nothing allocated per transaction.
 */
public final class IngressProcessor {
  private final Mempool mempool;
  private final RecordVerifier records;
  private final byte[] status = new byte[Wire.MAX_SUBMIT_RECORDS];
  private final long[] counts = new long[TxStatus.values().length];

  public IngressProcessor(IngressChecks checks, BatchSignatureVerifier verifier, Mempool mempool) {
    this.records = new RecordVerifier(checks, verifier, Wire.MAX_SUBMIT_RECORDS);
    this.mempool = mempool;
  }

  /**
   * Processes the SUBMIT frame {@code in[offset, +length)} (already passed {@link Wire#validate})
   * and writes the SUBMIT_RESULT frame into {@code out[outOffset]}.
   *
   * @return the length of the result frame
   */
  public int onSubmit(
      DirectBuffer in,
      int offset,
      long connectionId,
      long nowNs,
      long nowUnixNs,
      MutableDirectBuffer out,
      int outOffset) {
    int count = count(in, offset);
    records.clear();
    int first =
        records.stageSubmit(
            in, offset + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS, count, nowUnixNs);
    records.verify();
    records.copyStatus(first, count, status, 0);
    return admit(in, offset, connectionId, nowNs, out, outOffset);
  }

  /**
   * Admits a SUBMIT frame whose records were already checked and verified elsewhere: {@code
   * verdicts[verdictsAt + i]} is record i's status from {@link RecordVerifier} (ACCEPTED: offer it
   * to the mempool; anything else is the final answer).
   *
   * @return the length of the result frame written to {@code out[outOffset]}
   */
  public int onVerifiedSubmit(
      DirectBuffer in,
      int offset,
      DirectBuffer verdicts,
      int verdictsAt,
      long connectionId,
      long nowNs,
      MutableDirectBuffer out,
      int outOffset) {
    verdicts.getBytes(verdictsAt, status, 0, count(in, offset));
    return admit(in, offset, connectionId, nowNs, out, outOffset);
  }

  private int admit(
      DirectBuffer in,
      int offset,
      long connectionId,
      long nowNs,
      MutableDirectBuffer out,
      int outOffset) {
    int p = offset + Wire.HEADER_LENGTH;
    long requestId = in.getLong(p + Wire.REQUEST_ID, ByteOrder.LITTLE_ENDIAN);
    int count = count(in, offset);
    int recordsAt = p + Wire.SUBMIT_RECORDS;
    byte accepted = (byte) TxStatus.ACCEPTED.code();
    int slot = mempool.connectionSlot(connectionId);
    int addressSlot = mempool.addressSlot(ClientConnectionIds.addressHash(connectionId));
    for (int i = 0; i < count; i++) {
      if (status[i] != accepted) {
        continue;
      }
      Admission a =
          mempool.offer(
              in, recordsAt + i * AgentRunDescriptor.ENCODED_LENGTH, slot, addressSlot, nowNs);
      status[i] = (byte) toStatus(a).code();
    }
    int length = Wire.submitResultHeader(out, outOffset, requestId, count);
    out.putBytes(outOffset + Wire.HEADER_LENGTH + Wire.RESULT_CODES, status, 0, count);
    for (int i = 0; i < count; i++) {
      counts[status[i]]++;
    }
    return length;
  }

  /** The number of records of a validated SUBMIT frame. */
  public static int count(DirectBuffer in, int offset) {
    return Short.toUnsignedInt(
        in.getShort(offset + Wire.HEADER_LENGTH + Wire.COUNT16, ByteOrder.LITTLE_ENDIAN));
  }

  /** Writes a SUBMIT_RESULT giving every record of the frame one status (e.g. OVERLOADED). */
  public static int rejectAll(
      DirectBuffer in, int offset, TxStatus s, MutableDirectBuffer out, int outOffset) {
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
      case NONCE_TOO_FAR, AFTER_REFUSED -> TxStatus.NONCE_TOO_FAR;
      case AGENT_FULL -> TxStatus.AGENT_LIMIT;
      case POOL_FULL -> TxStatus.OVERLOADED;
      case RATE_LIMITED_AGENT, RATE_LIMITED_CONNECTION, RATE_LIMITED_ADDRESS ->
          TxStatus.RATE_LIMITED;
    };
  }

  /** Transactions answered with {@code s} so far. */
  public long count(TxStatus s) {
    return counts[s.code()];
  }
}
