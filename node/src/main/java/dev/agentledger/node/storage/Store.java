package dev.agentledger.node.storage;

import java.util.function.BiPredicate;

/**
 * The node's key-value store: typed {@link Column}s over the {@link ColumnFamily} kinds, atomic
 * {@link WriteBatch}es, and an explicit {@link Durability} per write. Implementations: {@code
 * storage.rocksdb} (production) and {@code storage.memory} (simulator and unit tests). Thread-safe.
 */
public interface Store extends AutoCloseable {
  /** The value under {@code key}, or null. */
  <K, V> V get(Column<K, V> column, K key);

  default <K, V> boolean contains(Column<K, V> column, K key) {
    return get(column, key) != null;
  }

  /**
   * Copies the value under {@code key} into {@code value} (as much of it as fits, from index 0) and
   * returns its whole length, or -1 when there is none: a caller reading into a reused array reads
   * again into a larger one when the length is larger than the array. For columns whose values are
   * stored as they are ({@link Serializer#BYTES}).
   */
  default <K> int getInto(Column<K, byte[]> column, K key, byte[] value) {
    byte[] stored = get(column, key);
    if (stored == null) {
      return -1;
    }
    System.arraycopy(stored, 0, value, 0, Math.min(stored.length, value.length));
    return stored.length;
  }

  /** A single put, atomically and with the given durability. */
  default <K, V> void put(Column<K, V> column, K key, V value, Durability durability) {
    try (WriteBatch batch = newBatch()) {
      batch.put(column, key, value);
      write(batch, durability);
    }
  }

  /** A new, empty batch bound to this store. */
  WriteBatch newBatch();

  /**
   * Applies every operation of {@code batch} atomically; returns once durable as asked. The batch
   * is consumed either way: it must not be used again, even when this throws. A {@link
   * Durability#SYNCED} write also makes every earlier {@link Durability#BUFFERED} write of this
   * store durable (one write-ahead log, synced up to its end), so a caller may write several
   * batches buffered and pay one sync for all of them with the last.
   */
  void write(WriteBatch batch, Durability durability);

  /**
   * The write failure (full disk, I/O error) after which this store refuses every further write, or
   * null while it writes normally. Fail-stop: a node whose store failed must stop, not retry.
   */
  default StoreException writeFailure() {
    return null;
  }

  /**
   * Visits entries with keys {@code >= fromKey} (all entries when null) in ascending unsigned byte
   * order of the serialized keys, until {@code visitor} returns false.
   */
  <K, V> void scan(Column<K, V> column, K fromKey, BiPredicate<K, V> visitor);

  @Override
  void close();
}
