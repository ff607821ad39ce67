package dev.agentledger.node.storage;

/**
 * A group of puts and deletes that a {@link Store} applies atomically: after a crash either all of
 * them are visible or none. Not thread-safe; close it (or let {@link Store#write} consume it).
 */
public interface WriteBatch extends AutoCloseable {
  <K, V> WriteBatch put(Column<K, V> column, K key, V value);

  <K, V> WriteBatch delete(Column<K, V> column, K key);

  /** Number of operations recorded. */
  int size();

  @Override
  void close();
}
