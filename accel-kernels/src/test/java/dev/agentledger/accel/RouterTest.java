package dev.agentledger.accel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.accel.cpu.CpuBackend;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RouterTest {
  /** A device backend that claims every hash capability and fails every launch. */
  static final class FailingBackend implements Backend {
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public String name() {
      return "failing";
    }

    @Override
    public ProbeResult probe() {
      return ProbeResult.available("failing", java.util.List.of());
    }

    @Override
    public boolean isHost() {
      return false;
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(Capability.SHA256_BATCH, Capability.MERKLE_ROOT);
    }

    @Override
    public CompletableFuture<LaunchTiming> merkleRoot(
        ByteBuffer leafHashes, int count, ByteBuffer root) {
      attempts.incrementAndGet();
      root.put(0, new byte[32]); // scribbles on the output, as a half-finished device copy might
      return CompletableFuture.failedFuture(
          new AccelException("launch failed", "CL_OUT_OF_RESOURCES (-5)", null));
    }

    @Override
    public void close() {}
  }

  @Test
  void routingTableKeepsSmallBatchesOnTheHostAndPicksTheFastest() {
    RoutingTable t = new RoutingTable(1000);
    t.record(Capability.SHA256_BATCH, "cpu", 1024, 1e6);
    t.record(Capability.SHA256_BATCH, "gpu", 1024, 0.5e6);
    t.record(Capability.SHA256_BATCH, "cpu", 65536, 1e6);
    t.record(Capability.SHA256_BATCH, "gpu", 65536, 9e6);
    assertThat(t.choose(Capability.SHA256_BATCH, 10, "cpu")).isEqualTo("cpu");
    assertThat(t.choose(Capability.SHA256_BATCH, 2000, "cpu")).isEqualTo("cpu");
    assertThat(t.choose(Capability.SHA256_BATCH, 70000, "cpu")).isEqualTo("gpu");
    assertThat(t.choose(Capability.MERKLE_ROOT, 70000, "cpu")).isEqualTo("cpu");
    assertThat(t.crossover(Capability.SHA256_BATCH, "gpu", "cpu")).isEqualTo(65536);
    assertThat(t.crossover(Capability.SHA256_BATCH, "cpu", "gpu")).isEqualTo(-1);
  }

  @Test
  void deviceFailureFallsBackToTheHostWithoutLosingTheBatch() {
    FailingBackend failing = new FailingBackend();
    try (BackendRegistry registry =
        new BackendRegistry().register(new CpuBackend()).register(failing)) {
      Router router = new Router(registry, 16);
      // the failing device "measured" fastest for big batches
      router.table().record(Capability.MERKLE_ROOT, "cpu", 16, 1);
      router.table().record(Capability.MERKLE_ROOT, "failing", 16, 1000);
      int n = 100;
      byte[] leaves = new byte[32 * n];
      new Random(1).nextBytes(leaves);
      java.util.List<byte[]> list = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        list.add(java.util.Arrays.copyOfRange(leaves, 32 * i, 32 * i + 32));
      }
      ByteBuffer root = ByteBuffer.allocateDirect(32);
      LaunchTiming t =
          router.merkleRoot(ByteBuffer.allocateDirect(32 * n).put(0, leaves), n, root).join();
      assertThat(failing.attempts).hasValue(1);
      assertThat(t.backend()).isEqualTo("cpu");
      byte[] got = new byte[32];
      root.get(0, got);
      assertThat(got).isEqualTo(Rfc6962Reference.root(list, 0, n));
      assertThat(router.metrics())
          .containsEntry("merkle.failing.fallbacks", 1L)
          .containsEntry("merkle.cpu.batches", 1L)
          .containsEntry("merkle.cpu.items", (long) n);
    }
  }

  @Test
  void calibrationMeasuresEveryProvidingBackend() {
    try (BackendRegistry registry = new BackendRegistry().register(new CpuBackend())) {
      Router router = Router.withDefaults(registry);
      router.calibrate(Capability.SHA256_BATCH);
      assertThat(router.table().describe())
          .hasSize(3)
          .allMatch(line -> line.startsWith("sha256 ") && line.contains(" cpu "));
      ByteBuffer digests = ByteBuffer.allocateDirect(32 * 4);
      LaunchTiming t = router.sha256Batch(ByteBuffer.allocateDirect(64 * 4), 64, 4, digests).join();
      assertThat(t.backend()).isEqualTo("cpu");
    }
  }

  @Test
  void registryNamesUnknownAndUnavailableBackends() {
    try (BackendRegistry registry = BackendRegistry.discover()) {
      assertThat(registry.byName("cpu").name()).isEqualTo("cpu");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.byName("tornado"))
          .isInstanceOf(AccelException.class)
          .hasMessageContaining("unknown backend 'tornado'")
          .hasMessageContaining("cpu");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> registry.byName("cpu", Capability.ED25519_VERIFY_BATCH))
          .isInstanceOf(UnsupportedCapabilityException.class);
      assertThat(registry.all()).extracting(Backend::name).contains("cpu", "opencl", "cuda");
    }
  }

  @Test
  void cpuMeansAnyHostBackendForCapabilitiesTheCpuBackendLacks() {
    Backend hostEd25519 =
        new Backend() {
          @Override
          public String name() {
            return "cpu-ed25519";
          }

          @Override
          public ProbeResult probe() {
            return ProbeResult.available(name(), java.util.List.of());
          }

          @Override
          public boolean isHost() {
            return true;
          }

          @Override
          public Set<Capability> capabilities() {
            return EnumSet.of(Capability.ED25519_VERIFY_BATCH);
          }

          @Override
          public void close() {}
        };
    try (BackendRegistry registry =
        new BackendRegistry().register(new CpuBackend()).register(hostEd25519)) {
      assertThat(registry.byName("cpu", Capability.ED25519_VERIFY_BATCH)).isSameAs(hostEd25519);
      assertThat(registry.byName("cpu", Capability.MERKLE_ROOT).name()).isEqualTo("cpu");
    }
  }
}
