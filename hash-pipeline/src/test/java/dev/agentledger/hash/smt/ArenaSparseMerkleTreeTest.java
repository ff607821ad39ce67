package dev.agentledger.hash.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The arena tree against {@link SparseMerkleTree}: the same batches (puts, overwrites, deletes,
 * keys with long shared prefixes, batches small enough for single-stream hashing and large enough
 * for the multi-buffer engine) give the same root every version, and the same proofs; pruned
 * versions are refused, retained ones keep proving, and the arena stops growing under steady load.
 */
class ArenaSparseMerkleTreeTest {

  @Test
  void sameRootsAndProofsAsTheNodeStoreTree() {
    Random random = new Random(77);
    SparseMerkleTree reference = new SparseMerkleTree(new InMemoryNodeStore());
    ArenaSparseMerkleTree arena = new ArenaSparseMerkleTree(16);
    List<byte[]> known = new ArrayList<>();
    for (int version = 0; version < 60; version++) {
      int size = version % 7 == 0 ? 1 + random.nextInt(600) : 1 + random.nextInt(12);
      TreeMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);
      for (int i = 0; i < size; i++) {
        byte[] key = knownOrNewKey(random, known);
        byte[] valueHash = null;
        if (random.nextInt(6) != 0) {
          valueHash = new byte[32];
          random.nextBytes(valueHash);
        }
        batch.put(key, valueHash);
      }
      byte[][] keys = batch.keySet().toArray(new byte[0][]);
      byte[][] hashes = batch.values().toArray(new byte[0][]);
      byte[] expected = reference.updateHashes(keys, hashes);
      byte[] flatKeys = new byte[32 * keys.length];
      byte[] flatHashes = new byte[32 * keys.length];
      boolean[] removed = new boolean[keys.length];
      for (int i = 0; i < keys.length; i++) {
        System.arraycopy(keys[i], 0, flatKeys, 32 * i, 32);
        if (hashes[i] == null) {
          removed[i] = true;
        } else {
          System.arraycopy(hashes[i], 0, flatHashes, 32 * i, 32);
        }
      }
      assertThat(arena.update(flatKeys, flatHashes, removed, keys.length)).isEqualTo(version);
      assertThat(arena.root(version)).isEqualTo(expected);
      for (int p = 0; p < 10; p++) {
        byte[] key = known.get(random.nextInt(known.size()));
        SmtProof a = arena.prove(version, key);
        SmtProof b = reference.prove(version, key);
        assertThat(a.siblings()).usingRecursiveComparison().isEqualTo(b.siblings());
        assertThat(a.leafKey()).isEqualTo(b.leafKey());
        assertThat(a.leafValueHash()).isEqualTo(b.leafValueHash());
      }
    }
    assertThat(arena.hashCount()).isPositive();
  }

  /**
   * A tree started with one page that grows to several pages of nodes and of leaf slots: the same
   * roots as the reference, and proofs of keys in the first and the last pages.
   */
  @Test
  void growingAcrossArenaPagesKeepsRootsAndProofs() {
    Random random = new Random(11);
    SparseMerkleTree reference = new SparseMerkleTree(new InMemoryNodeStore());
    ArenaSparseMerkleTree arena = new ArenaSparseMerkleTree(16);
    int perBatch = ArenaSparseMerkleTree.PAGE_NODES;
    List<byte[]> known = new ArrayList<>();
    for (int version = 0; version < 3; version++) {
      TreeMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);
      while (batch.size() < perBatch) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] valueHash = new byte[32];
        random.nextBytes(valueHash);
        batch.put(key, valueHash);
        known.add(key);
      }
      byte[][] keys = batch.keySet().toArray(new byte[0][]);
      byte[][] hashes = batch.values().toArray(new byte[0][]);
      byte[] expected = reference.updateHashes(keys, hashes);
      byte[] flatKeys = new byte[32 * keys.length];
      byte[] flatHashes = new byte[32 * keys.length];
      for (int i = 0; i < keys.length; i++) {
        System.arraycopy(keys[i], 0, flatKeys, 32 * i, 32);
        System.arraycopy(hashes[i], 0, flatHashes, 32 * i, 32);
      }
      arena.update(flatKeys, flatHashes, new boolean[keys.length], keys.length);
      assertThat(arena.root(version)).isEqualTo(expected);
    }
    assertThat(arena.liveNodes()).isGreaterThan(4 * ArenaSparseMerkleTree.PAGE_NODES);
    // native pages: 40 bytes a node (hash and links), 64 a leaf slot, whole pages at a time
    long used = 40L * arena.liveNodes() + 64L * known.size();
    assertThat(arena.offHeapBytes())
        .isGreaterThanOrEqualTo(used)
        .isLessThan(used + 2L * (40 + 64) * ArenaSparseMerkleTree.PAGE_NODES);
    for (byte[] key :
        List.of(known.get(0), known.get(known.size() / 2), known.get(known.size() - 1))) {
      SmtProof a = arena.prove(2, key);
      SmtProof b = reference.prove(2, key);
      assertThat(a.siblings()).usingRecursiveComparison().isEqualTo(b.siblings());
      assertThat(a.leafKey()).isEqualTo(key);
      assertThat(a.leafValueHash()).isEqualTo(b.leafValueHash());
      assertThat(a.verifyMembership(arena.root(2), key, a.leafValueHash())).isTrue();
    }
  }

  @Test
  void pruningFreesNodesAndKeepsRetainedVersionsProvable() {
    Random random = new Random(5);
    ArenaSparseMerkleTree arena = new ArenaSparseMerkleTree(16);
    byte[][] accounts = new byte[2000][32];
    for (byte[] a : accounts) {
      random.nextBytes(a);
    }
    int retain = 8;
    int liveAfterWarmup = 0;
    for (int version = 0; version < 400; version++) {
      TreeMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);
      int size = version == 0 ? accounts.length : 50;
      for (int i = 0; i < size; i++) {
        byte[] v = new byte[32];
        random.nextBytes(v);
        batch.put(accounts[version == 0 ? i : random.nextInt(accounts.length)], v);
      }
      byte[] keys = new byte[32 * batch.size()];
      byte[] hashes = new byte[32 * batch.size()];
      int i = 0;
      for (var e : batch.entrySet()) {
        System.arraycopy(e.getKey(), 0, keys, 32 * i, 32);
        System.arraycopy(e.getValue(), 0, hashes, 32 * i++, 32);
      }
      arena.update(keys, hashes, new boolean[i], i);
      if (version >= retain) {
        arena.prune(version - retain + 1);
      }
      if (version == 100) {
        liveAfterWarmup = arena.liveNodes();
      }
    }
    assertThat(arena.liveNodes()).isLessThan(liveAfterWarmup + liveAfterWarmup / 10);
    assertThat(arena.oldestVersion()).isEqualTo(399 - retain + 1);
    assertThat(arena.isRetained(300)).isFalse();
    assertThatThrownBy(() -> arena.prove(300, accounts[0]))
        .isInstanceOf(IllegalArgumentException.class);
    for (long v = arena.oldestVersion(); v <= 399; v++) {
      byte[] root = arena.root(v);
      for (int k = 0; k < 20; k++) {
        byte[] key = accounts[random.nextInt(accounts.length)];
        SmtProof proof = arena.prove(v, key);
        assertThat(proof.verifyMembership(root, key, proof.leafValueHash())).isTrue();
      }
    }
  }

  /**
   * Pruning under overwrites and deletes of a small key space: every version's root and the
   * retained versions' proofs equal the unpruned reference's, so no leaf slot is reused while a
   * retained version still reaches it; and the slots in use stop growing, so released leaves do
   * return their slots.
   */
  @Test
  void prunedLeavesReturnTheirSlotsAndRootsStayTheReferences() {
    Random random = new Random(11);
    SparseMerkleTree reference = new SparseMerkleTree(new InMemoryNodeStore());
    ArenaSparseMerkleTree arena = new ArenaSparseMerkleTree(16);
    byte[][] keys = new byte[300][];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = SparseMerkleTreeTest.key(random, k % 5 == 0 ? 64 : 0);
    }
    int retain = 4;
    int slotsAfterWarmup = 0;
    for (int version = 0; version < 240; version++) {
      TreeMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);
      int size = version == 0 ? keys.length : 1 + random.nextInt(60);
      for (int i = 0; i < size; i++) {
        byte[] valueHash = null;
        if (version == 0 || random.nextInt(4) != 0) {
          valueHash = new byte[32];
          random.nextBytes(valueHash);
        }
        batch.put(keys[version == 0 ? i : random.nextInt(keys.length)], valueHash);
      }
      byte[][] batchKeys = batch.keySet().toArray(new byte[0][]);
      byte[][] hashes = batch.values().toArray(new byte[0][]);
      byte[] expected = reference.updateHashes(batchKeys, hashes);
      byte[] flatKeys = new byte[32 * batchKeys.length];
      byte[] flatHashes = new byte[32 * batchKeys.length];
      boolean[] removed = new boolean[batchKeys.length];
      for (int i = 0; i < batchKeys.length; i++) {
        System.arraycopy(batchKeys[i], 0, flatKeys, 32 * i, 32);
        if (hashes[i] == null) {
          removed[i] = true;
        } else {
          System.arraycopy(hashes[i], 0, flatHashes, 32 * i, 32);
        }
      }
      arena.update(flatKeys, flatHashes, removed, batchKeys.length);
      if (version >= retain) {
        arena.prune(version - retain + 1);
      }
      assertThat(arena.root(version)).isEqualTo(expected);
      for (long v = arena.oldestVersion(); v <= version; v++) {
        byte[] key = keys[random.nextInt(keys.length)];
        SmtProof a = arena.prove(v, key);
        SmtProof b = reference.prove(v, key);
        assertThat(a.siblings()).usingRecursiveComparison().isEqualTo(b.siblings());
        assertThat(a.leafKey()).isEqualTo(b.leafKey());
        assertThat(a.leafValueHash()).isEqualTo(b.leafValueHash());
      }
      if (version == 40) {
        slotsAfterWarmup = arena.leafSlotsInUse();
      }
    }
    // At most the 300 keys' leaves in each of the retained versions plus the one being built.
    assertThat(arena.leafSlotsInUse()).isLessThanOrEqualTo(keys.length * (retain + 1));
    assertThat(arena.leafSlotsInUse()).isLessThan(slotsAfterWarmup + slotsAfterWarmup / 2);
  }

  /**
   * Many commits rewriting the same keys, pruned as a node prunes: the arena's node slots stay
   * within the bound its blocks give (twice the peak of nodes in use, plus a block) and stop
   * growing once the first blocks come back into use; the newest version still proves every key.
   */
  @Test
  void arenaStaysBoundedUnderRewritesOfTheSameKeys() {
    Random random = new Random(23);
    ArenaSparseMerkleTree arena = new ArenaSparseMerkleTree(16);
    byte[][] accounts = new byte[2000][32];
    for (byte[] a : accounts) {
      random.nextBytes(a);
    }
    int retain = 16;
    int peakLive = 0;
    int arenaAtHalf = 0;
    byte[][] latest = new byte[accounts.length][];
    int versions = 1000;
    for (int version = 0; version < versions; version++) {
      TreeMap<byte[], Integer> batch = new TreeMap<>(Arrays::compareUnsigned);
      int size = version == 0 ? accounts.length : 150;
      for (int i = 0; i < size; i++) {
        // skewed: a third of the rewrites go to the first 100 keys
        int k =
            version == 0
                ? i
                : random.nextInt(3) == 0 ? random.nextInt(100) : random.nextInt(accounts.length);
        batch.put(accounts[k], k);
      }
      byte[] keys = new byte[32 * batch.size()];
      byte[] hashes = new byte[32 * batch.size()];
      int i = 0;
      for (var e : batch.entrySet()) {
        byte[] v = new byte[32];
        random.nextBytes(v);
        latest[e.getValue()] = v;
        System.arraycopy(e.getKey(), 0, keys, 32 * i, 32);
        System.arraycopy(v, 0, hashes, 32 * i++, 32);
      }
      arena.update(keys, hashes, new boolean[i], i);
      peakLive = Math.max(peakLive, arena.liveNodes());
      if (version >= retain) {
        arena.prune(version - retain + 1);
      }
      assertThat(arena.arenaNodes())
          .isLessThanOrEqualTo(
              ArenaSparseMerkleTree.BLOCK_NODES
                      / (ArenaSparseMerkleTree.BLOCK_NODES - ArenaSparseMerkleTree.REUSE_FREE)
                      * peakLive
                  + ArenaSparseMerkleTree.BLOCK_NODES);
      if (version == versions / 2) {
        arenaAtHalf = arena.arenaNodes();
      }
    }
    assertThat(arena.arenaNodes()).isLessThanOrEqualTo(arenaAtHalf + arenaAtHalf / 20);
    byte[] root = arena.root(versions - 1);
    for (int k = 0; k < accounts.length; k++) {
      SmtProof proof = arena.prove(versions - 1, accounts[k]);
      assertThat(proof.verifyMembership(root, accounts[k], latest[k])).isTrue();
    }
  }

  /**
   * The reads issued ahead in chunks ({@code touchAhead}) change nothing: trees with them on, off,
   * and on over a bounded cache of a few frames (pages evicted under the chunks, so the early reads
   * skip pages that are not resident) give the same roots, proofs and node counts over random
   * batches of puts, overwrites and deletes, small and larger than a chunk, with pruning.
   */
  @Test
  void readsIssuedAheadGiveTheSameRootsAndProofs() {
    Random random = new Random(5);
    ArenaSparseMerkleTree ahead = new ArenaSparseMerkleTree(PageCache.unbounded());
    ArenaSparseMerkleTree plain = new ArenaSparseMerkleTree(PageCache.unbounded());
    plain.touchAhead = false;
    ArenaSparseMerkleTree paged =
        new ArenaSparseMerkleTree(
            PageCache.bounded(new PageCacheTest.InMemoryBacking(), 6L * PageCache.PAGE_BYTES));
    ArenaSparseMerkleTree[] trees = {ahead, plain, paged};
    List<byte[]> known = new ArrayList<>();
    int versions = 40;
    for (int version = 0; version < versions; version++) {
      int size =
          version % 3 == 0
              ? 1 + random.nextInt(3 * ArenaSparseMerkleTree.TOUCH_CHUNK * 8)
              : 1 + random.nextInt(ArenaSparseMerkleTree.TOUCH_CHUNK * 2);
      TreeMap<byte[], Boolean> batch = new TreeMap<>(Arrays::compareUnsigned);
      for (int i = 0; i < size; i++) {
        byte[] key = knownOrNewKey(random, known);
        batch.put(key, random.nextInt(6) == 0);
      }
      byte[] keys = new byte[32 * batch.size()];
      byte[] hashes = new byte[32 * batch.size()];
      boolean[] removed = new boolean[batch.size()];
      random.nextBytes(hashes);
      int i = 0;
      for (var e : batch.entrySet()) {
        System.arraycopy(e.getKey(), 0, keys, 32 * i, 32);
        removed[i++] = e.getValue();
      }
      for (ArenaSparseMerkleTree tree : trees) {
        assertThat(tree.update(keys, hashes, removed, i)).isEqualTo(version);
        if (version >= 8) {
          tree.prune(version - 7);
        }
      }
      byte[] root = ahead.root(version);
      assertThat(plain.root(version)).isEqualTo(root);
      assertThat(paged.root(version)).isEqualTo(root);
      assertThat(plain.liveNodes()).isEqualTo(ahead.liveNodes());
      assertThat(paged.liveNodes()).isEqualTo(ahead.liveNodes());
    }
    for (long version = versions - 8; version < versions; version++) {
      for (int k = 0; k < known.size(); k += 7) {
        SmtProof expected = ahead.prove(version, known.get(k));
        for (ArenaSparseMerkleTree tree : new ArenaSparseMerkleTree[] {plain, paged}) {
          SmtProof proof = tree.prove(version, known.get(k));
          assertThat(proof.siblings()).hasSameSizeAs(expected.siblings());
          for (int j = 0; j < expected.siblings().size(); j++) {
            assertThat(proof.siblings().get(j)).isEqualTo(expected.siblings().get(j));
          }
          assertThat(proof.leafKey()).isEqualTo(expected.leafKey());
          assertThat(proof.leafValueHash()).isEqualTo(expected.leafValueHash());
        }
      }
    }
  }

  /**
   * A key seen before (one time in three), else a new one (shared 64-bit prefixes one in eight).
   */
  private static byte[] knownOrNewKey(Random random, List<byte[]> known) {
    if (!known.isEmpty() && random.nextInt(3) == 0) {
      return known.get(random.nextInt(known.size()));
    }
    byte[] key = SparseMerkleTreeTest.key(random, random.nextInt(8) == 0 ? 64 : 0);
    known.add(key);
    return key;
  }
}
