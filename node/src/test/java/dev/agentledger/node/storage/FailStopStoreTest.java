package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A written (or closed) RocksDB batch frees its native memory: using it again must be refused in
 * Java, never reach native code (that was a SIGSEGV). The free-space status the node reports.
 */
class FailStopStoreTest {
  static final Column<String, String> COLUMN =
      new Column<>(ColumnFamily.META, Serializer.STRING, Serializer.STRING);

  @Test
  void aWrittenBatchRefusesFurtherUse(@TempDir Path dir) {
    try (RocksDbStore store = RocksDbStore.open(dir.resolve("db"))) {
      WriteBatch batch = store.newBatch().put(COLUMN, "a", "1");
      store.write(batch, Durability.SYNCED);
      assertThatThrownBy(() -> batch.put(COLUMN, "b", "2"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("after it was written or closed");
      assertThatThrownBy(() -> store.write(batch, Durability.SYNCED))
          .isInstanceOf(IllegalStateException.class);
      assertThat(store.get(COLUMN, "a")).isEqualTo("1");
      assertThat(store.writeFailure()).isNull();
    }
  }

  @Test
  void freeSpaceStatusWarnsUnderTheThreshold(@TempDir Path dir) {
    long free = DiskSpace.usableBytes(dir);
    assertThat(free).isPositive();
    assertThat(DiskSpace.low(free, Long.MAX_VALUE)).isTrue();
    assertThat(DiskSpace.low(free, 0)).isFalse();
    assertThat(DiskSpace.low(-1, Long.MAX_VALUE)).as("unknown is not low").isFalse();
    assertThat(DiskSpace.usableBytes(dir.resolve("absent/deeper"))).isEqualTo(-1);
    assertThat(DiskSpace.status(5, 10, false).toString())
        .isEqualTo("{\"dataDirFreeBytes\":5,\"lowDiskSpace\":true,\"writeFailed\":false}");
  }
}
