package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.hash.smt.InMemoryNodeStore;
import dev.agentledger.hash.smt.SmtProof;
import dev.agentledger.hash.smt.SparseMerkleTree;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocksDB store as the sparse Merkle tree's NodeStore: same roots as the in-memory store,
 * durable across reopen.
 */
class RocksDbNodeStoreTest {
  @TempDir Path dir;

  @Test
  void sameRootsAsInMemoryAndSurvivesReopen() {
    Random random = new Random(5);
    byte[][][] keys = new byte[3][20][32];
    byte[][][] values = new byte[3][20][];
    for (int v = 0; v < 3; v++) {
      for (int i = 0; i < 20; i++) {
        random.nextBytes(keys[v][i]);
        if (v > 0 && i < 5) {
          keys[v][i] = keys[v - 1][i].clone(); // overwrite some keys
        }
        values[v][i] = ("value-" + v + "-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    SparseMerkleTree reference = new SparseMerkleTree(new InMemoryNodeStore());
    byte[][] roots = new byte[3][];
    try (RocksDbStore store = RocksDbStore.open(dir.resolve("state"))) {
      assertThat(store.latestVersion()).isEqualTo(-1);
      SparseMerkleTree tree = new SparseMerkleTree(store);
      for (int v = 0; v < 3; v++) {
        java.util.Map<byte[], byte[]> changes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys[v].length; i++) {
          changes.put(keys[v][i], values[v][i]);
        }
        roots[v] = tree.update(changes);
        assertThat(roots[v]).isEqualTo(reference.update(changes));
      }
      assertThat(store.latestVersion()).isEqualTo(tree.latestVersion());
    }
    try (RocksDbStore store = RocksDbStore.open(dir.resolve("state"))) {
      SparseMerkleTree tree = new SparseMerkleTree(store);
      long latest = tree.latestVersion();
      assertThat(tree.root(latest)).isEqualTo(roots[2]);
      assertThat(tree.get(latest, keys[2][7]).orElseThrow())
          .isEqualTo(SparseMerkleTree.valueHash(values[2][7]));
      SmtProof proof = tree.prove(latest, keys[2][7]);
      assertThat(proof).isNotNull();
      assertThat(store.root(latest - 2)).isEqualTo(roots[0]);
    }
  }
}
