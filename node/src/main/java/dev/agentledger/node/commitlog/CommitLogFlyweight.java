package dev.agentledger.node.commitlog;

import static dev.agentledger.node.commitlog.CommitLogDescriptor.ANCHOR_OFFSET;
import static dev.agentledger.node.commitlog.CommitLogDescriptor.ANCHOR_ROUND_OFFSET;
import static dev.agentledger.node.commitlog.CommitLogDescriptor.BATCH_COUNT_OFFSET;
import static dev.agentledger.node.commitlog.CommitLogDescriptor.CHAINED_OFFSET;
import static dev.agentledger.node.commitlog.CommitLogDescriptor.CHAIN_OFFSET;
import static dev.agentledger.node.commitlog.CommitLogDescriptor.HASH_LENGTH;
import static dev.agentledger.node.commitlog.CommitLogDescriptor.TX_COUNT_OFFSET;
import static dev.agentledger.node.commitlog.CommitLogDescriptor.VERSION;
import static dev.agentledger.node.commitlog.CommitLogDescriptor.VERSION_OFFSET;

import dev.agentledger.hash.Sha256;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A view over one commit log entry ({@link CommitLogDescriptor}): {@link #wrap} checks a stored
 * entry and reads its fields in place; {@link #create} lays out a new one whose fields are then set
 * and whose chain value {@link #seal} computes last. One flyweight is reused across entries.
 */
public final class CommitLogFlyweight {
  private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
  private byte[] entry = new byte[0];
  private int batchCount;

  /**
   * Reads {@code stored} from now on.
   *
   * @throws IllegalArgumentException if it is not a whole entry of this version
   */
  public CommitLogFlyweight wrap(byte[] stored) {
    CommitLogDescriptor.check(stored);
    return view(stored);
  }

  /**
   * Lays out a new entry of {@code batchCount} batches and {@code txCount} transactions (version
   * and counts set, everything else zero) and views it.
   */
  public CommitLogFlyweight create(int batchCount, int txCount) {
    byte[] fresh = new byte[CommitLogDescriptor.encodedLength(batchCount, txCount)];
    fresh[VERSION_OFFSET] = VERSION;
    UnsafeBuffer b = new UnsafeBuffer(fresh);
    b.putInt(BATCH_COUNT_OFFSET, batchCount, ByteOrder.LITTLE_ENDIAN);
    b.putInt(TX_COUNT_OFFSET, txCount, ByteOrder.LITTLE_ENDIAN);
    return view(fresh);
  }

  private CommitLogFlyweight view(byte[] bytes) {
    entry = bytes;
    buffer.wrap(bytes);
    batchCount = buffer.getInt(BATCH_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN);
    return this;
  }

  /** The entry's bytes (not a copy). */
  public byte[] bytes() {
    return entry;
  }

  public byte[] chain() {
    return copy(CHAIN_OFFSET);
  }

  public byte[] anchor() {
    return copy(ANCHOR_OFFSET);
  }

  public long anchorRound() {
    return buffer.getLong(ANCHOR_ROUND_OFFSET, ByteOrder.LITTLE_ENDIAN);
  }

  public int batchCount() {
    return batchCount;
  }

  public int txCount() {
    return buffer.getInt(TX_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN);
  }

  /** Worker batch digest {@code i} as a new array. */
  public byte[] batchDigest(int i) {
    return copy(CommitLogDescriptor.batchDigestOffset(checkIndex(i, batchCount)));
  }

  /** Copies transaction id {@code i} into {@code out} at {@code offset}. */
  public void copyTxId(int i, byte[] out, int offset) {
    buffer.getBytes(
        CommitLogDescriptor.txIdOffset(batchCount, checkIndex(i, txCount())),
        out,
        offset,
        HASH_LENGTH);
  }

  public CommitLogFlyweight anchor(byte[] digest) {
    return put(ANCHOR_OFFSET, digest, 0);
  }

  public CommitLogFlyweight anchorRound(long round) {
    buffer.putLong(ANCHOR_ROUND_OFFSET, round, ByteOrder.LITTLE_ENDIAN);
    return this;
  }

  public CommitLogFlyweight batchDigest(int i, byte[] digest) {
    return put(CommitLogDescriptor.batchDigestOffset(checkIndex(i, batchCount)), digest, 0);
  }

  public CommitLogFlyweight txId(int i, byte[] ids, int offset) {
    return put(CommitLogDescriptor.txIdOffset(batchCount, checkIndex(i, txCount())), ids, offset);
  }

  /**
   * Sets the chain value from {@code previousChain} (32 zero bytes before the first entry) and the
   * rest of the entry, which must be complete by then; returns the entry's bytes.
   */
  public byte[] seal(byte[] previousChain, Sha256 sha) {
    if (previousChain.length != HASH_LENGTH) {
      throw new IllegalArgumentException("a chain value is 32 bytes");
    }
    sha.reset();
    sha.update(previousChain, 0, HASH_LENGTH);
    sha.update(entry, CHAINED_OFFSET, entry.length - CHAINED_OFFSET);
    sha.digest(entry, CHAIN_OFFSET);
    return entry;
  }

  /**
   * Whether the chain field holds the value {@link #seal} would set after {@code previousChain}.
   */
  public boolean chainMatches(byte[] previousChain, Sha256 sha) {
    byte[] expected = new byte[HASH_LENGTH];
    sha.reset();
    sha.update(previousChain, 0, HASH_LENGTH);
    sha.update(entry, CHAINED_OFFSET, entry.length - CHAINED_OFFSET);
    sha.digest(expected, 0);
    return java.util.Arrays.equals(
        expected, 0, HASH_LENGTH, entry, CHAIN_OFFSET, CHAIN_OFFSET + HASH_LENGTH);
  }

  private CommitLogFlyweight put(int at, byte[] src, int offset) {
    if (src.length - offset < HASH_LENGTH) {
      throw new IllegalArgumentException("a digest is 32 bytes");
    }
    buffer.putBytes(at, src, offset, HASH_LENGTH);
    return this;
  }

  private byte[] copy(int at) {
    byte[] out = new byte[HASH_LENGTH];
    buffer.getBytes(at, out);
    return out;
  }

  private static int checkIndex(int i, int count) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("index " + i + " of " + count);
    }
    return i;
  }
}
