package dev.agentledger.node.storage;

/**
 * A group of puts and deletes that a {@link Store} applies atomically: after a crash either all of
 * them are visible or none. Not thread-safe; close it (or let {@link Store#write} consume it).
 */
public interface WriteBatch extends AutoCloseable {
  <K, V> WriteBatch put(Column<K, V> column, K key, V value);

  <K, V> WriteBatch delete(Column<K, V> column, K key);

  /**
   * A put of raw bytes, key and value read from ranges of arrays during the call (a store that
   * copies into native memory allocates nothing here).
   */
  default WriteBatch putRaw(
      ColumnFamily family,
      byte[] key,
      int keyOffset,
      int keyLength,
      byte[] value,
      int valueOffset,
      int valueLength) {
    return put(
        Column.raw(family),
        java.util.Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength),
        java.util.Arrays.copyOfRange(value, valueOffset, valueOffset + valueLength));
  }

  /** A delete of a raw key read from a range of an array during the call. */
  default WriteBatch deleteRaw(ColumnFamily family, byte[] key, int keyOffset, int keyLength) {
    return delete(
        Column.raw(family), java.util.Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength));
  }

  /** Number of operations recorded. */
  int size();

  @Override
  void close();
}
