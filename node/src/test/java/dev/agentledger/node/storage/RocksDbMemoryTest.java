package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RocksDB's native memory stays within {@link RocksDbStore.Options#memoryBytes}. */
class RocksDbMemoryTest {
  @TempDir Path dir;

  private static final ColumnFamily[] FAMILIES = {
    ColumnFamily.BATCHES, ColumnFamily.CERTIFICATES, ColumnFamily.TX_INDEX, ColumnFamily.STATE_NODES
  };

  /**
   * 64 MiB of incompressible values over four families, in buffered writes as the node makes them:
   * the memtables are flushed at the budget (with 128 MiB memtables per family they held all 64 MiB
   * and no table file was written).
   */
  @Test
  void memtablesAreFlushedAtTheBudget() throws Exception {
    RocksDbStore.Options options = RocksDbStore.Options.ofMemoryMib(16);
    assertThat(options.memtableBytes()).isEqualTo(8L << 20);
    long written = 0;
    try (RocksDbStore store = RocksDbStore.open(dir.resolve("db"), options)) {
      SplittableRandom random = new SplittableRandom(1);
      byte[] value = new byte[4096];
      byte[] key = new byte[16];
      for (int i = 0; written < 64L << 20; i++) {
        WriteBatch batch = store.newBatch();
        for (int j = 0; j < 16; j++) {
          random.nextBytes(value);
          random.nextBytes(key);
          batch.putRaw(FAMILIES[(i + j) % FAMILIES.length], key, 0, key.length, value, 0, 4096);
          written += 4096 + 16;
        }
        store.write(batch, Durability.BUFFERED);
      }
      RocksDbStore.MemoryUsage usage = store.memoryUsage();
      assertThat(usage.capacityBytes()).isEqualTo(16L << 20);
      assertThat(usage.memtableBudgetBytes()).isEqualTo(8L << 20);
      // flushed at the 8 MiB budget; while flushes run behind, each family holds at most two 4 MiB
      // memtables (plus arena rounding)
      assertThat(usage.memtableBytes()).isPositive().isLessThanOrEqualTo(36L << 20);
      // the memtables are charged to the cache (which does not refuse entries over its capacity)
      assertThat(usage.cacheBytes()).isPositive();
    }
    try (Stream<Path> files = Files.list(dir.resolve("db"))) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".sst")).count())
          .isPositive();
    }
  }

  @Test
  void memoryBoundIsCheckedAndConfigurable() {
    assertThat(RocksDbStore.Options.defaults().memoryBytes()).isEqualTo(128L << 20);
    assertThat(RocksDbStore.Options.ofMemoryMib(256).memtableBytes()).isEqualTo(128L << 20);
    assertThatThrownBy(() -> RocksDbStore.Options.ofMemoryMib(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 8 and");
    String key = RocksDbStore.Options.MEMORY_PROPERTY;
    String before = System.getProperty(key);
    try {
      System.setProperty(key, "64");
      assertThat(RocksDbStore.Options.configured().memoryBytes()).isEqualTo(64L << 20);
      System.setProperty(key, "lots");
      assertThatThrownBy(RocksDbStore.Options::configured)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(key + " must be a whole number of MiB: lots");
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }
}
