package dev.agentledger.node.ingress;

import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.TransactionSlot;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Collects the records of several frames (client SUBMITs and peer batches), gives each a status
 * byte, and verifies the signatures of all that need it in ONE call of a {@link
 * BatchSignatureVerifier}, so a verifier thread amortises the batch equation over everything that
 * queued while it was busy. Usage per round: {@link #clear}, {@code stage*} for each frame (each
 * returns the frame's first record slot), {@link #verify}, then read {@link #status} or {@link
 * #copyStatus} / {@link #invalidSignatures} per frame.
 *
 * <p>Status of a staged SUBMIT record: the first failing cheap check ({@link IngressChecks}), else
 * {@link TxStatus#ACCEPTED} until {@link #verify} turns it into {@link TxStatus#BAD_SIGNATURE} when
 * its signature is invalid. ACCEPTED here means "may be offered to the mempool". A peer batch's
 * records skip the cheap checks (the worker checks their structure) and only get signature
 * verdicts. An account operation ({@link TransactionSlot}) is rare and signs a different message
 * length, so it is verified on its own when staged, outside the batch. Single-threaded; nothing is
 * allocated after construction.
 */
public final class RecordVerifier {
  private final IngressChecks checks;
  private final BatchSignatureVerifier verifier;
  private final AgentRunFlyweight run = new AgentRunFlyweight();
  private final TransactionSlot slots = new TransactionSlot();
  private final RunSignatureBatch batch;
  private final byte[] status;
  private final int[] item; // per record slot: its index in the signature batch, or -1
  private int records;
  private long signaturesVerified;
  private long verifyCalls;

  /**
   * @param checks the cheap checks for SUBMIT records (null: this instance stages peer batches
   *     only)
   * @param capacity record slots per round
   */
  public RecordVerifier(IngressChecks checks, BatchSignatureVerifier verifier, int capacity) {
    this.checks = checks;
    this.verifier = verifier;
    this.batch = new RunSignatureBatch(capacity);
    this.status = new byte[capacity];
    this.item = new int[capacity];
  }

  public int capacity() {
    return status.length;
  }

  /** Record slots used this round. */
  public int records() {
    return records;
  }

  public int remaining() {
    return status.length - records;
  }

  public void clear() {
    records = 0;
    batch.clear();
  }

  /**
   * Stages the {@code count} records of a SUBMIT frame at {@code buffer[recordsAt]}: cheap checks
   * now, signatures at {@link #verify}.
   *
   * @param nowUnixNs the node's wall clock in unix nanoseconds (timestamp checks)
   * @return the first record slot of this frame
   */
  public int stageSubmit(DirectBuffer buffer, int recordsAt, int count, long nowUnixNs) {
    checkRoom(count);
    int first = records;
    for (int i = 0; i < count; i++) {
      int slot = records++;
      int at = recordsAt + i * AgentRunDescriptor.ENCODED_LENGTH;
      if (TransactionSlot.isAccountOp(buffer, at)) {
        TxStatus s = checks.checkAccountOp(slots, buffer, at);
        status[slot] = (byte) verifyAccountOp(s, buffer, at).code();
        item[slot] = -1;
        continue;
      }
      run.wrap(buffer, at);
      TxStatus s = checks.check(run, nowUnixNs);
      status[slot] = (byte) s.code();
      item[slot] = s == TxStatus.ACCEPTED ? batch.add(run) : -1;
    }
    return first;
  }

  /**
   * Stages {@code count} well-formed records (a peer batch) for signature verification only.
   *
   * @return the first record slot of this frame
   */
  public int stageRecords(DirectBuffer buffer, int recordsAt, int count) {
    checkRoom(count);
    int first = records;
    for (int i = 0; i < count; i++) {
      int slot = records++;
      int at = recordsAt + i * AgentRunDescriptor.ENCODED_LENGTH;
      if (TransactionSlot.isAccountOp(buffer, at)) {
        status[slot] = (byte) verifyAccountOp(TxStatus.ACCEPTED, buffer, at).code();
        item[slot] = -1;
        continue;
      }
      run.wrap(buffer, at);
      status[slot] = (byte) TxStatus.ACCEPTED.code();
      item[slot] = batch.add(run);
    }
    return first;
  }

  private TxStatus verifyAccountOp(TxStatus checked, DirectBuffer buffer, int at) {
    if (checked != TxStatus.ACCEPTED) {
      return checked;
    }
    signaturesVerified++;
    return slots.verifyAccountOpSignature(buffer, at) ? TxStatus.ACCEPTED : TxStatus.BAD_SIGNATURE;
  }

  /** Verifies every staged signature (one batch call); invalid ones become BAD_SIGNATURE. */
  public void verify() {
    int n = batch.count();
    if (n == 0) {
      return;
    }
    verifier.verify(batch);
    verifyCalls++;
    signaturesVerified += n;
    for (int slot = 0; slot < records; slot++) {
      int b = item[slot];
      if (b >= 0 && !batch.valid(b)) {
        status[slot] = (byte) TxStatus.BAD_SIGNATURE.code();
      }
    }
  }

  public byte status(int slot) {
    return status[slot];
  }

  /** Writes the status bytes of slots [first, first + count) to {@code dst[at]}. */
  public void copyStatus(int first, int count, MutableDirectBuffer dst, int at) {
    dst.putBytes(at, status, first, count);
  }

  /** Copies the status bytes of slots [first, first + count) to {@code dst[at]}. */
  public void copyStatus(int first, int count, byte[] dst, int at) {
    System.arraycopy(status, first, dst, at, count);
  }

  /** How many of slots [first, first + count) have an invalid signature. */
  public int invalidSignatures(int first, int count) {
    int bad = 0;
    byte code = (byte) TxStatus.BAD_SIGNATURE.code();
    for (int slot = first; slot < first + count; slot++) {
      if (status[slot] == code) {
        bad++;
      }
    }
    return bad;
  }

  /** Signatures handed to the verifier so far. */
  public long signaturesVerified() {
    return signaturesVerified;
  }

  /** {@link #verify} calls that had at least one signature. */
  public long verifyCalls() {
    return verifyCalls;
  }

  private void checkRoom(int count) {
    if (count > status.length - records) {
      throw new IllegalStateException(
          "record verifier full: " + records + " + " + count + " > " + status.length);
    }
  }
}
