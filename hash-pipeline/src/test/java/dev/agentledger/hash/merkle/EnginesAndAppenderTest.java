package dev.agentledger.hash.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every level hasher builds the same trees; the appender reaches the same heads by any batching.
 */
class EnginesAndAppenderTest {
  private static final LevelHasher[] HASHERS = {
    LevelHashers.single(), LevelHashers.simd(), LevelHashers.defaultHasher()
  };

  @Test
  void everyLevelHasherBuildsTheReferenceTree() {
    Random random = new Random(11);
    for (int n : new int[] {0, 1, 2, 3, 15, 16, 17, 31, 33, 64, 100, 257, 1000, 5000}) {
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] leaf = new byte[32];
        random.nextBytes(leaf);
        leaves.add(leaf);
      }
      byte[] expected = ReferenceMerkle.mth(leaves);
      for (LevelHasher hasher : HASHERS) {
        MerkleTree tree = MerkleTree.build(leaves, hasher);
        assertThat(tree.root()).as("%s over %d", hasher.name(), n).isEqualTo(expected);
        if (n > 0) {
          int index = random.nextInt(n);
          assertThat(tree.inclusionProof(index).verifyLeaf(leaves.get(index), expected)).isTrue();
        }
      }
    }
  }

  @Test
  void parallelBuildOfALargeTreeMatchesTheSequentialOne() {
    Random random = new Random(12);
    int n = (1 << 16) + 12_345;
    byte[] packed = new byte[n * 32];
    random.nextBytes(packed);
    MerkleTree parallel = MerkleTree.ofPackedLeafHashes(packed, n, LevelHashers.defaultHasher());
    MerkleAppender sequential = new MerkleAppender(LevelHashers.single());
    byte[] one = new byte[32];
    for (int i = 0; i < n; i++) {
      System.arraycopy(packed, 32 * i, one, 0, 32);
      sequential.appendLeafHash(one);
    }
    assertThat(parallel.root()).isEqualTo(sequential.root());
  }

  @Test
  void appenderMatchesTheTreeForRandomBatchesAndResumes() {
    Random random = new Random(13);
    for (int trial = 0; trial < 16; trial++) {
      int n = random.nextInt(1500);
      byte[] packed = new byte[n * 32];
      random.nextBytes(packed);
      MerkleAppender appender = new MerkleAppender(HASHERS[trial % HASHERS.length]);
      int done = 0;
      while (done < n) {
        int batch = Math.min(n - done, random.nextInt(4) == 0 ? 1 : random.nextInt(300));
        appender.appendLeafHashes(packed, done * 32, batch);
        done += batch;
        MerkleTree tree = MerkleTree.ofPackedLeafHashes(packed, done, LevelHashers.single());
        assertThat(appender.root()).as("trial %d after %d", trial, done).isEqualTo(tree.root());
        if (random.nextInt(5) == 0) {
          appender =
              MerkleAppender.resume(appender.size(), appender.frontier(), LevelHashers.simd());
        }
      }
      assertThat(appender.size()).isEqualTo(n);
    }
    assertThat(new MerkleAppender().root()).isEqualTo(TreeHash.emptyRoot());
  }
}
