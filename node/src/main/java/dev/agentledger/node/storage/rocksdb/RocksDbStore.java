package dev.agentledger.node.storage.rocksdb;

import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.StateLayout;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.StoreException;
import dev.agentledger.node.storage.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.function.BiPredicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * {@link Store} over RocksDB: one column family per {@link ColumnFamily}, a shared LRU block cache,
 * bloom filters (10 bits per key, whole-key) on every family, LZ4 compression with ZSTD at the
 * bottommost level, and two write paths: buffered (WAL, no fsync) and synced (WAL fsync before
 * return). A {@link WriteBatch} maps onto one RocksDB {@code WriteBatch}, which the WAL applies
 * atomically.
 *
 * <p>It is also a plain {@link NodeStore} for the sparse Merkle tree (nodes in {@code state_nodes},
 * roots in {@code meta}, the {@link StateLayout}; one synced batch per version), for tools and
 * tests that keep values elsewhere. The node's execution state does not use that path: {@code
 * SmtStateStore.durable} writes nodes, values and root in the commit's own batch.
 */
public final class RocksDbStore implements Store, NodeStore {
  static {
    RocksDB.loadLibrary();
  }

  /** Tuning knobs; {@link #defaults()} suits one validator on a shared host. */
  public record Options(long blockCacheBytes, int bloomBitsPerKey, long writeBufferBytes) {
    public static Options defaults() {
      return new Options(64L << 20, 10, 32L << 20);
    }
  }

  private static final byte[] DEFAULT_FAMILY = RocksDB.DEFAULT_COLUMN_FAMILY;

  /** The value buffer of {@link #contains}: RocksDB copies nothing into it and returns the size. */
  private static final byte[] NO_VALUE = new byte[0];

  private final Path directory;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions familyOptions;
  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  private final WriteOptions buffered;
  private final WriteOptions synced;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final EnumMap<ColumnFamily, ColumnFamilyHandle> byFamily =
      new EnumMap<>(ColumnFamily.class);
  private volatile boolean closed;
  private volatile StoreException failure;

