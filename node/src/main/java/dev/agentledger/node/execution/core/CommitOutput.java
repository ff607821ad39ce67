package dev.agentledger.node.execution.core;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.hash.merkle.LevelHashers;
import dev.agentledger.hash.simd.MultiBufferSha256;
import dev.agentledger.hash.simd.WarmSha256;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link LedgerExecutor#executeInto} writes for one commit, in flat arrays reused from commit
 * to commit (no object per transaction): the transaction ids ({@code 32 B} each), the encoded
 * receipts ({@link Receipt#ENCODED_LENGTH} bytes each: the leaves of the receipts tree), one event
 * per transaction in a fixed layout, and the three roots. Valid until the next commit is written
 * into it. Its consumers copy what they keep out of it flat (the {@code copy*} methods: one array
 * per commit, no object per transaction); {@link #toCommitExecution} copies it into objects.
 *
 * <p>Event layout ({@value #EVENT_BYTES} bytes, little-endian): type u8 | code u16 | account 32 B |
 * payer 32 B | amount i64; its transaction is the one of the same index.
 *
 * <p>The RFC 6962 roots are computed here level by level, without a tree object: leaves {@code
 * SHA-256(0x00 || leaf)}, nodes {@code SHA-256(0x01 || left || right)}, an odd last node carried up
 * unchanged (which gives RFC 6962's left-complete tree), the empty tree {@code SHA-256("")}. The
 * transaction-id leaves and every level go through a {@link LevelHasher} (the node's hashing
 * backend, by default the CPU engine); receipt leaves, from {@link #SIMD_MIN} of them, through the
 * multi-buffer engine once it is warm ({@link WarmSha256}: the JDK's SHA-256 until then).
 */
public final class CommitOutput {
  /** Bytes of one event. */
  public static final int EVENT_BYTES = 1 + 2 + 32 + 32 + 8;

  /**
   * Bytes of one event record as {@link #copyEventRecords} writes it: the transaction id (32 B),
   * then the event ({@value #EVENT_BYTES} bytes, the layout above).
   */
  public static final int EVENT_RECORD_BYTES = 32 + EVENT_BYTES;

  /** Offset of the account in an event. */
  private static final int EVENT_ACCOUNT = 3;

  static final int SIMD_MIN = Math.max(2, MultiBufferSha256.LANES / 2);

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final ExecutionEvent.Type[] TYPES = ExecutionEvent.Type.values();

  private int count;
  private byte[] ids = new byte[32 * 64];
  private byte[] receipts = new byte[Receipt.ENCODED_LENGTH * 64];
  private byte[] events = new byte[EVENT_BYTES * 64];
  private final byte[] txRoot = new byte[32];
  private final byte[] receiptsRoot = new byte[32];
  private final byte[] stateRoot = new byte[32];
  private byte[] level = new byte[64 * 64];
  private byte[] next = new byte[32 * 64];
  private byte[] messages = new byte[44 * 64];
  private final Sha256 sha = new Sha256();
  private final LevelHasher hasher;

  /** Roots hashed with the CPU engine ({@link LevelHashers#defaultHasher()}). */
  public CommitOutput() {
    this(LevelHashers.defaultHasher());
  }

  /**
   * Roots hashed with {@code hasher} (the node's hashing backend): the transaction-id leaves and
   * every level of both trees; the receipt leaves (not 32 bytes) stay on the CPU engine.
   */
  public CommitOutput(LevelHasher hasher) {
    this.hasher = hasher;
  }

  /** Empties this output and makes room for {@code transactions}. */
  void reset(int transactions) {
    count = transactions;
    if (transactions * 32 > ids.length) {
      int n = Math.max(transactions, 2 * ids.length / 32);
      ids = new byte[32 * n];
      receipts = new byte[Receipt.ENCODED_LENGTH * n];
      events = new byte[EVENT_BYTES * n];
      level = new byte[64 * n];
      next = new byte[32 * n];
      messages = new byte[44 * n];
    }
  }

  /** Transactions in the commit. */
  public int count() {
    return count;
  }

  byte[] idsArray() {
    return ids;
  }

  void receipt(int index, int kind, ExecutionCode code, long fee) {
    int o = index * Receipt.ENCODED_LENGTH;
    System.arraycopy(ids, index * 32, receipts, o, 32);
    receipts[o + 32] = (byte) kind;
    SHORT_LE.set(receipts, o + 33, (short) code.code());
    LONG_LE.set(receipts, o + 35, fee);
  }

  void event(
      int index,
      ExecutionEvent.Type type,
      ExecutionCode code,
      byte[] account,
      byte[] payer,
      long amount) {
    int o = index * EVENT_BYTES;
    events[o] = (byte) type.ordinal();
    SHORT_LE.set(events, o + 1, (short) code.code());
    System.arraycopy(account, 0, events, o + 3, 32);
    System.arraycopy(payer, 0, events, o + 35, 32);
    LONG_LE.set(events, o + 67, amount);
  }

  /** The execution code of transaction {@code index}. */
  public ExecutionCode code(int index) {
    return ExecutionCode.fromCode(
        Short.toUnsignedInt((short) SHORT_LE.get(receipts, index * Receipt.ENCODED_LENGTH + 33)));
  }

  /** The fee transaction {@code index} paid. */
  public long fee(int index) {
    return (long) LONG_LE.get(receipts, index * Receipt.ENCODED_LENGTH + 35);
  }

  /** The event type of transaction {@code index}. */
  public ExecutionEvent.Type eventType(int index) {
    return TYPES[events[index * EVENT_BYTES]];
  }

  /** Copies transaction {@code index}'s id (32 B) into {@code dst} at {@code offset}. */
  public void copyTxId(int index, byte[] dst, int offset) {
    System.arraycopy(ids, index * 32, dst, offset, 32);
  }

  /**
   * Copies the account of transaction {@code index}'s event (the agent of a recorded run) into
   * {@code dst} at {@code offset}.
   */
  public void copyEventAccount(int index, byte[] dst, int offset) {
    System.arraycopy(events, index * EVENT_BYTES + EVENT_ACCOUNT, dst, offset, 32);
  }

  /**
   * Copies every encoded receipt ({@link Receipt#ENCODED_LENGTH} bytes each, in commit order) into
   * {@code dst} at {@code offset}.
   */
  public void copyReceipts(byte[] dst, int offset) {
    System.arraycopy(receipts, 0, dst, offset, count * Receipt.ENCODED_LENGTH);
  }

  /**
   * Copies transaction {@code index}'s receipt without its transaction id (kind u8 | code u16 | fee
   * u64, {@code Receipt.ENCODED_LENGTH - 32} bytes) into {@code dst} at {@code offset}.
   */
  public void copyReceiptTail(int index, byte[] dst, int offset) {
    System.arraycopy(
        receipts, index * Receipt.ENCODED_LENGTH + 32, dst, offset, Receipt.ENCODED_LENGTH - 32);
  }

  /**
   * Copies every event as an event record ({@value #EVENT_RECORD_BYTES} bytes: transaction id, then
   * the event) into {@code dst} at {@code offset}, in commit order.
   */
  public void copyEventRecords(byte[] dst, int offset) {
    for (int i = 0; i < count; i++) {
      int o = offset + i * EVENT_RECORD_BYTES;
      System.arraycopy(ids, i * 32, dst, o, 32);
      System.arraycopy(events, i * EVENT_BYTES, dst, o + 32, EVENT_BYTES);
    }
  }

  /** Writes {@code event} as an event record into {@code dst} at {@code offset}. */
  public static void encodeEventRecord(ExecutionEvent event, byte[] dst, int offset) {
    System.arraycopy(event.txId(), 0, dst, offset, 32);
    int o = offset + 32;
    dst[o] = (byte) event.type().ordinal();
    SHORT_LE.set(dst, o + 1, (short) event.code().code());
    System.arraycopy(event.account(), 0, dst, o + EVENT_ACCOUNT, 32);
    System.arraycopy(event.payer(), 0, dst, o + 35, 32);
    LONG_LE.set(dst, o + 67, event.amount());
  }

  /**
   * The event of the event record at {@code offset} in {@code records}: event {@code index} of
   * commit {@code sequence}.
   */
  public static ExecutionEvent decodeEventRecord(
      long sequence, int index, byte[] records, int offset) {
    int o = offset + 32;
    return new ExecutionEvent(
        sequence,
        index,
        TYPES[records[o]],
        Arrays.copyOfRange(records, offset, offset + 32),
        Arrays.copyOfRange(records, o + EVENT_ACCOUNT, o + 35),
        Arrays.copyOfRange(records, o + 35, o + 67),
        ExecutionCode.fromCode(Short.toUnsignedInt((short) SHORT_LE.get(records, o + 1))),
        (long) LONG_LE.get(records, o + 67));
  }

  public byte[] txRoot() {
    return txRoot;
  }

  public byte[] receiptsRoot() {
    return receiptsRoot;
  }

  public byte[] stateRoot() {
    return stateRoot;
  }

  byte[] stateRootArray() {
    return stateRoot;
  }

  /** Computes the transaction and receipt roots from the ids and receipts written. */
  void computeRoots() {
    root(ids, 32, txRoot);
    root(receipts, Receipt.ENCODED_LENGTH, receiptsRoot);
  }

  private void root(byte[] leaves, int leafBytes, byte[] out) {
    int n = count;
    if (n == 0) {
      sha.reset().digest(out, 0);
      return;
    }
    if (leafBytes == 32) {
      hasher.hashLeaves32(leaves, 0, n, level, 0);
    } else if (n >= SIMD_MIN) {
      int m = leafBytes + 1;
      for (int i = 0; i < n; i++) {
        messages[i * m] = 0;
        System.arraycopy(leaves, i * leafBytes, messages, i * m + 1, leafBytes);
      }
      WarmSha256.digestFixed(messages, 0, m, n, level, 0);
    } else {
      for (int i = 0; i < n; i++) {
        sha.reset().update((byte) 0).update(leaves, i * leafBytes, leafBytes).digest(level, 32 * i);
      }
    }
    while (n > 1) {
      int pairs = n / 2;
      hasher.hashPairs(level, 0, pairs, next, 0);
      if ((n & 1) == 1) {
        System.arraycopy(level, 32 * (n - 1), next, 32 * pairs, 32);
      }
      n = pairs + (n & 1);
      byte[] t = level;
      level = next;
      next = t;
    }
    System.arraycopy(level, 0, out, 0, 32);
  }

  /** Copies this output into objects (the form the node's query store and event log keep). */
  public CommitExecution toCommitExecution(CommittedInput input) {
    List<byte[]> idList = new ArrayList<>(count);
    List<Receipt> receiptList = new ArrayList<>(count);
    List<ExecutionEvent> eventList = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] id = Arrays.copyOfRange(ids, 32 * i, 32 * i + 32);
      idList.add(id);
      int r = i * Receipt.ENCODED_LENGTH;
      receiptList.add(new Receipt(id, Byte.toUnsignedInt(receipts[r + 32]), code(i), fee(i)));
      int e = i * EVENT_BYTES;
      eventList.add(
          new ExecutionEvent(
              input.sequence(),
              i,
              eventType(i),
              id,
              Arrays.copyOfRange(events, e + 3, e + 35),
              Arrays.copyOfRange(events, e + 35, e + 67),
              ExecutionCode.fromCode(Short.toUnsignedInt((short) SHORT_LE.get(events, e + 1))),
              (long) LONG_LE.get(events, e + 67)));
    }
    return new CommitExecution(
        input,
        List.copyOf(idList),
        List.copyOf(receiptList),
        txRoot.clone(),
        receiptsRoot.clone(),
        stateRoot.clone(),
        List.copyOf(eventList));
  }
}
