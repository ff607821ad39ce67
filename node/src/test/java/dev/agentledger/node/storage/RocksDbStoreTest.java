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