  private RocksDbStore(Path directory, Options options) {
    this.directory = directory;
    blockCache = new LRUCache(options.blockCacheBytes());
    bloomFilter = new BloomFilter(options.bloomBitsPerKey(), false);
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(blockCache)
            .setFilterPolicy(bloomFilter)
            .setCacheIndexAndFilterBlocks(true)
            .setPinL0FilterAndIndexBlocksInCache(true);
    familyOptions =
        new ColumnFamilyOptions()
            .setTableFormatConfig(table)
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
            .setWriteBufferSize(options.writeBufferBytes())
            .optimizeLevelStyleCompaction();
    dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2);
    buffered = new WriteOptions().setSync(false);
    synced = new WriteOptions().setSync(true);

    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(DEFAULT_FAMILY, familyOptions));
    for (ColumnFamily family : ColumnFamily.values()) {
      descriptors.add(
          new ColumnFamilyDescriptor(
              family.familyName().getBytes(StandardCharsets.US_ASCII), familyOptions));
    }
    try {
      Files.createDirectories(directory);
      db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
    } catch (RocksDBException | java.io.IOException e) {
      closeOptions();
      throw new StoreException("cannot open RocksDB at " + directory + ": " + e.getMessage(), e);
    }
    ColumnFamily[] families = ColumnFamily.values();
    for (int i = 0; i < families.length; i++) {
      byFamily.put(families[i], handles.get(i + 1));
    }
  }

  /** Opens (creating if missing) the store in {@code directory}. */
  public static RocksDbStore open(Path directory) {
    return new RocksDbStore(directory, Options.defaults());
  }

  public static RocksDbStore open(Path directory, Options options) {
    return new RocksDbStore(directory, options);
  }

  public Path directory() {
    return directory;
  }

  private ColumnFamilyHandle handle(ColumnFamily family) {
    if (closed) {
      throw new StoreException("store at " + directory + " is closed", null);
    }
    return byFamily.get(family);
  }

  /** Raw get, for byte-keyed callers such as the state tree's node store. */
  public byte[] getRaw(ColumnFamily family, byte[] key) {
    try {
      return db.get(handle(family), key);
    } catch (RocksDBException e) {
      throw new StoreException("get from " + family.familyName() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public <K, V> V get(Column<K, V> column, K key) {
    byte[] value = getRaw(column.family(), column.keys().toBytes(key));
    return value == null ? null : column.values().fromBytes(value);
  }

  /**
   * Whether {@code key} has a value, without copying the value into the heap: RocksDB answers the
   * value's size into an empty array (the stored batches this is asked about are kilobytes each).
   */
  @Override
  public <K, V> boolean contains(Column<K, V> column, K key) {
    try {
      return db.get(handle(column.family()), column.keys().toBytes(key), NO_VALUE)
          != RocksDB.NOT_FOUND;
    } catch (RocksDBException e) {
      throw new StoreException(
          "get from " + column.family().familyName() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public WriteBatch newBatch() {
    return new RocksWriteBatch();
  }

  @Override
  public void write(WriteBatch batch, Durability durability) {
    if (!(batch instanceof RocksWriteBatch rocks)) {
      throw new IllegalArgumentException("batch was not made by this store");
    }
    try {
      refuseAfterFailure();
      if (rocks.closed) {
        throw new IllegalStateException("write batch used after it was written or closed");
      }
      db.write(durability == Durability.SYNCED ? synced : buffered, rocks.batch);
    } catch (RocksDBException e) {
      throw failed("write of " + rocks.size + " operations failed: " + e.getMessage(), e);
    } finally {
      rocks.close();
    }
  }

  @Override
  public StoreException writeFailure() {
    return failure;
  }

  /** Records the first write failure; from then on every write is refused before native code. */
  private StoreException failed(String message, RocksDBException cause) {
    StoreException e = new StoreException(message, cause);
    synchronized (this) {
      if (failure == null) {
        failure = e;
      }
    }
    return e;
  }

  private void refuseAfterFailure() {
    StoreException first = failure;
    if (first != null) {
      throw new StoreException(
          "store at " + directory + " refuses writes after a failed write: " + first.getMessage(),
          first);
    }
  }

  @Override
  public <K, V> void scan(Column<K, V> column, K fromKey, BiPredicate<K, V> visitor) {
    try (ReadOptions options = new ReadOptions();
        RocksIterator it = db.newIterator(handle(column.family()), options)) {
      if (fromKey == null) {
        it.seekToFirst();
      } else {
        it.seek(column.keys().toBytes(fromKey));
      }
      for (; it.isValid(); it.next()) {
        if (!visitor.test(
            column.keys().fromBytes(it.key()), column.values().fromBytes(it.value()))) {
          break;
        }
      }
    }
  }

  // ---- NodeStore (sparse Merkle tree state) ------------------------------------------------

  @Override
  public byte[] node(byte[] key) {
    return getRaw(ColumnFamily.STATE_NODES, key);
  }

  @Override
  public synchronized void commit(
      long version, byte[] root, List<byte[]> keys, List<byte[]> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException("keys and values differ in number");
    }
    long latest = latestVersion();
    if (version <= latest) {
      throw new IllegalArgumentException("version " + version + " is not after " + latest);
    }
    refuseAfterFailure();
    try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
      ColumnFamilyHandle nodes = handle(ColumnFamily.STATE_NODES);
      for (int i = 0; i < keys.size(); i++) {
        batch.put(nodes, keys.get(i), values.get(i));
      }
      ColumnFamilyHandle meta = handle(ColumnFamily.META);
      batch.put(meta, StateLayout.rootKey(version), root);
      batch.put(meta, StateLayout.LATEST_KEY, StateLayout.rootKey(version));
      db.write(synced, batch);
    } catch (RocksDBException e) {
      throw failed("state commit of version " + version + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] root(long version) {
    return version < 0 ? null : getRaw(ColumnFamily.META, StateLayout.rootKey(version));
  }

  @Override
  public long latestVersion() {
    byte[] key = getRaw(ColumnFamily.META, StateLayout.LATEST_KEY);
    return key == null ? -1 : StateLayout.versionOfRootKey(key);
  }

  /** Flushes memtables to SST files (tests and orderly shutdown). */
  public void flush() {
    try (org.rocksdb.FlushOptions options = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
      db.flush(options, handles);
    } catch (RocksDBException e) {
      throw new StoreException("flush failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ColumnFamilyHandle handle : handles) {
      handle.close();
    }
    db.close();
    closeOptions();
  }

  private void closeOptions() {
    if (buffered != null) {
      buffered.close();
    }
    if (synced != null) {
      synced.close();
    }
    if (dbOptions != null) {
      dbOptions.close();
    }
    if (familyOptions != null) {
      familyOptions.close();
    }
    bloomFilter.close();
    blockCache.close();
  }

  /** Per-thread direct buffers for {@link WriteBatch#putRaw}: RocksDB copies from them. */
  private static final ThreadLocal<java.nio.ByteBuffer[]> DIRECT =
      ThreadLocal.withInitial(
          () ->
              new java.nio.ByteBuffer[] {
                java.nio.ByteBuffer.allocateDirect(256), java.nio.ByteBuffer.allocateDirect(4096)
              });

  /**
   * A RocksDB batch that refuses use after close: its native memory is freed by {@link #close} (and
   * by {@link RocksDbStore#write}), and touching freed native memory crashes the JVM.
   */
  private final class RocksWriteBatch implements WriteBatch {
    private final org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch();
    private int size;
    private boolean closed;

    private void open() {
      if (closed) {
        throw new IllegalStateException("write batch used after it was written or closed");
      }
    }

    @Override
    public <K, V> WriteBatch put(Column<K, V> column, K key, V value) {
      open();
      try {
        batch.put(
            handle(column.family()), column.keys().toBytes(key), column.values().toBytes(value));
      } catch (RocksDBException e) {
        throw new StoreException("batch put failed: " + e.getMessage(), e);
      }
      size++;
      return this;
    }

    @Override
    public WriteBatch putRaw(
        ColumnFamily family,
        byte[] key,
        int keyOffset,
        int keyLength,
        byte[] value,
        int valueOffset,
        int valueLength) {
      open();
      java.nio.ByteBuffer[] buffers = DIRECT.get();
      if (keyLength > buffers[0].capacity()) {
        buffers[0] = java.nio.ByteBuffer.allocateDirect(Integer.highestOneBit(keyLength) << 1);
      }
      if (valueLength > buffers[1].capacity()) {
        buffers[1] = java.nio.ByteBuffer.allocateDirect(Integer.highestOneBit(valueLength) << 1);
      }
      java.nio.ByteBuffer k = buffers[0];
      java.nio.ByteBuffer v = buffers[1];
      k.clear().put(key, keyOffset, keyLength).flip();
      v.clear().put(value, valueOffset, valueLength).flip();
      try {
        batch.put(handle(family), k, v);
      } catch (RocksDBException e) {
        throw new StoreException("batch put failed: " + e.getMessage(), e);
      }
      size++;
      return this;
    }

    @Override
    public WriteBatch deleteRaw(ColumnFamily family, byte[] key, int keyOffset, int keyLength) {
      open();
      java.nio.ByteBuffer[] buffers = DIRECT.get();
      if (keyLength > buffers[0].capacity()) {
        buffers[0] = java.nio.ByteBuffer.allocateDirect(Integer.highestOneBit(keyLength) << 1);
      }
      java.nio.ByteBuffer k = buffers[0];
      k.clear().put(key, keyOffset, keyLength).flip();
      try {
        batch.delete(handle(family), k);
      } catch (RocksDBException e) {
        throw new StoreException("batch delete failed: " + e.getMessage(), e);
      }
      size++;
      return this;
    }

    @Override
    public <K, V> WriteBatch delete(Column<K, V> column, K key) {
      open();
      try {
        batch.delete(handle(column.family()), column.keys().toBytes(key));
      } catch (RocksDBException e) {
        throw new StoreException("batch delete failed: " + e.getMessage(), e);
      }
      size++;
      return this;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void close() {
      closed = true;
      batch.close();
    }
  }
}
