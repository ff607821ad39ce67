package dev.agentledger.node.storage.rocksdb;

import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Serializer;
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
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.MemoryUsageType;
import org.rocksdb.MemoryUtil;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * {@link Store} over RocksDB: one column family per {@link ColumnFamily}, a shared LRU block cache,
 * bloom filters (10 bits per key, whole-key) on every family, LZ4 compression with ZSTD at the
 * bottommost level, blob files for the values of the families whose values are kilobytes ({@link
 * #BLOB_FAMILIES}: compaction moves their keys, not their values), no compression for the
 * hash-keyed index families ({@link #HASH_KEYED_FAMILIES}), and three write paths: unlogged (no
 * WAL), buffered (WAL, no fsync) and synced (WAL fsync before return). A {@link WriteBatch} maps
 * onto one RocksDB {@code WriteBatch}, which the WAL applies atomically.
 *
 * <p>Native memory is bounded by {@link Options#memoryBytes}: the block cache has that capacity,
 * and a write buffer manager charges every family's memtables to the same cache, flushing the
 * memtable with the oldest unflushed write (RocksDB's choice, not the largest one) once all of them
 * together near {@link Options#memtableBytes} (writes never wait for it; a family holds at most two
 * memtables of {@link Options#writeBufferBytes}). Index and filter blocks live in the cache, and at
 * most {@link Options#maxOpenFiles} table files are open. {@link #memoryUsage} reports what each
 * part holds.
 *
 * <p>It is also a plain {@link NodeStore} for the sparse Merkle tree (nodes in {@code state_nodes},
 * roots in {@code meta}, the {@link StateLayout}; one synced batch per version), for tools and
 * tests that keep values elsewhere. The node's execution state does not use that path: {@code
 * SmtStateStore.durable} writes nodes, values and root in the commit's own batch.
 */
public final class RocksDbStore implements Store, NodeStore {
  static {
    RocksNativeLibrary.load();
  }

  /**
   * Tuning knobs; {@link #defaults()} suits one validator on a shared host.
   *
   * @param memoryBytes capacity of the shared block cache, which the memtables are charged to: the
   *     bound of RocksDB's cache and memtable memory together
   * @param bloomBitsPerKey bloom filter bits per key
   * @param writeBufferBytes one family's memtable size at which it is flushed
   * @param memtableBytes all families' memtables together at which the one with the oldest
   *     unflushed write is flushed (part of {@code memoryBytes})
   * @param maxOpenFiles table files kept open (their readers' memory outside the cache is small)
   */
  public record Options(
      long memoryBytes,
      int bloomBitsPerKey,
      long writeBufferBytes,
      long memtableBytes,
      int maxOpenFiles) {
    /** Default of {@link #MEMORY_PROPERTY}, in MiB. */
    public static final long DEFAULT_MEMORY_MIB = 128;

    /** System property with RocksDB's memory bound in MiB (cache and memtables together). */
    public static final String MEMORY_PROPERTY = "agentledger.storage.memory-mib";

    public Options {
      if (memoryBytes < 8L << 20 || memtableBytes < 1L << 20 || memtableBytes > memoryBytes) {
        throw new IllegalArgumentException(
            "RocksDB memory must be at least 8 MiB and hold the memtable budget: memory "
                + memoryBytes
                + " bytes, memtables "
                + memtableBytes
                + " bytes");
      }
      if (writeBufferBytes < 1L << 20 || bloomBitsPerKey < 1 || maxOpenFiles < 16) {
        throw new IllegalArgumentException(
            "write buffer at least 1 MiB, bloom bits at least 1, open files at least 16");
      }
    }

    public static Options defaults() {
      return ofMemoryMib(DEFAULT_MEMORY_MIB);
    }

    /**
     * {@code mib} MiB for cache and memtables together; half of it may be memtables, each family's
     * at most 16 MiB.
     */
    public static Options ofMemoryMib(long mib) {
      if (mib < 8 || mib > 1L << 20) {
        throw new IllegalArgumentException(
            "RocksDB memory must be between 8 and " + (1L << 20) + " MiB: " + mib);
      }
      long bytes = mib << 20;
      return new Options(bytes, 10, Math.min(16L << 20, bytes / 4), bytes / 2, 1000);
    }

    /**
     * {@link #defaults()} with the memory bound of system property {@link #MEMORY_PROPERTY} when
     * set.
     *
     * @throws IllegalArgumentException when the property is not a number of MiB in range
     */
    public static Options configured() {
      String value = System.getProperty(MEMORY_PROPERTY);
      if (value == null || value.isBlank()) {
        return defaults();
      }
      try {
        return ofMemoryMib(Long.parseLong(value.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            MEMORY_PROPERTY + " must be a whole number of MiB: " + value);
      }
    }
  }

  /**
   * What RocksDB's native memory holds now, in bytes.
   *
   * @param cacheBytes the block cache's usage, memtable charges included
   * @param cachePinnedBytes entries of the cache in use (they cannot be evicted)
   * @param memtableBytes every family's memtables, flushed or not yet released
   * @param tableReaderBytes the open table files' readers outside the cache
   * @param capacityBytes the cache's capacity ({@link Options#memoryBytes})
   * @param memtableBudgetBytes {@link Options#memtableBytes}
   */
  public record MemoryUsage(
      long cacheBytes,
      long cachePinnedBytes,
      long memtableBytes,
      long tableReaderBytes,
      long capacityBytes,
      long memtableBudgetBytes) {}

  private static final byte[] DEFAULT_FAMILY = RocksDB.DEFAULT_COLUMN_FAMILY;

  /**
   * Families whose values are kilobytes and written once: worker batches (the transaction bodies),
   * the commit log's entries, executed commits, {@code meta}, where the state's per-version log
   * records live until the retention horizon deletes them in order, and the state's paged-out 16
   * KiB page images ({@link #GARBAGE_COLLECTED_BLOB_FAMILIES}). Their values of at least {@link
   * #MIN_BLOB_BYTES} go to blob files when a memtable is flushed, and compactions move only the
   * keys with a reference to the value, never the value again (RocksDB's integrated BlobDB). A blob
   * file whose values are all deleted is removed.
   */
  static final Set<ColumnFamily> BLOB_FAMILIES =
      java.util.EnumSet.of(
          ColumnFamily.BATCHES,
          ColumnFamily.COMMITS,
          ColumnFamily.LEDGER_COMMITS,
          ColumnFamily.META,
          ColumnFamily.STATE_PAGES);

  /**
   * The blob families whose values are deleted or overwritten ({@code meta}'s log records, the
   * rewritten state pages): blob garbage collection moves the live values out of the oldest quarter
   * of their blob files when compaction reaches them, so the files of dead values go. The other
   * blob families never delete or overwrite a value: collecting their files would only copy every
   * value again.
   */
  static final Set<ColumnFamily> GARBAGE_COLLECTED_BLOB_FAMILIES =
      java.util.EnumSet.of(ColumnFamily.META, ColumnFamily.STATE_PAGES);

  /**
   * Families written {@link Durability#UNLOGGED} whose data is of no use after a restart: no
   * compression at any level (the state's page images are hashes and counters, and every page is
   * rewritten long before compression could pay for itself).
   */
  static final Set<ColumnFamily> UNCOMPRESSED_FAMILIES =
      java.util.EnumSet.of(ColumnFamily.STATE_PAGES);

  /**
   * Families keyed by hashes (transaction ids, batch digests, state keys, agents) with values of a
   * few bytes: no compression at any level. Random 32-byte keys do not compress (a block's keys
   * share no prefix), so LZ4 and the bottommost level's ZSTD only cost compaction CPU (about 0.75
   * us per transaction each at demo 8000, rocks22's count).
   */
  static final Set<ColumnFamily> HASH_KEYED_FAMILIES =
      java.util.EnumSet.of(
          ColumnFamily.TX_INDEX,
          ColumnFamily.LEDGER_TX_INDEX,
          ColumnFamily.RUNS_BY_AGENT,
          ColumnFamily.STATE_VALUES,
          ColumnFamily.COMMITTED_BATCHES);

  /** Values at least this long in {@link #BLOB_FAMILIES} are kept in blob files. */
  static final long MIN_BLOB_BYTES = 1024;

  /** Level-0 files at which a family's level 0 is compacted into the base level. */
  static final int L0_COMPACTION_FILES = 4;

  /**
   * System property: when {@code true}, the store counts the puts, deletes and key+value bytes each
   * family is written through {@link #write}, and {@link #close} writes them, with RocksDB's own
   * per-family and database statistics (flush, compaction and WAL bytes), into {@value
   * #WRITE_COUNTS_FILE} in the store's directory. Off by default; a measurement aid.
   */
  public static final String COUNT_WRITES_PROPERTY = "agentledger.storage.count-writes";

  /** The file {@link #COUNT_WRITES_PROPERTY} has {@link #close} (and a write every 5 s) write. */
  public static final String WRITE_COUNTS_FILE = "write-counts.txt";

  private static final long COUNTS_FILE_INTERVAL_NS = 5_000_000_000L;

  /** When a write next rewrites {@link #WRITE_COUNTS_FILE} (counting stores only). */
  private volatile long nextCountsFile = System.nanoTime() + COUNTS_FILE_INTERVAL_NS;

  /** The value buffer of {@link #contains}: RocksDB copies nothing into it and returns the size. */
  private static final byte[] NO_VALUE = new byte[0];

  private final Path directory;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions familyOptions;
  private final ColumnFamilyOptions blobOptions;
  private final ColumnFamilyOptions collectedBlobOptions;
  private final ColumnFamilyOptions pageOptions;
  private final ColumnFamilyOptions indexOptions;
  private final Options options;
  private final LRUCache blockCache;
  private final WriteBufferManager writeBufferManager;
  private final BloomFilter bloomFilter;
  private final WriteOptions buffered;
  private final WriteOptions synced;
  private final WriteOptions unlogged;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final EnumMap<ColumnFamily, ColumnFamilyHandle> byFamily =
      new EnumMap<>(ColumnFamily.class);
  private volatile boolean closed;
  private volatile StoreException failure;

  /**
   * Per family ({@code ordinal}): puts, deletes, key+value bytes written; null unless {@link
   * #COUNT_WRITES_PROPERTY} is set.
   */
  private final java.util.concurrent.atomic.AtomicLongArray writeCounts =
      Boolean.getBoolean(COUNT_WRITES_PROPERTY)
          ? new java.util.concurrent.atomic.AtomicLongArray(3 * ColumnFamily.values().length)
          : null;

  private RocksDbStore(Path directory, Options options) {
    this.directory = directory;
    this.options = options;
    blockCache = new LRUCache(options.memoryBytes());
    // No stall: with allow_stall a validator's writes stopped for good in a soak (the RocksDB LOG
    // counted one write-buffer-manager-limit-stop that never ended). Without it the budget is where
    // the memtable with the oldest unflushed write is flushed (RocksDB picks the oldest, not the
    // largest); each family's two memtables are the hard bound.
    writeBufferManager = new WriteBufferManager(options.memtableBytes(), blockCache, false);
    bloomFilter = new BloomFilter(options.bloomBitsPerKey(), false);
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(blockCache)
            .setFilterPolicy(bloomFilter)
            .setCacheIndexAndFilterBlocks(true)
            .setPinL0FilterAndIndexBlocksInCache(true);
    familyOptions = tableOptions(table, options);
    blobOptions = blobFamily(tableOptions(table, options), options, false);
    collectedBlobOptions = blobFamily(tableOptions(table, options), options, true);
    pageOptions = blobFamily(tableOptions(table, options), options, true);
    uncompressed(pageOptions).setBlobCompressionType(CompressionType.NO_COMPRESSION);
    indexOptions = uncompressed(tableOptions(table, options));
    dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2)
            .setWriteBufferManager(writeBufferManager)
            .setMaxOpenFiles(options.maxOpenFiles());
    buffered = new WriteOptions().setSync(false);
    synced = new WriteOptions().setSync(true);
    unlogged = new WriteOptions().setDisableWAL(true);

    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(DEFAULT_FAMILY, familyOptions));
    for (ColumnFamily family : ColumnFamily.values()) {
      descriptors.add(
          new ColumnFamilyDescriptor(
              family.familyName().getBytes(StandardCharsets.US_ASCII), familyOptions(family)));
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

  /** {@code options} with no compression at any level, the bottommost included. */
  private static ColumnFamilyOptions uncompressed(ColumnFamilyOptions options) {
    return options
        .setCompressionPerLevel(List.of())
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.NO_COMPRESSION);
  }

  /** The options of {@code family}'s column family. */
  private ColumnFamilyOptions familyOptions(ColumnFamily family) {
    if (UNCOMPRESSED_FAMILIES.contains(family)) {
      return pageOptions;
    }
    if (HASH_KEYED_FAMILIES.contains(family)) {
      return indexOptions;
    }
    if (!BLOB_FAMILIES.contains(family)) {
      return familyOptions;
    }
    return GARBAGE_COLLECTED_BLOB_FAMILIES.contains(family) ? collectedBlobOptions : blobOptions;
  }

  /** {@code base} with values of at least {@link #MIN_BLOB_BYTES} in LZ4-compressed blob files. */
  private static ColumnFamilyOptions blobFamily(
      ColumnFamilyOptions base, Options options, boolean garbageCollected) {
    return base.setEnableBlobFiles(true)
        .setMinBlobSize(MIN_BLOB_BYTES)
        .setBlobFileSize(options.writeBufferBytes())
        .setBlobCompressionType(CompressionType.LZ4_COMPRESSION)
        .setEnableBlobGarbageCollection(garbageCollected);
  }

  /**
   * The options every family shares: block-based tables over the shared cache, LZ4 with ZSTD at the
   * bottommost level, leveled compaction, each family's memtable at most {@link
   * Options#writeBufferBytes} (two of them), and an L0-to-base compaction once four level-0 files
   * are waiting.
   */
  private static ColumnFamilyOptions tableOptions(BlockBasedTableConfig table, Options options) {
    return new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .optimizeLevelStyleCompaction()
        // after optimizeLevelStyleCompaction, which sets 128 MiB memtables, six per family, and
        // compacts level 0 at two files: a family's random keys (batch digests, state keys, agents)
        // overlap the whole base level, so each L0 compaction rewrites it; at four (RocksDB's own
        // default) it is rewritten half as often
        .setWriteBufferSize(options.writeBufferBytes())
        .setMaxWriteBufferNumber(2)
        .setMinWriteBufferNumberToMerge(1)
        .setLevel0FileNumCompactionTrigger(L0_COMPACTION_FILES);
  }

  /**
   * Opens (creating if missing) the store in {@code directory}, with {@link Options#defaults()}.
   */
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

  /** RocksDB copies the value straight into {@code value}: no array per read. */
  @Override
  public <K> int getInto(Column<K, byte[]> column, K key, byte[] value) {
    if (column.values() != Serializer.BYTES) {
      throw new IllegalArgumentException("getInto reads columns of raw values only");
    }
    try {
      int length = db.get(handle(column.family()), column.keys().toBytes(key), value);
      return length == RocksDB.NOT_FOUND ? -1 : length;
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
      db.write(
          switch (durability) {
            case SYNCED -> synced;
            case BUFFERED -> buffered;
            case UNLOGGED -> unlogged;
          },
          rocks.batch);
      if (writeCounts != null && rocks.counts != null) {
        for (int i = 0; i < rocks.counts.length; i++) {
          if (rocks.counts[i] != 0) {
            writeCounts.addAndGet(i, rocks.counts[i]);
          }
        }
        long now = System.nanoTime();
        if (now - nextCountsFile >= 0) {
          // a node stopped by a signal may never close the store: the file is kept current
          nextCountsFile = now + COUNTS_FILE_INTERVAL_NS;
          writeCountsFile();
        }
      }
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
    if (writeCounts != null) {
      writeCountsFile();
    }
    closed = true;
    for (ColumnFamilyHandle handle : handles) {
      handle.close();
    }
    db.close();
    closeOptions();
  }

  /**
   * What {@link #COUNT_WRITES_PROPERTY} counted, a line per family ({@code family puts deletes
   * bytes}), then RocksDB's {@code rocksdb.cfstats} of each family and {@code rocksdb.dbstats}.
   */
  public String writeCounts() {
    StringBuilder out = new StringBuilder();
    ColumnFamily[] families = ColumnFamily.values();
    for (ColumnFamily family : families) {
      int i = 3 * family.ordinal();
      out.append("counted ")
          .append(family.familyName())
          .append(" puts=")
          .append(writeCounts == null ? -1 : writeCounts.get(i))
          .append(" deletes=")
          .append(writeCounts == null ? -1 : writeCounts.get(i + 1))
          .append(" bytes=")
          .append(writeCounts == null ? -1 : writeCounts.get(i + 2))
          .append('\n');
    }
    try {
      for (ColumnFamily family : families) {
        out.append("== cfstats ")
            .append(family.familyName())
            .append('\n')
            .append(db.getProperty(handle(family), "rocksdb.cfstats"))
            .append('\n');
      }
      out.append("== dbstats\n").append(db.getProperty("rocksdb.dbstats")).append('\n');
    } catch (RocksDBException e) {
      out.append("statistics unavailable: ").append(e.getMessage()).append('\n');
    }
    return out.toString();
  }

  private synchronized void writeCountsFile() {
    if (closed) {
      return;
    }
    try {
      Files.writeString(directory.resolve(WRITE_COUNTS_FILE), writeCounts());
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("agentledger storage: cannot write " + WRITE_COUNTS_FILE + ": " + e);
    }
  }

  private void closeOptions() {
    if (buffered != null) {
      buffered.close();
    }
    if (synced != null) {
      synced.close();
    }
    if (unlogged != null) {
      unlogged.close();
    }
    if (dbOptions != null) {
      dbOptions.close();
    }
    if (familyOptions != null) {
      familyOptions.close();
    }
    if (blobOptions != null) {
      blobOptions.close();
    }
    if (collectedBlobOptions != null) {
      collectedBlobOptions.close();
    }
    if (pageOptions != null) {
      pageOptions.close();
    }
    if (indexOptions != null) {
      indexOptions.close();
    }
    writeBufferManager.close();
    bloomFilter.close();
    blockCache.close();
  }

  public Options options() {
    return options;
  }

  /**
   * What the cache, memtables and table readers hold now (RocksDB's own accounting; glibc's free
   * lists and arenas around it are not in it).
   */
  public MemoryUsage memoryUsage() {
    if (closed) {
      throw new StoreException("store at " + directory + " is closed", null);
    }
    try {
      Map<MemoryUsageType, Long> usage =
          MemoryUtil.getApproximateMemoryUsageByType(List.of(db), Set.of(blockCache));
      return new MemoryUsage(
          blockCache.getUsage(),
          blockCache.getPinnedUsage(),
          usage.getOrDefault(MemoryUsageType.kMemTableTotal, 0L),
          usage.getOrDefault(MemoryUsageType.kTableReadersTotal, 0L),
          options.memoryBytes(),
          options.memtableBytes());
    } catch (RuntimeException e) {
      throw new StoreException("memory usage: " + e.getMessage(), e);
    }
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

    /** Per family: puts, deletes, key+value bytes; null unless the store counts writes. */
    private final long[] counts = writeCounts == null ? null : new long[writeCounts.length()];

    private void count(ColumnFamily family, int op, int bytes) {
      if (counts != null) {
        counts[3 * family.ordinal() + op]++;
        counts[3 * family.ordinal() + 2] += bytes;
      }
    }

    private void open() {
      if (closed) {
        throw new IllegalStateException("write batch used after it was written or closed");
      }
    }

    @Override
    public <K, V> WriteBatch put(Column<K, V> column, K key, V value) {
      open();
      try {
        byte[] k = column.keys().toBytes(key);
        byte[] v = column.values().toBytes(value);
        batch.put(handle(column.family()), k, v);
        count(column.family(), 0, k.length + v.length);
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
        count(family, 0, keyLength + valueLength);
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
        count(family, 1, keyLength);
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
        byte[] k = column.keys().toBytes(key);
        batch.delete(handle(column.family()), k);
        count(column.family(), 1, k.length);
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
