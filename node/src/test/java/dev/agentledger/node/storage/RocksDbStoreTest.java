package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStoreTest extends AbstractStoreTest {
  @TempDir Path dir;

  @Override
  protected Store open() {
    return RocksDbStore.open(dir.resolve("db"));
  }

  @Test
  void reopenKeepsDataAndFamilies() {
    store.put(META, "k", "v", Durability.SYNCED);
    ((RocksDbStore) store).flush();
    store.put(COMMITS, 3L, "three", Durability.SYNCED);
    store.close();
    store = open();
    assertThat(store.get(META, "k")).isEqualTo("v");
    assertThat(store.get(COMMITS, 3L)).isEqualTo("three");
  }

  /**
   * Worker batches and the other kilobyte-valued families keep their values in blob files: after
   * flushes (and the compactions they start) the values still read back whole by get, getInto and
   * scan, and again after a reopen; small values of the same family stay in the tables.
   */
  @Test
  void largeValuesOfBlobFamiliesLiveInBlobFilesAndReadBackAfterReopen() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    RocksDbStore rocks = (RocksDbStore) store;
    for (int flush = 0; flush < 6; flush++) {
      for (int i = 0; i < 40; i++) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] value = new byte[i % 8 == 0 ? 100 : 2048 + random.nextInt(8192)];
        random.nextBytes(value);
        keys.add(key);
        values.add(value);
        store.put(BATCHES, key, value, Durability.BUFFERED);
      }
      rocks.flush();
    }
    try (Stream<Path> files = Files.list(dir.resolve("db"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".blob")).count()).isPositive();
    }
    assertReadBack(BATCHES, keys, values);
    store.close();
    store = open();
    assertReadBack(BATCHES, keys, values);
  }

  /**
   * An {@link Durability#UNLOGGED} write leaves no write-ahead-log record, reads back at once, and
   * reaches the tables with a flush. The state's 16 KiB page images ({@code state_pages}) go to
   * blob files, uncompressed, and read back whole after flushes and a reopen; rewritten pages read
   * as their newest image.
   */
  @Test
  void unloggedStatePagesReadBackFromUncompressedBlobFiles() throws IOException {
    RocksDbStore rocks = (RocksDbStore) store;
    Path db = dir.resolve("db");
    long walBefore = walBytes(db);
    SplittableRandom random = new SplittableRandom(11);
    byte[][] pages = new byte[64][];
    for (int round = 0; round < 3; round++) {
      for (int page = 0; page < pages.length; page++) {
        pages[page] = new byte[16 * 1024];
        random.nextBytes(pages[page]);
        try (WriteBatch b = rocks.newBatch()) {
          b.putRaw(ColumnFamily.STATE_PAGES, pageKey(page), 0, 8, pages[page], 0, 16 * 1024);
          rocks.write(b, Durability.UNLOGGED);
        }
      }
      assertThat(walBytes(db)).isEqualTo(walBefore);
      assertPages(pages);
      rocks.flush();
    }
    try (Stream<Path> files = Files.list(db)) {
      assertThat(files.filter(p -> p.toString().endsWith(".blob")).count()).isPositive();
    }
    assertThat(familyOptions(db, "state_pages"))
        .contains("enable_blob_files=true")
        .contains("blob_compression_type=kNoCompression")
        .contains("enable_blob_garbage_collection=true")
        .contains("bottommost_compression=kNoCompression")
        .contains("  compression=kNoCompression")
        .doesNotContain("compression_per_level=kNoCompression:kNoCompression:kLZ4");
    // blob families that never delete a value: no garbage collection copying them again
    assertThat(familyOptions(db, "batches")).contains("enable_blob_garbage_collection=false");
    assertThat(familyOptions(db, "ledger_commits"))
        .contains("enable_blob_garbage_collection=false");
    assertThat(familyOptions(db, "meta")).contains("enable_blob_garbage_collection=true");
    store.close();
    store = open();
    assertPages(pages);
  }

  /**
   * The hash-keyed index families are uncompressed at every level, the bottommost included, and
   * read back after a flush and a reopen; the other table families keep LZ4 with ZSTD at the
   * bottom.
   */
  @Test
  void hashKeyedFamiliesAreUncompressedAtEveryLevel() throws IOException {
    RocksDbStore rocks = (RocksDbStore) store;
    Path db = dir.resolve("db");
    SplittableRandom random = new SplittableRandom(23);
    byte[][] keys = new byte[500][];
    try (WriteBatch b = rocks.newBatch()) {
      for (int i = 0; i < keys.length; i++) {
        keys[i] = new byte[40];
        random.nextBytes(keys[i]);
        b.putRaw(ColumnFamily.TX_INDEX, keys[i], 0, 40, new byte[0], 0, 0);
        b.putRaw(ColumnFamily.LEDGER_TX_INDEX, keys[i], 0, 40, keys[i], 0, 8);
      }
      rocks.write(b, Durability.SYNCED);
    }
    rocks.flush();
    for (String family :
        List.of(
            "tx_index", "ledger_tx_index", "runs_by_agent", "state_values", "committed_batches")) {
      assertThat(familyOptions(db, family))
          .as(family)
          .contains("bottommost_compression=kNoCompression")
          .contains("  compression=kNoCompression")
          .contains("enable_blob_files=false")
          .doesNotContain("compression_per_level=kNoCompression:kNoCompression:kLZ4");
    }
    assertThat(familyOptions(db, "consensus"))
        .contains("bottommost_compression=kZSTD")
        .contains("compression_per_level=kNoCompression:kNoCompression:kLZ4");
    store.close();
    store = open();
    Column<byte[], byte[]> ledgerTx = Column.raw(ColumnFamily.LEDGER_TX_INDEX);
    Column<byte[], byte[]> txIndex = Column.raw(ColumnFamily.TX_INDEX);
    for (byte[] key : keys) {
      assertThat(store.get(ledgerTx, key)).isEqualTo(java.util.Arrays.copyOf(key, 8));
      assertThat(store.get(txIndex, key)).isEmpty();
      // how the index is read: a seek to the 32-byte id finds the first key under it
      byte[] id = java.util.Arrays.copyOf(key, 32);
      for (Column<byte[], byte[]> column : List.of(ledgerTx, txIndex)) {
        byte[][] found = new byte[1][];
        store.scan(
            column,
            id,
            (k, v) -> {
              found[0] = k;
              return false;
            });
        assertThat(found[0]).as(column.family().familyName()).isEqualTo(key);
      }
    }
  }

  /**
   * A data directory whose index family was written LZ4-compressed (the layout before the
   * hash-keyed families went uncompressed) opens under the current options and reads back: each
   * table file names its own compression.
   */
  @Test
  void indexFamilyWrittenCompressedReadsBackUnderCurrentOptions() throws Exception {
    Path old = dir.resolve("old");
    SplittableRandom random = new SplittableRandom(31);
    byte[][] keys = new byte[300][];
    byte[][] values = new byte[keys.length][];
    List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
    try (org.rocksdb.ColumnFamilyOptions lz4 =
            new org.rocksdb.ColumnFamilyOptions()
                .setCompressionType(org.rocksdb.CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(org.rocksdb.CompressionType.ZSTD_COMPRESSION);
        org.rocksdb.DBOptions options =
            new org.rocksdb.DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)) {
      List<org.rocksdb.ColumnFamilyDescriptor> descriptors =
          List.of(
              new org.rocksdb.ColumnFamilyDescriptor(
                  org.rocksdb.RocksDB.DEFAULT_COLUMN_FAMILY, lz4),
              new org.rocksdb.ColumnFamilyDescriptor(
                  ColumnFamily.LEDGER_TX_INDEX
                      .familyName()
                      .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                  lz4));
      try (org.rocksdb.RocksDB db =
          org.rocksdb.RocksDB.open(options, old.toString(), descriptors, handles)) {
        for (int i = 0; i < keys.length; i++) {
          keys[i] = new byte[40];
          random.nextBytes(keys[i]);
          values[i] = new byte[8 + i % 5];
          random.nextBytes(values[i]);
          db.put(handles.get(1), keys[i], values[i]);
        }
        try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions()) {
          db.flush(flush, handles.get(1));
        }
      } finally {
        handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
      }
    }
    assertThat(familyOptions(old, "ledger_tx_index")).contains("  compression=kLZ4Compression");
    try (RocksDbStore reopened = RocksDbStore.open(old)) {
      assertThat(familyOptions(old, "ledger_tx_index")).contains("  compression=kNoCompression");
      Column<byte[], byte[]> ledgerTx = Column.raw(ColumnFamily.LEDGER_TX_INDEX);
      for (int i = 0; i < keys.length; i++) {
        assertThat(reopened.get(ledgerTx, keys[i])).isEqualTo(values[i]);
      }
    }
  }

  /** The section of {@code family} in the newest RocksDB OPTIONS file of {@code db}. */
  private static String familyOptions(Path db, String family) throws IOException {
    Path newest;
    try (Stream<Path> files = Files.list(db)) {
      newest =
          files
              .filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
              .max(java.util.Comparator.comparing(p -> p.getFileName().toString()))
              .orElseThrow();
    }
    String text = Files.readString(newest);
    int from = text.indexOf("[CFOptions \"" + family + "\"]");
    assertThat(from).isNotNegative();
    int to = text.indexOf("[CFOptions ", from + 1);
    return text.substring(from, to < 0 ? text.length() : to);
  }

  private static byte[] pageKey(int page) {
    return java.nio.ByteBuffer.allocate(8).putLong(page).array();
  }

  private void assertPages(byte[][] pages) {
    Column<byte[], byte[]> column = Column.raw(ColumnFamily.STATE_PAGES);
    byte[] into = new byte[16 * 1024];
    for (int page = 0; page < pages.length; page++) {
      assertThat(store.getInto(column, pageKey(page), into)).isEqualTo(16 * 1024);
      assertThat(into).isEqualTo(pages[page]);
    }
  }

  private static long walBytes(Path db) throws IOException {
    try (Stream<Path> files = Files.list(db)) {
      return files
          .filter(p -> p.toString().endsWith(".log"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  /**
   * With {@link RocksDbStore#COUNT_WRITES_PROPERTY} set, the store counts each family's puts,
   * deletes and key+value bytes of written batches (a batch closed unwritten counts nothing) and
   * writes them with RocksDB's statistics on close.
   */
  @Test
  void countsWritesPerFamilyWhenAsked() throws IOException {
    store.close();
    System.setProperty(RocksDbStore.COUNT_WRITES_PROPERTY, "true");
    RocksDbStore rocks;
    try {
      rocks = RocksDbStore.open(dir.resolve("counted"));
    } finally {
      System.clearProperty(RocksDbStore.COUNT_WRITES_PROPERTY);
    }
    store = rocks;
    try (WriteBatch b = rocks.newBatch()) {
      b.put(BATCHES, new byte[32], new byte[100]);
      b.putRaw(ColumnFamily.BATCHES, new byte[32], 0, 20, new byte[10], 0, 7);
      b.deleteRaw(ColumnFamily.INGRESS_LOG, new byte[40], 0, 40);
      b.put(META, "key", "value");
      rocks.write(b, Durability.SYNCED);
    }
    try (WriteBatch unwritten = rocks.newBatch()) {
      unwritten.put(BATCHES, new byte[32], new byte[1000]);
    }
    String counts = rocks.writeCounts();
    assertThat(counts)
        .contains("counted batches puts=2 deletes=0 bytes=159\n")
        .contains("counted ingress_log puts=0 deletes=1 bytes=40\n")
        .contains("counted tx_index puts=0 deletes=0 bytes=0\n")
        .contains("== cfstats batches")
        .contains("== dbstats");
    assertThat(counts).containsPattern("counted meta puts=1 deletes=0 bytes=\\d+");
    store.close();
    assertThat(Files.readString(dir.resolve("counted").resolve(RocksDbStore.WRITE_COUNTS_FILE)))
        .contains("counted batches puts=2 deletes=0 bytes=159");
    store = open();
    assertThat(((RocksDbStore) store).writeCounts()).contains("counted batches puts=-1");
    store.close();
    assertThat(dir.resolve("db").resolve(RocksDbStore.WRITE_COUNTS_FILE)).doesNotExist();
    store = open();
  }

  private void assertReadBack(
      Column<byte[], byte[]> column, List<byte[]> keys, List<byte[]> values) {
    byte[] into = new byte[16384];
    for (int i = 0; i < keys.size(); i++) {
      assertThat(store.get(column, keys.get(i))).isEqualTo(values.get(i));
      int length = store.getInto(column, keys.get(i), into);
      assertThat(java.util.Arrays.copyOf(into, length)).isEqualTo(values.get(i));
    }
    int[] seen = {0};
    store.scan(
        column,
        null,
        (k, v) -> {
          int i = indexOf(keys, k);
          assertThat(v).isEqualTo(values.get(i));
          seen[0]++;
          return true;
        });
    assertThat(seen[0]).isEqualTo(keys.size());
  }

  private static int indexOf(List<byte[]> keys, byte[] key) {
    for (int i = 0; i < keys.size(); i++) {
      if (java.util.Arrays.equals(keys.get(i), key)) {
        return i;
      }
    }
    throw new AssertionError("scan returned a key never written");
  }
}
