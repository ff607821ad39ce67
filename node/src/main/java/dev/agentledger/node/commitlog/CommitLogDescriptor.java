package dev.agentledger.node.commitlog;

/**
 * Offsets and lengths of a commit log entry: one consensus commit resolved to the worker batches
 * and transaction ids it orders, little-endian, fields in table order, no padding.
 *
 * <pre>
 *   off        len      field
 *     0          1      version (2)
 *     1         32      chain = SHA-256(previous entry's chain || bytes 33.. of this entry)
 *    33         32      anchor (digest of the committed anchor certificate)
 *    65          8      anchor_round (u64)
 *    73          4      batch_count nb (u32)
 *    77          4      tx_count nt (u32)
 *    81      32 nb      worker batch digests, in commit order
 *    81+32nb 32 nt      transaction ids, in commit order
 * </pre>
 *
 * The first entry chains from 32 zero bytes, so two validators agree on an entry's chain value
 * exactly when they agree on the whole committed prefix. Version 1 (big-endian, no version byte,
 * the chain first) is not read: a store written with it is refused by {@link CommitLog#open}.
 */
public final class CommitLogDescriptor {
  private CommitLogDescriptor() {}

  /** The version this node writes and reads. */
  public static final byte VERSION = 2;

  public static final int HASH_LENGTH = 32;
  public static final int VERSION_OFFSET = 0;
  public static final int CHAIN_OFFSET = VERSION_OFFSET + 1;
  public static final int ANCHOR_OFFSET = CHAIN_OFFSET + HASH_LENGTH;
  public static final int ANCHOR_ROUND_OFFSET = ANCHOR_OFFSET + HASH_LENGTH;
  public static final int BATCH_COUNT_OFFSET = ANCHOR_ROUND_OFFSET + 8;
  public static final int TX_COUNT_OFFSET = BATCH_COUNT_OFFSET + 4;

  /** Bytes before the batch digests. */
  public static final int HEADER_LENGTH = TX_COUNT_OFFSET + 4;

  /** Where the bytes the chain value covers begin (everything after the chain field). */
  public static final int CHAINED_OFFSET = ANCHOR_OFFSET;

  /** Most batch digests one entry may carry (bounds what a decode allocates). */
  public static final int MAX_BATCHES = 1 << 20;

  /** Most transaction ids one entry may carry. */
  public static final int MAX_TRANSACTIONS = 1 << 24;

  /** Offset of batch digest {@code i}. */
  public static int batchDigestOffset(int i) {
    return HEADER_LENGTH + HASH_LENGTH * i;
  }

  /** Offset of transaction id {@code i} in an entry of {@code batchCount} batches. */
  public static int txIdOffset(int batchCount, int i) {
    return HEADER_LENGTH + HASH_LENGTH * (batchCount + i);
  }

  /**
   * Bytes of an entry of {@code batchCount} batches and {@code txCount} transactions.
   *
   * @throws IllegalArgumentException if a count is negative or above its bound
   */
  public static int encodedLength(int batchCount, int txCount) {
    if (batchCount < 0 || batchCount > MAX_BATCHES) {
      throw new IllegalArgumentException(
          "commit log entry batch count " + batchCount + " outside 0.." + MAX_BATCHES);
    }
    if (txCount < 0 || txCount > MAX_TRANSACTIONS) {
      throw new IllegalArgumentException(
          "commit log entry transaction count " + txCount + " outside 0.." + MAX_TRANSACTIONS);
    }
    return txIdOffset(batchCount, txCount);
  }

  /**
   * Throws unless {@code entry} is a whole entry of this version: long enough for its header,
   * version {@link #VERSION}, counts within their bounds, and exactly as long as they say.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void check(byte[] entry) {
    if (entry.length < HEADER_LENGTH) {
      throw new IllegalArgumentException(
          "commit log entry of "
              + entry.length
              + " bytes, shorter than its "
              + HEADER_LENGTH
              + "-byte header");
    }
    if (entry[VERSION_OFFSET] != VERSION) {
      throw new IllegalArgumentException(
          "commit log entry of version "
              + Byte.toUnsignedInt(entry[VERSION_OFFSET])
              + "; this node reads version "
              + VERSION);
    }
    int batches = intAt(entry, BATCH_COUNT_OFFSET);
    int txs = intAt(entry, TX_COUNT_OFFSET);
    if (batches < 0 || batches > MAX_BATCHES || txs < 0 || txs > MAX_TRANSACTIONS) {
      throw new IllegalArgumentException(
          "commit log entry counts "
              + Integer.toUnsignedString(batches)
              + " batches, "
              + Integer.toUnsignedString(txs)
              + " transactions: above their bounds");
    }
    long expected = HEADER_LENGTH + (long) HASH_LENGTH * ((long) batches + txs);
    if (entry.length != expected) {
      throw new IllegalArgumentException(
          "commit log entry of "
              + entry.length
              + " bytes where its counts ("
              + batches
              + " batches, "
              + txs
              + " transactions) need "
              + expected);
    }
  }

  static int intAt(byte[] b, int at) {
    return (b[at] & 0xff)
        | (b[at + 1] & 0xff) << 8
        | (b[at + 2] & 0xff) << 16
        | (b[at + 3] & 0xff) << 24;
  }
}
