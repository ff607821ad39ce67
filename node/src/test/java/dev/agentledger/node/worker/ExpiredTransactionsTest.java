package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.ingress.IngressLog;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expired ids survive a restart through the ingress log's ring on RocksDB, bounded by the
 * ring's capacity: the newest ones come back, the older ones are overwritten, and the sequence
 * numbers go on where they stopped.
 */
class ExpiredTransactionsTest {
  @TempDir Path dir;

  static byte[] id(int i) {
    byte[] id = new byte[32];
    id[0] = (byte) i;
    id[31] = (byte) (i >>> 8);
    id[7] = 0x5A;
    return id;
  }

  @Test
  void theNewestIdsComeBackAfterAReopenAndTheDiskRingStaysBounded() {
    int capacity = 8;
    int drops = 20;
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      IngressLog log = new IngressLog(store, (c, b, at, length) -> {});
      ExpiredTransactions expired = new ExpiredTransactions(capacity);
      for (int i = 0; i < drops; i++) {
        long sequence = expired.add(id(i));
        assertThat(sequence).isEqualTo(i);
        log.rememberExpired(sequence, id(i), expired.capacity());
        if (i % 3 == 0) {
          log.flush(); // several group writes, as the worker's duty cycles make them
        }
      }
      assertThat(expired.add(id(drops - 1))).as("already remembered").isEqualTo(-1);
      log.flush();
      AtomicLong onDisk = new AtomicLong();
      store.scan(IngressLog.EXPIRED_COLUMN, new byte[0], (k, v) -> onDisk.incrementAndGet() > 0);
      assertThat(onDisk.get()).as("entries on disk").isEqualTo(capacity);
    }
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      IngressLog log = new IngressLog(store, (c, b, at, length) -> {});
      ExpiredTransactions restored = new ExpiredTransactions(capacity);
      log.forEachExpired(restored::restore);
      assertThat(restored.size()).isEqualTo(capacity);
      for (int i = 0; i < drops; i++) {
        assertThat(restored.contains(id(i))).as("id %s", i).isEqualTo(i >= drops - capacity);
      }
      assertThat(restored.total()).as("dropped since this start").isZero();
      assertThat(restored.add(id(99))).as("the next sequence number").isEqualTo(drops);
      assertThat(restored.contains(id(drops - capacity)))
          .as("the oldest forgotten first")
          .isFalse();
    }
  }

  @Test
  void theCapacityIsAPowerOfTwo() {
    assertThatThrownBy(() -> new ExpiredTransactions(6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two");
  }
}
