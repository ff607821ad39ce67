package dev.agentledger.node.ingress;

import dev.agentledger.node.mempool.core.Admission;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.TransactionSlot;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What makes ACCEPTED durable: every transaction admitted to the mempool is written to the {@code
 * ingress_log} column family, and its SUBMIT_RESULT is held back until that write is synced. One
 * synced write covers every frame the agent admitted in a duty cycle (group commit), so the fsync
 * is paid per cycle, not per transaction. A kill -9 after a client saw ACCEPTED therefore loses
 * nothing: at start {@link #replay} offers every logged transaction to the mempool again.
 *
 * <p>Entries are keyed by (signer 32 B, nonce u64 big-endian) and hold the record. An executed
 * commit deletes the entries at the (signer, nonce) pairs it consumed ({@link #onCommitted}),
 * whichever validator's batch carried them; at replay an entry whose nonce the executed state has
 * passed is deleted instead of offered, and one a commit not yet executed holds waits for it.
 * Entries for future nonces that never fill stay until a transaction of that agent at that nonce is
 * executed. An entry whose transaction execution refused as ahead of its signer's nonce is still
 * here, and {@link #logged} hands it back to the mempool.
 *
 * <p>Single-threaded (the worker agent). Nothing allocated per transaction: keys and records are
 * copied into reused arrays, held replies into one growing buffer.
 */
public final class IngressLog {
  /** The log's column: (signer, nonce) to the record. */
  public static final Column<byte[], byte[]> COLUMN = Column.raw(ColumnFamily.INGRESS_LOG);

  /** Length of a key: signer (32 B) and nonce (u64 big-endian). */
  public static final int KEY_LENGTH = 40;

  /**
   * The expired ids' column: ring slot (u32 big-endian) to the drop's sequence number (u64
   * big-endian) and the transaction id (32 B).
   */
  public static final Column<byte[], byte[]> EXPIRED_COLUMN = Column.raw(ColumnFamily.EXPIRED_IDS);

  /** Receives the expired ids {@link #forEachExpired} reads back, oldest first. */
  @FunctionalInterface
  public interface ExpiredVisitor {
    void expired(long sequence, byte[] id);
  }

  /** Sends a reply frame to a client connection. */
  @FunctionalInterface
  public interface ReplySender {
    void send(long connection, DirectBuffer frame, int offset, int length);
  }

  /**
   * Whether a consensus commit that execution has not reached yet holds this record (looked up at
   * replay only).
   */
  @FunctionalInterface
  public interface CommittedCheck {
    boolean isCommitted(byte[] record);
  }

  private final Store store;
  private final ReplySender sender;
  private WriteBatch batch;
  private int appendedInBatch;
  private final byte[] key = new byte[KEY_LENGTH];
  private final byte[] value = new byte[AgentRunDescriptor.ENCODED_LENGTH];
  private final byte[] expiredKey = new byte[4];
  private final byte[] expiredValue = new byte[8 + 32];
  private final ExpandableArrayBuffer held = new ExpandableArrayBuffer(1 << 16);
  private int heldLength;
  private boolean syncOwed;
  private long syncedWrites;
  private long loggedTransactions;

  public IngressLog(Store store, ReplySender sender) {
    this.store = store;
    this.sender = sender;
  }

  /**
   * The SUBMIT frame at {@code in[frameOffset]} was answered with the SUBMIT_RESULT {@code
   * reply[replyOffset, +replyLength)}: logs every record it calls ACCEPTED and holds the reply
   * until {@link #flush}. A reply without ACCEPTED records is held too when replies are waiting, so
   * one connection's replies keep their order.
   */
  public void onSubmitResult(
      DirectBuffer in,
      int frameOffset,
      long connection,
      DirectBuffer reply,
      int replyOffset,
      int replyLength) {
    int count = IngressProcessor.count(in, frameOffset);
    int statusAt = replyOffset + Wire.HEADER_LENGTH + Wire.RESULT_CODES;
    int recordsAt = frameOffset + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS;
    byte accepted = (byte) TxStatus.ACCEPTED.code();
    for (int i = 0; i < count; i++) {
      if (reply.getByte(statusAt + i) == accepted) {
        append(in, recordsAt + i * AgentRunDescriptor.ENCODED_LENGTH);
      }
    }
    if (heldLength == 0 && !syncOwed && (batch == null || appendedInBatch == 0)) {
      sender.send(connection, reply, replyOffset, replyLength);
      return;
    }
    held.putLong(heldLength, connection, ByteOrder.LITTLE_ENDIAN);
    held.putInt(heldLength + 8, replyLength, ByteOrder.LITTLE_ENDIAN);
    held.putBytes(heldLength + 12, reply, replyOffset, replyLength);
    heldLength += 12 + replyLength;
  }

  private void append(DirectBuffer in, int recordOffset) {
    in.getBytes(recordOffset + TransactionSlot.SIGNER_OFFSET, key, 0, 32);
    long nonce = TransactionSlot.nonce(in, recordOffset);
    putNonce(key, nonce);
    in.getBytes(recordOffset, value, 0, value.length);
    batch().putRaw(ColumnFamily.INGRESS_LOG, key, 0, KEY_LENGTH, value, 0, value.length);
    appendedInBatch++;
    loggedTransactions++;
  }

  /**
   * An executed commit consumed {@code nonce} of the signer whose key is at {@code
   * buffer[keyOffset]}: its entry, if any, goes with the next {@link #flush}.
   */
  public void onCommitted(DirectBuffer buffer, int keyOffset, long nonce) {
    buffer.getBytes(keyOffset, key, 0, 32);
    putNonce(key, nonce);
    batch().deleteRaw(ColumnFamily.INGRESS_LOG, key, 0, KEY_LENGTH);
  }

  /**
   * The mempool dropped this validator's accepted transaction of the signer at {@code
   * buffer[keyOffset]} at {@code nonce} without batching it (held for a nonce gap past the bound):
   * its entry goes with the next {@link #flush}, so a restart does not hold it again.
   */
  public void forget(DirectBuffer buffer, int keyOffset, long nonce) {
    onCommitted(buffer, keyOffset, nonce);
  }

  /**
   * Records, with the next {@link #flush}, that this node dropped the accepted transaction {@code
   * id} unbatched as its {@code sequence}-th such drop: in ring slot {@code sequence mod capacity},
   * over the drop {@code capacity} drops older, so the column never holds more than {@code
   * capacity} ids. Written in the same batch as the dropped transaction's {@link #forget}: after a
   * crash both or neither are on disk.
   *
   * @param capacity the ring's size, a power of two
   */
  public void rememberExpired(long sequence, byte[] id, int capacity) {
    int slot = (int) (sequence & (capacity - 1));
    for (int i = 0; i < 4; i++) {
      expiredKey[i] = (byte) (slot >>> (24 - 8 * i));
    }
    for (int i = 0; i < 8; i++) {
      expiredValue[i] = (byte) (sequence >>> (56 - 8 * i));
    }
    System.arraycopy(id, 0, expiredValue, 8, 32);
    batch()
        .putRaw(
            ColumnFamily.EXPIRED_IDS,
            expiredKey,
            0,
            expiredKey.length,
            expiredValue,
            0,
            expiredValue.length);
  }

  /**
   * Hands every expired id on disk to {@code visitor}, oldest drop first (a start-up read; entries
   * of another length are skipped).
   */
  public void forEachExpired(ExpiredVisitor visitor) {
    java.util.TreeMap<Long, byte[]> bySequence = new java.util.TreeMap<>();
    store.scan(
        EXPIRED_COLUMN,
        new byte[0],
        (k, v) -> {
          if (v.length == expiredValue.length) {
            long sequence = 0;
            for (int i = 0; i < 8; i++) {
              sequence = (sequence << 8) | (v[i] & 0xFF);
            }
            bySequence.put(sequence, java.util.Arrays.copyOfRange(v, 8, 40));
          }
          return true;
        });
    bySequence.forEach(visitor::expired);
  }

  /**
   * The logged transaction of the signer whose key is at {@code buffer[keyOffset]} at {@code
   * nonce}, as the slot the mempool holds, or {@code null}: one this validator accepted and no
   * executed commit has consumed yet. A store read (taken when execution refuses a transaction as
   * ahead of its signer's nonce, off the per-transaction path).
   */
  public byte[] logged(DirectBuffer buffer, int keyOffset, long nonce) {
    byte[] k = new byte[KEY_LENGTH];
    buffer.getBytes(keyOffset, k, 0, 32);
    putNonce(k, nonce);
    byte[] record = store.get(COLUMN, k);
    return record != null && record.length == AgentRunDescriptor.ENCODED_LENGTH ? record : null;
  }

  /**
   * Writes what was logged since the last flush (synced when it holds new transactions), then sends
   * the held replies. A failed write throws the store's exception and sends nothing: no client is
   * told ACCEPTED for a transaction that is not on disk.
   *
   * @return the number of replies sent
   */
  public int flush() {
    if (batch != null || syncOwed) {
      boolean sync = appendedInBatch > 0 || syncOwed;
      write(
          batch == null ? store.newBatch() : batch, sync ? Durability.SYNCED : Durability.BUFFERED);
      syncOwed |= sync;
    }
    return synced();
  }

  /** Writes {@code b} (the pending batch, taken); a failed write drops the held replies. */
  private void write(WriteBatch b, Durability durability) {
    batch = null;
    appendedInBatch = 0;
    try {
      store.write(b, durability);
    } catch (RuntimeException e) {
      heldLength = 0;
      throw e;
    }
  }

  private int sendHeld() {
    int sent = 0;
    for (int p = 0; p < heldLength; sent++) {
      long connection = held.getLong(p, ByteOrder.LITTLE_ENDIAN);
      int length = held.getInt(p + 8, ByteOrder.LITTLE_ENDIAN);
      sender.send(connection, held, p + 12, length);
      p += 12 + length;
    }
    heldLength = 0;
    return sent;
  }

  /**
   * Writes what was logged since the last flush without syncing it and keeps the held replies: the
   * caller's next synced write to the same store covers these entries ({@link Store#write}), and
   * only after it returns does the caller call {@link #synced}, which sends the replies. The worker
   * uses this when its own cycle ends in a synced write anyway, so a duty cycle pays one fsync
   * instead of two. Until {@link #synced}, a {@link #flush} syncs even without new entries.
   */
  public void writeDeferringSync() {
    if (batch != null) {
      boolean appended = appendedInBatch > 0;
      write(batch, Durability.BUFFERED);
      syncOwed |= appended;
    }
  }

  /**
   * A synced write to this log's store returned after {@link #writeDeferringSync}: the logged
   * entries are durable; sends the held replies.
   *
   * @return the number of replies sent
   */
  public int synced() {
    if (batch != null) {
      throw new IllegalStateException("entries logged after writeDeferringSync are not written");
    }
    if (syncOwed) {
      syncOwed = false;
      syncedWrites++;
    }
    return sendHeld();
  }

  /** Synced group writes so far (a deferred sync counts once, when {@link #synced}). */
  public long syncedWrites() {
    return syncedWrites;
  }

  /** Transactions logged so far. */
  public long loggedTransactions() {
    return loggedTransactions;
  }

  /** What {@link #replay} did. */
  public record Replay(int offered, int admitted, int dropped) {}

  /**
   * Offers every logged transaction to {@code mempool} again, in (signer, nonce) order, before the
   * node serves clients. An entry that the mempool calls a replay (the executed state passed its
   * nonce) is deleted. An entry whose transaction a commit not yet executed holds ({@code
   * committed}) is not offered, so it is not ordered twice, but it stays: that execution consumes
   * its nonce (and deletes it) or refuses it as ahead of the signer's nonce, and then {@link
   * #logged} hands it back. One already refused that way before the stop is offered like any other
   * (the mempool starts at the executed state's nonce). Every entry not deleted stays until its
   * nonce is consumed.
   */
  public Replay replay(Mempool mempool, CommittedCheck committed, long nowNs) {
    List<byte[]> stale = new ArrayList<>();
    int[] counts = new int[3];
    UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    store.scan(
        COLUMN,
        new byte[0],
        (k, record) -> {
          if (record.length != AgentRunDescriptor.ENCODED_LENGTH) {
            stale.add(k);
            return true;
          }
          counts[0]++;
          if (committed.isCommitted(record)) {
            return true;
          }
          view.wrap(record);
          Admission a = mempool.offer(view, 0, -1, nowNs);
          if (a == Admission.ADMITTED) {
            counts[1]++;
          } else if (a == Admission.REPLAY) {
            stale.add(k);
            counts[2]++;
          }
          return true;
        });
    if (!stale.isEmpty()) {
      try (WriteBatch b = store.newBatch()) {
        for (byte[] k : stale) {
          b.delete(COLUMN, k);
        }
        store.write(b, Durability.SYNCED);
      }
    }
    return new Replay(counts[0], counts[1], counts[2]);
  }

  private WriteBatch batch() {
    if (batch == null) {
      batch = store.newBatch();
    }
    return batch;
  }

  private static void putNonce(byte[] key, long nonce) {
    for (int i = 0; i < 8; i++) {
      key[32 + i] = (byte) (nonce >>> (56 - 8 * i));
    }
  }
}
