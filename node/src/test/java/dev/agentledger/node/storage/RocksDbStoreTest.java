package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;
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
}
