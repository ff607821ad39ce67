package dev.agentledger.hash.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.ProbeResult;
import dev.agentledger.accel.Router;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.hash.merkle.LevelHashers;
import dev.agentledger.hash.merkle.MerkleTree;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Trees hashed through {@link RoutedLevelHasher} have the CPU tree's root whoever the router picks:
 * the host ({@value SimdHashBackend#NAME}), OpenCL (PoCL here), or a device that fails every launch
 * (the router's host fallback); and every level is counted where it was served.
 */
class RoutedLevelHasherTest {
  private static final int[] SIZES = {0, 1, 2, 3, 7, 16, 31, 64, 100, 129, 1000, 4096};

  private static List<byte[]> leaves(Random random, int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] leaf = new byte[32];
      random.nextBytes(leaf);
      out.add(leaf);
    }
    return out;
  }

  private static void assertSameRoots(RoutedLevelHasher hasher) {
    Random random = new Random(9162);
    for (int n : SIZES) {
      List<byte[]> leaves = leaves(random, n);
      assertThat(MerkleTree.build(leaves, hasher).root())
          .as("n=%d", n)
          .isEqualTo(MerkleTree.build(leaves, LevelHashers.single()).root());
    }
  }

  private static Router router(Backend device) {
    BackendRegistry registry = new BackendRegistry().register(new SimdHashBackend());
    if (device != null) {
      registry.register(device);
    }
    return new Router(registry, Integer.MAX_VALUE);
  }

  @Test
  void levelsKeptOnTheHostAreHashedByTheCpuEngineAndCounted() {
    Router router = router(null);
    router.table().pin(Capability.MERKLE_LEVEL, SimdHashBackend.NAME, 1);
    router.table().pin(Capability.SHA256_BATCH, SimdHashBackend.NAME, 1);
    assertSameRoots(new RoutedLevelHasher(router));
    assertThat(router.stats(Capability.MERKLE_LEVEL, SimdHashBackend.NAME).batches()).isPositive();
    assertThat(router.stats(Capability.SHA256_BATCH, SimdHashBackend.NAME).items()).isPositive();
  }

  @Test
  void levelsRoutedToOpenClHaveTheSameBytes() {
    OpenClBackend opencl = new OpenClBackend();
    ProbeResult probe = opencl.probe();
    assumeTrue(probe.available(), "no OpenCL device: " + probe.reason().orElse("?"));
    Router router = router(opencl);
    try {
      router.table().pin(Capability.MERKLE_LEVEL, opencl.name(), 64);
      router.table().pin(Capability.SHA256_BATCH, opencl.name(), 64);
      assertSameRoots(new RoutedLevelHasher(router));
      assertThat(router.stats(Capability.MERKLE_LEVEL, opencl.name()).batches()).isPositive();
      assertThat(router.stats(Capability.SHA256_BATCH, opencl.name()).batches()).isPositive();
      // levels below the pinned size stayed on the host
      assertThat(router.stats(Capability.MERKLE_LEVEL, SimdHashBackend.NAME).batches())
          .isPositive();
    } finally {
      router.registry().close();
    }
  }

  @Test
  void aFailingDeviceFallsBackWithTheSameBytes() {
    FailingDevice failing = new FailingDevice();
    Router router = router(failing);
    router.table().pin(Capability.MERKLE_LEVEL, failing.name(), 1);
    router.table().pin(Capability.SHA256_BATCH, failing.name(), 1);
    assertSameRoots(new RoutedLevelHasher(router));
    assertThat(failing.attempts.get()).isPositive();
    assertThat(router.stats(Capability.MERKLE_LEVEL, failing.name()).fallbacks()).isPositive();
    assertThat(router.outOfRotation()).containsExactly(failing.name());
  }

  /** A device that claims the hash capabilities and fails every launch. */
  private static final class FailingDevice implements Backend {
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public String name() {
      return "failing";
    }

    @Override
    public ProbeResult probe() {
      return ProbeResult.available(name(), List.of());
    }

    @Override
    public boolean isHost() {
      return false;
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(Capability.SHA256_BATCH, Capability.MERKLE_LEVEL);
    }

    @Override
    public CompletableFuture<LaunchTiming> sha256Batch(
        ByteBuffer messages, int messageBytes, int count, ByteBuffer digests) {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(new AccelException("injected sha256 failure"));
    }

    @Override
    public CompletableFuture<LaunchTiming> merkleLevel(
        ByteBuffer nodes, int count, ByteBuffer parents) {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(new AccelException("injected level failure"));
    }

    @Override
    public void close() {}
  }
}
