package dev.agentledger.node.execution.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.hash.smt.PageCache;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.StateLayout;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SmtStateStore#durable} on RocksDB against the in-memory form and the independent {@link
 * SparseMerkleState}: same roots, values and proofs for every retained version across closing and
 * reopening the store (a reopened store retains its newest version; older ones answer "pruned");
 * versions staged in groups or one by one; a version staged but never written disappears whole.
 */
class DurableSmtStateStoreTest {
  @TempDir Path tempDir;

  @Property(tries = 10)
  void everyRetainedVersionAnswersLikeTheReferenceAcrossReopen(@ForAll long seed)
      throws IOException {
    answersLikeTheReference(seed, 1000, SmtStateStore.DEFAULT_CHECKPOINT_VERSIONS);
  }

  /** Three versions retained: older ones answer "pruned", the rest as before. */
  @Property(tries = 10)
  void retainedVersionsAnswerLikeTheReferenceWhilePruning(@ForAll long seed) throws IOException {
    answersLikeTheReference(seed, 3, SmtStateStore.DEFAULT_CHECKPOINT_VERSIONS);
  }

  /**
   * Values checkpointed every 1 to 4 versions, so reopening finds checkpoints before, inside and
   * after the retained versions, with log records to redo after them.
   */
  @Property(tries = 20)
  void checkpointsAnywhereAnswerLikeTheReferenceAcrossReopen(@ForAll long seed) throws IOException {
    Random random = new Random(seed);
    answersLikeTheReference(seed, 1 + random.nextInt(6), 1 + random.nextInt(4));
  }

  /**
   * A byte bound of two to four small versions: pruned by bytes long before the count, with the
   * same horizon on disk, so reopening rebuilds only what was retained.
   */
  @Property(tries = 20)
  void aByteBoundAnswersLikeTheReferenceAcrossReopen(@ForAll long seed) throws IOException {
    Random random = new Random(seed);
    answersLikeTheReference(seed, 1000, 20_000 + random.nextInt(30_000), 1 + random.nextInt(4));
  }

