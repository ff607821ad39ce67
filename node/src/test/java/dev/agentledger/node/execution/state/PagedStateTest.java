package dev.agentledger.node.execution.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.hash.smt.PageCache;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state with a bounded page cache ({@link SmtStateStore#durable(dev.agentledger.node.storage.
 * Store, int, long, int, int, long)}) against the same writes in memory: pages evicted to and read
 * back from the store give the same values, roots and proofs; the resident pages stay within the
 * bound; what is durable does not depend on what was paged out.
 */
class PagedStateTest {
  @TempDir Path dir;

  @Test
  void evictedAndReloadedPagesGiveTheSameValuesRootsAndProofs() {
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      long cacheBytes = 8L * PageCache.PAGE_BYTES;
      SmtStateStore paged = SmtStateStore.durable(store, 8, Long.MAX_VALUE, 16, 4, cacheBytes);
      SmtStateStore memory = SmtStateStore.inMemory(8);
      List<byte[]> keys = writeVersions(paged, memory, store, 40, 500, new Random(5));
      assertThat(paged.pageWrites()).isPositive();
      assertThat(paged.pageReads()).isPositive();
      assertThat(paged.offHeapBytes()).isLessThanOrEqualTo(cacheBytes);
      assertThat(paged.pagedBytes()).isGreaterThan(8 * cacheBytes);
      assertThat(paged.cacheLimitBytes()).isEqualTo(cacheBytes);
      sameAnswers(paged, memory, keys, new Random(6));
    }
  }

  @Test
  void aCacheOfOnePageStillWorks() {
    try (InMemoryStore store = new InMemoryStore()) {
      SmtStateStore paged =
          SmtStateStore.durable(store, 4, Long.MAX_VALUE, 16, 2, PageCache.PAGE_BYTES);
      SmtStateStore memory = SmtStateStore.inMemory(4);
      List<byte[]> keys = writeVersions(paged, memory, store, 12, 300, new Random(7));
      assertThat(paged.offHeapBytes()).isEqualTo(PageCache.PAGE_BYTES);
      assertThat(paged.pageReads()).isGreaterThan(keys.size());
      sameAnswers(paged, memory, keys, new Random(8));
    }
  }

  @Test
  void aCacheSmallerThanAPageIsRefusedAndInMemoryStateCannotPage() {
    try (InMemoryStore store = new InMemoryStore()) {
      assertThatThrownBy(() -> SmtStateStore.durable(store, 4, Long.MAX_VALUE, 16, 2, 1000))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("holds no page");
    }
  }

  /**
   * What a reopened store holds is the written versions, whatever was paged out: page images are
   * this process's only, and a version staged but not written (a crash mid-commit) is gone whole.
   */
  @Test
  void reopeningRebuildsTheLastWrittenVersionWhateverWasPagedOut() {
    byte[] lastWritten;
    List<byte[]> keys;
    SmtStateStore memory = SmtStateStore.inMemory(8);
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      SmtStateStore paged =
          SmtStateStore.durable(store, 8, Long.MAX_VALUE, 16, 3, 4L * PageCache.PAGE_BYTES);
      keys = writeVersions(paged, memory, store, 10, 400, new Random(9));
      lastWritten = paged.root();
      // One more version staged but never written: as after a SIGKILL before the commit's write.
      Random random = new Random(10);
      for (int i = 0; i < 400; i++) {
        paged.put(keys.get(random.nextInt(keys.size())), new byte[] {(byte) i, 1, 2});
      }
      try (WriteBatch batch = store.newBatch()) {
        assertThat(paged.stage(batch)).isEqualTo(10);
      }
      assertThat(paged.pageWrites()).isPositive();
    }
    for (long cache : new long[] {PageCache.PAGE_BYTES, SmtStateStore.UNBOUNDED_CACHE}) {
      try (RocksDbStore store = RocksDbStore.open(dir)) {
        SmtStateStore reopened = SmtStateStore.durable(store, 8, Long.MAX_VALUE, 16, 3, cache);
        assertThat(reopened.latestVersion()).isEqualTo(9);
        assertThat(reopened.root()).isEqualTo(lastWritten).isEqualTo(memory.root());
        for (byte[] key : keys) {
          assertThat(reopened.get(key)).isEqualTo(memory.get(key));
        }
      }
    }
  }

  /**
   * Writes {@code versions} versions of {@code perVersion} writes to both states (new keys, some
   * written once; rewrites of earlier keys; removals), persisting the paged one; checks the roots
   * after each. Returns the keys written.
   */
  private static List<byte[]> writeVersions(
      SmtStateStore paged,
      SmtStateStore memory,
      dev.agentledger.node.storage.Store store,
      int versions,
      int perVersion,
      Random random) {
    List<byte[]> keys = new ArrayList<>();
    for (int v = 0; v < versions; v++) {
      for (int i = 0; i < perVersion; i++) {
        byte[] value = new byte[1 + random.nextInt(LatestValues.MAX_VALUE_BYTES)];
        random.nextBytes(value);
        int kind = random.nextInt(10);
        if (keys.isEmpty() || kind < 5) {
          byte[] key = new byte[32];
          random.nextBytes(key);
          keys.add(key);
          if (kind < 2) {
            paged.writeOnce(key, value, value.length);
          } else {
            paged.put(key, value);
          }
          memory.put(key, value);
        } else {
          byte[] key = keys.get(random.nextInt(keys.size()));
          byte[] written = kind == 9 ? null : value;
          paged.put(key, written);
          memory.put(key, written);
        }
      }
      assertThat(paged.root()).isEqualTo(memory.root());
      paged.persist(store, Durability.BUFFERED);
    }
    return keys;
  }

  /** Values at the newest and an older retained version, and proofs, agree with the memory form. */
  private static void sameAnswers(
      SmtStateStore paged, SmtStateStore memory, List<byte[]> keys, Random random) {
    long newest = paged.latestVersion();
    assertThat(memory.latestVersion()).isEqualTo(newest);
    long older = Math.max(paged.oldestRetainedVersion(), newest - 2);
    for (byte[] key : keys) {
      assertThat(paged.get(key)).isEqualTo(memory.get(key));
    }
    for (int i = 0; i < 200; i++) {
      byte[] key = keys.get(random.nextInt(keys.size()));
      for (long v : new long[] {newest, older}) {
        assertThat(paged.at(v).get(key)).isEqualTo(memory.at(v).get(key));
        SparseMerkleProof a = paged.at(v).prove(key);
        SparseMerkleProof b = memory.at(v).prove(key);
        assertThat(a.siblings()).containsExactlyElementsOf(b.siblings());
        assertThat(a.verify(paged.at(v).root(), memory.at(v).get(key))).isTrue();
      }
    }
    byte[] absent = new byte[32];
    random.nextBytes(absent);
    assertThat(paged.get(absent)).isNull();
    assertThat(paged.at(newest).prove(absent).isMembership()).isFalse();
  }
}
