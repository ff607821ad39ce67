package dev.agentledger.hash.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.cpu.CpuBackend;
import dev.agentledger.accel.cuda.CudaBackend;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.hash.merkle.LevelHashers;
import dev.agentledger.hash.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Trees built through {@link BackendLevelHasher} (OpenCL on PoCL here, the host backends always)
 * have the same root and the same inclusion proofs as the CPU tree.
 */
class BackendLevelHasherTest {
  private static final int[] LARGE = {127, 128, 129, 1000};

  /** Leaves of random length (level hashing only) or all 32 bytes (leaf hashing too). */
  private static List<byte[]> leaves(Random random, int n, boolean all32) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] leaf = new byte[all32 ? 32 : random.nextInt(80)];
      random.nextBytes(leaf);
      out.add(leaf);
    }
    return out;
  }

  private static void assertSameTrees(Backend backend, BackendLevelHasher hasher) {
    Random random = new Random(6962);
    List<Integer> sizes = new ArrayList<>();
    for (int n = 0; n <= 70; n++) {
      sizes.add(n);
    }
    for (int n : LARGE) {
      sizes.add(n);
    }
    for (int n : sizes) {
      for (boolean all32 : new boolean[] {false, true}) {
        List<byte[]> leaves = leaves(random, n, all32);
        MerkleTree cpu = MerkleTree.build(leaves, LevelHashers.single());
        MerkleTree accel = MerkleTree.build(leaves, hasher);
        String as = backend.name() + " n=" + n + (all32 ? " 32-byte leaves" : "");
        assertThat(accel.root()).as(as).isEqualTo(cpu.root());
        if (n > 0) {
          int m = random.nextInt(n);
          assertThat(accel.inclusionProof(m).path())
              .as(as + " proof " + m)
              .usingElementComparator(Arrays::compare)
              .containsExactlyElementsOf(cpu.inclusionProof(m).path());
        }
      }
    }
  }

  @Test
  void openClTreesEqualCpuTrees() {
    try (OpenClBackend opencl = new OpenClBackend()) {
      assumeTrue(
          opencl.probe().available(),
          () -> "no OpenCL here: " + opencl.probe().reason().orElse(""));
      BackendLevelHasher hasher = new BackendLevelHasher(opencl);
      assertThat(hasher.name()).isEqualTo("accel-opencl");
      assertSameTrees(opencl, hasher);
      assertThat(hasher.fallbacks()).as("no OpenCL submission failed").isZero();
    }
  }

  @Test
  void hostBackendTreesEqualCpuTrees() {
    for (Backend host : List.of(new CpuBackend(), new SimdHashBackend())) {
      BackendLevelHasher hasher = new BackendLevelHasher(host);
      assertSameTrees(host, hasher);
      assertThat(hasher.fallbacks()).isZero();
    }
  }

  @Test
  void anUnavailableDeviceFallsBackToTheCpuWithTheSameTree() {
    try (CudaBackend cuda = new CudaBackend()) {
      BackendLevelHasher hasher = new BackendLevelHasher(cuda);
      assertSameTrees(cuda, hasher);
      if (!cuda.probe().available()) {
        assertThat(hasher.fallbacks()).as("every range re-hashed on the CPU").isPositive();
      }
    }
  }
}
