package dev.agentledger.node.storage.memory;

import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;

/**
 * {@link Store} in memory: one sorted map per family, keys ordered like RocksDB's default
 * comparator (unsigned lexicographic). Batches apply under a write lock, so readers never see a
 * half-applied batch. Durability is moot. Values are copied in and out, so callers cannot alias
 * stored bytes.
 */
public final class InMemoryStore implements Store {
  private final EnumMap<ColumnFamily, ConcurrentSkipListMap<byte[], byte[]>> families =
      new EnumMap<>(ColumnFamily.class);
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  public InMemoryStore() {
    for (ColumnFamily family : ColumnFamily.values()) {
      families.put(family, new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
    }
  }

  @Override
  public <K, V> V get(Column<K, V> column, K key) {
    lock.readLock().lock();
    try {
      byte[] value = families.get(column.family()).get(column.keys().toBytes(key));
      return value == null ? null : column.values().fromBytes(value.clone());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public WriteBatch newBatch() {
    return new MemoryBatch();
  }

  @Override
  public void write(WriteBatch batch, Durability durability) {
    if (!(batch instanceof MemoryBatch memory)) {
      throw new IllegalArgumentException("batch was not made by this store");
    }
    lock.writeLock().lock();
    try {
      for (Op op : memory.ops) {
        Map<byte[], byte[]> map = families.get(op.family);
        if (op.value == null) {
          map.remove(op.key);
        } else {
          map.put(op.key, op.value);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public <K, V> void scan(Column<K, V> column, K fromKey, BiPredicate<K, V> visitor) {
    ConcurrentSkipListMap<byte[], byte[]> map = families.get(column.family());
    Map<byte[], byte[]> view =
        fromKey == null ? map : map.tailMap(column.keys().toBytes(fromKey), true);
    lock.readLock().lock();
    try {
      for (Map.Entry<byte[], byte[]> e : view.entrySet()) {
        if (!visitor.test(
            column.keys().fromBytes(e.getKey().clone()),
            column.values().fromBytes(e.getValue().clone()))) {
          break;
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {}

  private record Op(ColumnFamily family, byte[] key, byte[] value) {}

  private static final class MemoryBatch implements WriteBatch {
    private final List<Op> ops = new ArrayList<>();

    @Override
    public <K, V> WriteBatch put(Column<K, V> column, K key, V value) {
      ops.add(
          new Op(
              column.family(),
              column.keys().toBytes(key).clone(),
              column.values().toBytes(value).clone()));
      return this;
    }

    @Override
    public <K, V> WriteBatch delete(Column<K, V> column, K key) {
      ops.add(new Op(column.family(), column.keys().toBytes(key).clone(), null));
      return this;
    }

    @Override
    public int size() {
      return ops.size();
    }

    @Override
    public void close() {}
  }
}
