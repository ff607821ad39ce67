package dev.agentledger.node.execution.core;

/**
 * The authenticated key/value state that execution reads and writes: 32-byte keys (see {@link
 * StateKeys}), small fixed-layout values. An implementation commits to its whole content with a
 * 32-byte {@link #root()} (a sparse Merkle tree in production); execution never sees how.
 *
 * <p>Single writer: the executor. {@link #get} returns {@code null} for an absent key; {@link #put}
 * with {@code null} removes the key.
 */
public interface StateStore {
  byte[] get(byte[] key);

  void put(byte[] key, byte[] value);

  /** The commitment to the current content. */
  byte[] root();

  /** Copies the commitment to the current content into {@code out} (32 bytes from index 0). */
  default void root(byte[] out) {
    System.arraycopy(root(), 0, out, 0, 32);
  }

  /**
   * Copies what {@code key} holds into {@code out} from index 0 ({@code out} has room for any
   * value: 128 bytes); returns its length, or -1 when absent. The executor's allocation-free read.
   */
  default int read(byte[] key, byte[] out) {
    byte[] value = get(key);
    if (value == null) {
      return -1;
    }
    System.arraycopy(value, 0, out, 0, value.length);
    return value.length;
  }

  /**
   * A hint that the {@code count} keys at {@code keys[offset + 32i, offset + 32i + 32)} are read
   * soon: a store may load what reading them touches now, many keys' cache misses at once, instead
   * of one miss after another in the reads. Changes nothing; any bytes may be passed (keys that are
   * absent, or not keys at all). Does nothing by default.
   */
  default void prefetch(byte[] keys, int offset, int count) {}

  /** Stores {@code value[0, length)} under {@code key} ({@code length < 0}: removes the key). */
  default void write(byte[] key, byte[] value, int length) {
    put(key, length < 0 ? null : java.util.Arrays.copyOf(value, length));
  }

  /**
   * {@link #write} of a key that is new and that nothing writes again (a run's entry, keyed by its
   * transaction id): the content and root are the same as with {@link #write}, but a durable store
   * may keep such values packed together instead of one entry per key. Writing the key again later
   * is still correct, only not packed.
   */
  default void writeOnce(byte[] key, byte[] value, int length) {
    write(key, value, length);
  }
}
