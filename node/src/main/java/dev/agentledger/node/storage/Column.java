package dev.agentledger.node.storage;

import java.util.Objects;

/**
 * A typed view of one column family: which family, and how its keys and values become bytes.
 * Several columns may share a family when their keys cannot collide (for example distinct key
 * prefixes in {@link ColumnFamily#META}).
 */
public record Column<K, V>(ColumnFamily family, Serializer<K> keys, Serializer<V> values) {
  public Column {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
  }

  public static <K, V> Column<K, V> of(
      ColumnFamily family, Serializer<K> keys, Serializer<V> values) {
    return new Column<>(family, keys, values);
  }

  /** Raw bytes in, raw bytes out. */
  public static Column<byte[], byte[]> raw(ColumnFamily family) {
    return new Column<>(family, Serializer.BYTES, Serializer.BYTES);
  }
}
