package dev.agentledger.node.execution.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.Router;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.hash.accel.RoutedLevelHasher;
import dev.agentledger.hash.accel.SimdHashBackend;
import dev.agentledger.hash.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The flat, level-by-level roots of {@link CommitOutput} against {@link MerkleTree}, any size, with
 * the CPU engine and through the node's hashing backend (host, and OpenCL on PoCL here).
 */
class CommitOutputTest {
  @Test
  void rootsMatchTheRfc6962Tree() {
    assertRootsMatch(new CommitOutput());
  }

  @Test
  void rootsAreByteIdenticalThroughTheHashingBackend() {
    Router host = router(null);
    assertRootsMatch(new CommitOutput(new RoutedLevelHasher(host)));
    assertThat(host.stats(Capability.SHA256_BATCH, SimdHashBackend.NAME).batches()).isPositive();
    OpenClBackend opencl = new OpenClBackend();
    assumeTrue(opencl.probe().available(), "no OpenCL device: " + opencl.probe().reason());
    Router device = router(opencl);
    try {
      device.table().pin(Capability.MERKLE_LEVEL, opencl.name(), 8);
      device.table().pin(Capability.SHA256_BATCH, opencl.name(), 8);
      assertRootsMatch(new CommitOutput(new RoutedLevelHasher(device)));
      assertThat(device.stats(Capability.MERKLE_LEVEL, opencl.name()).batches()).isPositive();
      assertThat(device.stats(Capability.SHA256_BATCH, opencl.name()).batches()).isPositive();
    } finally {
      device.registry().close();
    }
  }

  private static Router router(OpenClBackend device) {
    BackendRegistry registry = new BackendRegistry().register(new SimdHashBackend());
    if (device != null) {
      registry.register(device);
    }
    Router router = new Router(registry, Integer.MAX_VALUE);
    router.table().pin(Capability.MERKLE_LEVEL, SimdHashBackend.NAME, 1);
    router.table().pin(Capability.SHA256_BATCH, SimdHashBackend.NAME, 1);
    return router;
  }

  private static void assertRootsMatch(CommitOutput out) {
    Random random = new Random(8);
    for (int n = 0; n <= 1200; n += n < 40 ? 1 : n < 140 ? 13 : 211) {
      out.reset(n);
      List<byte[]> ids = new ArrayList<>();
      List<byte[]> receipts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        System.arraycopy(id, 0, out.idsArray(), 32 * i, 32);
        ExecutionCode code = random.nextBoolean() ? ExecutionCode.OK : ExecutionCode.BAD_NONCE;
        long fee = random.nextInt(100_000);
        out.receipt(i, 1, code, fee);
        ids.add(id);
        receipts.add(new Receipt(id, 1, code, fee).encode());
      }
      out.computeRoots();
      assertThat(out.txRoot()).as("n=" + n).isEqualTo(MerkleTree.build(ids).root());
      assertThat(out.receiptsRoot()).as("n=" + n).isEqualTo(MerkleTree.build(receipts).root());
    }
  }
}