  /**
   * Versions pruned by the byte bound lose their roots and log records on disk; a reopened store
   * (with the bound or without it) rebuilds only the versions still retained, and the pruned ones
   * answer "pruned".
   */
  @Test
  void aByteBoundPrunesOnDiskAndOnReopenAlike() {
    long bound = 60_000;
    List<byte[]> roots = new ArrayList<>();
    byte[] account = key(200);
    long oldest;
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state = SmtStateStore.durable(store, 1000, bound, 16, 4);
      for (int v = 0; v < 30; v++) {
        for (int i = 0; i < 40; i++) {
          state.put(wide(v * 100 + i), new byte[] {(byte) v, (byte) i});
        }
        state.put(account, new byte[] {(byte) v});
        roots.add(state.root());
        state.persist(store, Durability.SYNCED);
      }
      oldest = state.oldestRetainedVersion();
      assertThat(oldest).as("pruned by bytes, not by the count of 1000").isGreaterThan(10);
      for (long v = 0; v < oldest; v++) {
        assertThat(store.root(v)).as("root of pruned version %d", v).isNull();
        assertThat(store.get(StateLayout.META, StateLayout.deltaKey(v)))
            .as("log record of pruned version %d", v)
            .isNull();
      }
      for (long v = oldest; v < 30; v++) {
        assertThat(store.root(v)).isEqualTo(roots.get((int) v));
      }
    }
    for (long reopenBound : new long[] {bound, SmtStateStore.UNBOUNDED_BYTES}) {
      try (RocksDbStore store = RocksDbStore.open(tempDir)) {
        SmtStateStore state = SmtStateStore.durable(store, 1000, reopenBound, 16, 4);
        assertThat(state.latestVersion()).isEqualTo(29);
        assertThat(state.oldestRetainedVersion()).isGreaterThanOrEqualTo(oldest);
        if (reopenBound == bound) {
          assertThat(state.retainedBytes() <= bound || state.retainedVersionCount() == 1).isTrue();
        }
        for (long v = state.oldestRetainedVersion(); v < 30; v++) {
          assertThat(state.at(v).root()).isEqualTo(roots.get((int) v));
          assertThat(state.at(v).get(account)).containsExactly((byte) v);
        }
        long pruned = oldest - 1;
        assertThatThrownBy(() -> state.at(pruned).get(account))
            .isInstanceOf(PrunedStateException.class);
      }
    }
  }

  private void answersLikeTheReference(long seed, int retain, int checkpointVersions)
      throws IOException {
    answersLikeTheReference(seed, retain, SmtStateStore.UNBOUNDED_BYTES, checkpointVersions);
  }

  /**
   * A state cache of one page: every page access may evict the page touched before it, so pages go
   * out to and come back from {@code state_pages} all the time; the answers stay the same.
   */
  @Property(tries = 10)
  void aCacheOfOnePageAnswersLikeTheReferenceAcrossReopen(@ForAll long seed) throws IOException {
    Random random = new Random(seed);
    answersLikeTheReference(
        seed,
        1 + random.nextInt(6),
        SmtStateStore.UNBOUNDED_BYTES,
        1 + random.nextInt(4),
        PageCache.PAGE_BYTES);
  }

  private void answersLikeTheReference(
      long seed, int retain, long retainBytes, int checkpointVersions) throws IOException {
    answersLikeTheReference(
        seed, retain, retainBytes, checkpointVersions, SmtStateStore.UNBOUNDED_CACHE);
  }

  private void answersLikeTheReference(
      long seed, int retain, long retainBytes, int checkpointVersions, long cacheBytes)
      throws IOException {
    Path dir = Files.createTempDirectory("durable-state");
    try {
      Random random = new Random(seed);
      SmtStateStore memory = SmtStateStore.inMemory(retain);
      SparseMerkleState reference = new SparseMerkleState();
      List<SparseMerkleState.Snapshot> referenceVersions = new ArrayList<>();
      List<byte[]> keys = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        try (RocksDbStore store = RocksDbStore.open(dir)) {
          SmtStateStore durable =
              SmtStateStore.durable(store, retain, retainBytes, 16, checkpointVersions, cacheBytes);
          assertThat(durable.latestVersion()).isEqualTo(referenceVersions.size() - 1);
          check(durable, memory, referenceVersions, keys, random);
          for (int v = 0; v < 5; v++) {
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
              byte[] key;
              if (!keys.isEmpty() && random.nextInt(3) == 0) {
                key = keys.get(random.nextInt(keys.size()));
              } else {
                key = new byte[32];
                random.nextBytes(key);
                keys.add(key);
              }
              byte[] value = random.nextInt(4) == 0 ? null : new byte[random.nextInt(3)];
              if (value != null) {
                random.nextBytes(value);
              }
              if (value != null && random.nextBoolean()) {
                // new keys go packed; a key written before (or again) as an ordinary entry
                durable.writeOnce(key, value, value.length);
              } else {
                durable.put(key, value);
              }
              memory.put(key, value);
              reference.put(key, value);
              assertThat(durable.get(key)).isEqualTo(value);
            }
            assertThat(durable.root()).isEqualTo(reference.root()).isEqualTo(memory.root());
            memory.snapshot();
            referenceVersions.add(reference.snapshot());
            if (random.nextBoolean()) { // else the version waits and goes with the next one
              durable.persist(store, Durability.SYNCED);
            }
          }
          durable.persist(store, Durability.SYNCED);
          check(durable, memory, referenceVersions, keys, random);
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void check(
      SmtStateStore durable,
      SmtStateStore memory,
      List<SparseMerkleState.Snapshot> versions,
      List<byte[]> keys,
      Random random) {
    List<byte[]> probes = new ArrayList<>(keys);
    for (int i = 0; i < 5; i++) {
      byte[] absent = new byte[32];
      random.nextBytes(absent);
      probes.add(absent);
    }
    for (int v = 0; v < versions.size(); v++) {
      if (v < durable.oldestRetainedVersion()) {
        long version = v;
        assertThatThrownBy(() -> durable.at(version).prove(keys.get(0)))
            .isInstanceOfSatisfying(
                PrunedStateException.class,
                e -> assertThat(e.horizon()).isEqualTo(durable.oldestRetainedVersion()));
        continue;
      }
      ProvableState got = durable.at(v);
      ProvableState mem = v >= memory.oldestRetainedVersion() ? memory.at(v) : null;
      SparseMerkleState.Snapshot want = versions.get(v);
      assertThat(got.root()).isEqualTo(want.root());
      if (mem != null) {
        assertThat(mem.root()).isEqualTo(want.root());
      }
      for (byte[] key : probes) {
        byte[] value = got.get(key);
        assertThat(value).isEqualTo(want.get(key));
        if (mem != null) {
          assertThat(mem.get(key)).isEqualTo(value);
        }
        SparseMerkleProof proof = got.prove(key);
        SparseMerkleProof expected = want.prove(key);
        assertThat(proof.leafKey()).isEqualTo(expected.leafKey());
        assertThat(proof.leafValueHash()).isEqualTo(expected.leafValueHash());
        assertThat(proof.siblings())
            .usingElementComparator(java.util.Arrays::compare)
            .containsExactlyElementsOf(expected.siblings());
        assertThat(proof.verify(got.root(), value)).isTrue();
      }
    }
  }

  @Test
  void aVersionStagedButNeverWrittenIsLostWhole() {
    byte[] a = key(1);
    byte[] b = key(2);
    byte[] rootAfterFirst;
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 16, 1);
      state.put(a, new byte[] {1});
      rootAfterFirst = state.root();
      state.persist(store, Durability.SYNCED);
      state.put(a, new byte[] {2});
      state.put(b, new byte[] {3});
      byte[] second = state.root();
      assertThat(second).isNotEqualTo(rootAfterFirst);
      try (WriteBatch batch = store.newBatch()) {
        assertThat(state.stage(batch)).isEqualTo(1);
        assertThat(batch.size()).isGreaterThan(4);
        // the "crash": the batch is dropped, never written
      }
      assertThat(state.at(1).get(b)).containsExactly(3); // readable in memory meanwhile
    }
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state = SmtStateStore.durable(store);
      assertThat(state.latestVersion()).isZero();
      assertThat(state.root()).isEqualTo(rootAfterFirst);
      assertThat(state.get(a)).containsExactly(1);
      assertThat(state.get(b)).isNull();
      assertThat(store.root(1)).isNull();
      assertThat(store.get(StateLayout.VALUES, b))
          .as("no value entry of the lost version")
          .isNull();
      assertThat(store.get(StateLayout.VALUES, a))
          .isEqualTo(StateLayout.encodeValue(new byte[] {1}));
    }
  }

  /**
   * Between checkpoints the values stay on disk as of the last checkpoint, and a key written by
   * every version is put once per checkpoint; reopening redoes the log records after it.
   */
  @Test
  void valuesReachTheDiskAtCheckpointsOnly() {
    byte[] a = key(1);
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 16, 4);
      for (int v = 0; v < 7; v++) {
        state.put(a, new byte[] {(byte) v});
        state.persist(store, Durability.SYNCED);
        byte[] onDisk = store.get(StateLayout.VALUES, a);
        if (v < 3) {
          assertThat(onDisk).as("version " + v).isNull();
          assertThat(state.checkpointVersion()).isEqualTo(-1);
        } else {
          assertThat(onDisk).as("version " + v).isEqualTo(StateLayout.encodeValue(new byte[] {3}));
          assertThat(state.checkpointVersion()).isEqualTo(3);
        }
        assertThat(state.keysSinceCheckpoint()).isEqualTo(v < 3 ? 1 : v == 3 ? 0 : 1);
      }
    }
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 16, 4);
      assertThat(state.latestVersion()).isEqualTo(6);
      assertThat(state.checkpointVersion()).isEqualTo(3);
      assertThat(state.keysSinceCheckpoint()).isEqualTo(1);
      assertThat(state.get(a)).containsExactly(6);
      for (int v = 0; v <= 6; v++) {
        assertThat(state.at(v).get(a)).containsExactly(v);
      }
      state.put(a, new byte[] {7});
      state.persist(store, Durability.SYNCED);
      assertThat(state.checkpointVersion()).isEqualTo(7);
      assertThat(store.get(StateLayout.VALUES, a))
          .isEqualTo(StateLayout.encodeValue(new byte[] {7}));
    }
  }

  /** A state store written by the previous format is refused, not misread. */
  @Test
  void aStoreOfAnotherFormatIsRefused() {
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state = SmtStateStore.durable(store);
      state.put(key(1), new byte[] {1});
      state.persist(store, Durability.SYNCED);
      try (WriteBatch batch = store.newBatch()) {
        batch.put(StateLayout.META, StateLayout.FORMAT_KEY, new byte[] {4});
        store.write(batch, Durability.SYNCED);
      }
    }
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      assertThatThrownBy(() -> SmtStateStore.durable(store))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("format 4")
          .hasMessageContaining("reads format 5");
    }
  }

  /**
   * After-values are logged as their changes to the before-value where that is shorter (a few
   * counter bytes of a usage-sized value), whole otherwise (new keys, other lengths, values changed
   * throughout, removals): the log records shrink, and a store reopened with no checkpoint since
   * the first version redoes every record to the same values and the same root for every version.
   */
  @Test
  void afterValuesLoggedAsChangesRedoToTheSameValuesAndRoots() {
    Random random = new Random(5);
    int keys = 40;
    java.util.Map<Integer, byte[]> expected = new java.util.HashMap<>();
    List<byte[]> roots = new ArrayList<>();
    long smallChangeBytes = 0;
    int smallChangeKeys = 0;
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state = SmtStateStore.durable(store, 64, 64, 1000);
      for (int k = 0; k < keys; k++) {
        byte[] value = new byte[81];
        random.nextBytes(value);
        expected.put(k, value);
        state.put(key(k), value.clone());
      }
      state.persist(store, Durability.SYNCED);
      roots.add(state.root());
      for (int v = 1; v <= 20; v++) {
        boolean small = v % 2 == 1;
        long logged = state.loggedBytes();
        for (int k = 0; k < keys; k++) {
          byte[] value = expected.get(k);
          if (random.nextInt(3) == 0 || small && value == null) {
            continue;
          }
          if (small) {
            value = value.clone();
            for (int c = 0; c < 1 + random.nextInt(4); c++) {
              value[random.nextInt(value.length)] ^= (byte) (1 + random.nextInt(255));
            }
            smallChangeKeys++;
          } else {
            switch (random.nextInt(4)) {
              case 0 -> value = null;
              case 1 -> value = new byte[1 + random.nextInt(128)];
              default -> value = new byte[81];
            }
            if (value != null) {
              random.nextBytes(value);
            }
          }
          expected.put(k, value);
          state.put(key(k), value == null ? null : value.clone());
        }
        state.persist(store, Durability.SYNCED);
        roots.add(state.root());
        if (small) {
          smallChangeBytes += state.loggedBytes() - logged;
        }
      }
      assertThat(state.checkpointVersion()).isEqualTo(-1);
      // Whole after-values would take 32 + 2 + 81 + 2 + 81 bytes per key.
      assertThat(smallChangeBytes).isLessThan((long) smallChangeKeys * (32 + 2 + 81 + 2 + 40));
    }
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state = SmtStateStore.durable(store, 64, 64, 1000);
      assertThat(state.latestVersion()).isEqualTo(20);
      for (int k = 0; k < keys; k++) {
        assertThat(state.get(key(k))).as("key %d", k).isEqualTo(expected.get(k));
      }
      for (int v = 0; v <= 20; v++) {
        assertThat(state.at(v).root()).as("version %d", v).isEqualTo(roots.get(v));
      }
    }
  }

  /**
   * Keys written once as new keys reach the disk at a checkpoint in packed records (no entry of
   * their own); one removed or written again afterwards gets an entry in {@code state_values} that
   * overrides its packed value on reopen.
   */
  @Test
  void keysWrittenOnceArePackedAtCheckpoints() {
    int n = StateLayout.ONCE_PER_RECORD + 3;
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 16, 1);
      for (int i = 0; i < n; i++) {
        state.writeOnce(wide(1000 + i), new byte[] {(byte) i, 7}, 2);
      }
      state.put(key(1), new byte[] {1});
      try (WriteBatch batch = store.newBatch()) {
        long version = state.stage(batch);
        // the ordinary key, two packed records; root, log record, latest, format, checkpoint
        assertThat(batch.size()).isEqualTo(1 + 2 + 5);
        store.write(batch, Durability.SYNCED);
        state.written(version);
      }
      assertThat(store.get(StateLayout.VALUES, wide(1000))).isNull();
      assertThat(store.get(StateLayout.VALUES, key(1)))
          .isEqualTo(StateLayout.encodeValue(new byte[] {1}));
      assertThat(onceRecords(store)).isEqualTo(2);
    }
    byte[] root;
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 16, 1);
      for (int i = 0; i < n; i++) {
        assertThat(state.get(wide(1000 + i))).containsExactly((byte) i, 7);
      }
      state.put(wide(1000), null);
      state.put(wide(1001), new byte[] {9});
      state.writeOnce(wide(1002), new byte[] {8}, 1); // not new: an ordinary entry
      state.persist(store, Durability.SYNCED);
      assertThat(store.get(StateLayout.VALUES, wide(1000)))
          .isEqualTo(StateLayout.encodeValue(null));
      assertThat(store.get(StateLayout.VALUES, wide(1002)))
          .isEqualTo(StateLayout.encodeValue(new byte[] {8}));
      root = state.root();
    }
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 16, 1);
      assertThat(state.root()).isEqualTo(root);
      assertThat(state.get(wide(1000))).isNull();
      assertThat(state.get(wide(1001))).containsExactly(9);
      assertThat(state.get(wide(1002))).containsExactly(8);
      assertThat(state.get(wide(1003))).containsExactly(3, 7);
      // a removed packed key written once again: its removal entry must not hide it
      state.writeOnce(wide(1000), new byte[] {5}, 1);
      state.persist(store, Durability.SYNCED);
      root = state.root();
    }
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 16, 1);
      assertThat(state.root()).isEqualTo(root);
      assertThat(state.get(wide(1000))).containsExactly(5);
    }
  }

  /**
   * A checkpoint puts its ordinary values (and removals) in the keys' unsigned order, whatever
   * order they were written in, so that RocksDB inserts each next to the one before; keys written
   * once still go packed, and the values and roots read back the same after reopening.
   */
  @Test
  void aCheckpointPutsItsValuesInKeyOrder() {
    Random random = new Random(18);
    List<byte[]> keys = new ArrayList<>();
    byte[] root;
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 4096, 4);
      for (int v = 0; v < 4; v++) {
        for (int i = 0; i < 500; i++) {
          byte[] k = key(random);
          keys.add(k);
          state.put(k, new byte[] {(byte) v, (byte) i});
        }
        for (int i = 0; i < 50; i++) {
          state.writeOnce(key(random), new byte[] {(byte) i}, 1);
        }
        // rewrite and remove some earlier keys, out of order
        for (int i = 0; i < 40; i++) {
          byte[] k = keys.get(random.nextInt(keys.size()));
          state.put(k, i % 4 == 0 ? null : new byte[] {9, (byte) i});
        }
        List<byte[]> valueKeys = new ArrayList<>();
        int[] packedRecords = new int[1];
        WriteBatch inner = store.newBatch();
        WriteBatch recording =
            new WriteBatch() {
              @Override
              public <K, V> WriteBatch put(
                  dev.agentledger.node.storage.Column<K, V> column, K key, V value) {
                return inner.put(column, key, value);
              }

              @Override
              public <K, V> WriteBatch delete(
                  dev.agentledger.node.storage.Column<K, V> column, K key) {
                return inner.delete(column, key);
              }

              @Override
              public WriteBatch putRaw(
                  dev.agentledger.node.storage.ColumnFamily family,
                  byte[] key,
                  int keyOffset,
                  int keyLength,
                  byte[] value,
                  int valueOffset,
                  int valueLength) {
                byte[] k = java.util.Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength);
                if (family == dev.agentledger.node.storage.ColumnFamily.STATE_VALUES) {
                  valueKeys.add(k);
                } else if (StateLayout.isOnceKey(k)) {
                  packedRecords[0]++;
                }
                inner.putRaw(family, key, keyOffset, keyLength, value, valueOffset, valueLength);
                return this;
              }

              @Override
              public WriteBatch deleteRaw(
                  dev.agentledger.node.storage.ColumnFamily family,
                  byte[] key,
                  int keyOffset,
                  int keyLength) {
                if (family == dev.agentledger.node.storage.ColumnFamily.STATE_VALUES) {
                  valueKeys.add(
                      java.util.Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength));
                }
                inner.deleteRaw(family, key, keyOffset, keyLength);
                return this;
              }

              @Override
              public int size() {
                return inner.size();
              }

              @Override
              public void close() {
                inner.close();
              }
            };
        try (recording) {
          long version = state.stage(recording);
          store.write(inner, Durability.SYNCED);
          state.written(version);
        }
        if (v < 3) {
          assertThat(valueKeys).as("version " + v).isEmpty();
          continue;
        }
        // the checkpoint: every ordinary key written since the start, once, in key order
        assertThat(valueKeys).hasSize(keys.size());
        for (int i = 1; i < valueKeys.size(); i++) {
          assertThat(java.util.Arrays.compareUnsigned(valueKeys.get(i - 1), valueKeys.get(i)))
              .as("position " + i)
              .isNegative();
        }
        assertThat(packedRecords[0]).isEqualTo(1);
      }
      root = state.root();
    }
    try (RocksDbStore store = RocksDbStore.open(tempDir)) {
      SmtStateStore state =
          SmtStateStore.durable(store, SmtStateStore.DEFAULT_RETAINED_VERSIONS, 4096, 4);
      assertThat(state.root()).isEqualTo(root);
    }
  }

  private static int onceRecords(RocksDbStore store) {
    int[] count = new int[1];
    store.scan(
        StateLayout.META,
        null,
        (k, v) -> {
          if (StateLayout.isOnceKey(k)) {
            count[0]++;
          }
          return true;
        });
    return count[0];
  }

  @Test
  void valueEntriesRoundTrip() {
    assertThat(StateLayout.decodeValue(StateLayout.encodeValue(null))).isNull();
    assertThat(StateLayout.decodeValue(StateLayout.encodeValue(new byte[0]))).isEmpty();
  }

  /** Sustained writes of new and old keys with few versions retained: the arena stops growing. */
  @Test
  void memoryStaysBoundedWhilePruning() {
    SmtStateStore state = SmtStateStore.inMemory(4);
    Random random = new Random(3);
    List<byte[]> accounts = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      accounts.add(key(random));
    }
    int keysAt100 = 0;
    for (int v = 0; v < 400; v++) {
      for (int i = 0; i < 40; i++) {
        state.put(accounts.get(random.nextInt(accounts.size())), new byte[] {(byte) v, 1});
      }
      state.root();
      if (v == 100) {
        keysAt100 = state.keyCount();
      }
    }
    assertThat(state.oldestRetainedVersion()).isEqualTo(396);
    assertThat(state.keyCount()).isEqualTo(keysAt100);
    assertThatThrownBy(() -> state.at(100).get(accounts.get(0)))
        .isInstanceOf(PrunedStateException.class);
  }

  private static byte[] key(Random random) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return k;
  }

  private static byte[] key(int n) {
    byte[] k = new byte[32];
    k[0] = (byte) n;
    k[31] = (byte) (n * 7);
    return k;
  }

  /** Distinct keys for n up to 2^32. */
  private static byte[] wide(int n) {
    byte[] k = new byte[32];
    for (int i = 0; i < 4; i++) {
      k[i] = (byte) (n >>> (24 - 8 * i));
    }
    k[31] = 1;
    return k;
  }
}
