package dev.agentledger.sig.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.ProbeResult;
import dev.agentledger.accel.Router;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import dev.agentledger.sig.testing.EdgeCases;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The routed verifier: batches below the crossover stay on the CPU, larger ones go to the device, a
 * device that fails loses no batch (the CPU answers, the error and the fallback are counted) and
 * leaves the rotation after repeated failures; the verdicts are Ed25519.verify's on every item
 * whoever served it.
 */
class RoutedBatchVerifierTest {
  private static final Capability ED25519 = Capability.ED25519_VERIFY_BATCH;

  /** A device backend that injects a fault into every {@code failEvery}-th submission. */
  static final class FaultInjectingBackend implements Backend {
    final AtomicInteger attempts = new AtomicInteger();
    final int failEvery;
    final CpuEd25519Backend compute = new CpuEd25519Backend();

    FaultInjectingBackend(int failEvery) {
      this.failEvery = failEvery;
    }

    @Override
    public String name() {
      return "faulty";
    }

    @Override
    public ProbeResult probe() {
      return ProbeResult.available("faulty", List.of());
    }

    @Override
    public boolean isHost() {
      return false;
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(ED25519);
    }

    @Override
    public CompletableFuture<LaunchTiming> ed25519VerifyBatch(
        Ed25519Batch batch, ByteBuffer verdicts) {
      if (attempts.incrementAndGet() % failEvery == 0) {
        for (int i = 0; i < batch.count(); i++) {
          verdicts.put(i, (byte) 1); // a half-written result must not leak through
        }
        return CompletableFuture.failedFuture(
            new AccelException("kernel launch failed", "CL_OUT_OF_RESOURCES (-5)", null));
      }
      LaunchTiming t = compute.ed25519VerifyBatch(batch, verdicts).join();
      return CompletableFuture.completedFuture(
          new LaunchTiming("faulty", "fake", t.items(), 1, t.bytesIn(), t.items(), 1, 2, 3, 6));
    }

    @Override
    public void close() {}
  }

  private static SignatureBatch batchOf(List<EdgeCases.Item> items) {
    SignatureBatch batch = new SignatureBatch(items.size());
    for (EdgeCases.Item item : items) {
      batch.add(item.publicKey(), item.signature(), item.message());
    }
    return batch;
  }

  private static void assertSingleModeVerdicts(SignatureBatch batch, boolean[] verdicts) {
    for (int i = 0; i < batch.size(); i++) {
      assertThat(verdicts[i]).as("item " + i).isEqualTo(batch.verifySingle(i));
    }
  }

  private static Router pinned(Backend device, int fromBatch) {
    BackendRegistry registry = new BackendRegistry().register(new CpuEd25519Backend());
    registry.register(device);
    Router router = new Router(registry, 1);
    router.table().pin(ED25519, device.name(), fromBatch);
    router.calibrate(ED25519); // measures both (the rates are kept for the logs; the pin decides)
    if (device instanceof FaultInjectingBackend faulty) {
      faulty.attempts.set(0);
    }
    return router;
  }

  @Test
  void smallBatchesStayOnTheCpuAndLargerOnesGoToTheDevice() {
    FaultInjectingBackend device = new FaultInjectingBackend(Integer.MAX_VALUE);
    Router router = pinned(device, 8);
    RoutedBatchVerifier verifier = new RoutedBatchVerifier(router, new CpuBatchVerifier());
    List<EdgeCases.Item> items = EdgeCases.generate(7);
    SignatureBatch small = batchOf(items.subList(0, 7));
    boolean[] verdicts = new boolean[items.size()];
    verifier.verify(small, verdicts);
    assertSingleModeVerdicts(small, verdicts);
    assertThat(device.attempts).hasValue(0);
    SignatureBatch large = batchOf(items);
    verifier.verify(large, verdicts);
    assertSingleModeVerdicts(large, verdicts);
    assertThat(device.attempts).hasValue(1);
    assertThat(router.stats(ED25519, "faulty").items()).isEqualTo(items.size());
    assertThat(router.stats(ED25519, "faulty").kernelNs()).isEqualTo(2);
    assertThat(router.stats(ED25519, CpuEd25519Backend.NAME).items()).isEqualTo(7);
  }

  @Test
  void aFailingDeviceLosesNoBatchAndLeavesTheRotationAfterThreeFailuresInARow() {
    FaultInjectingBackend device = new FaultInjectingBackend(1); // every launch fails
    Router router = pinned(device, 1);
    RoutedBatchVerifier verifier = new RoutedBatchVerifier(router, new CpuBatchVerifier());
    List<EdgeCases.Item> items = EdgeCases.generate(11);
    SignatureBatch batch = batchOf(items);
    boolean[] verdicts = new boolean[items.size()];
    for (int round = 0; round < 5; round++) {
      java.util.Arrays.fill(verdicts, true);
      int valid = verifier.verify(batch, verdicts);
      assertSingleModeVerdicts(batch, verdicts);
      int expected = 0;
      for (int i = 0; i < batch.size(); i++) {
        expected +=
            Ed25519.verify(
                    items.get(i).publicKey(), items.get(i).signature(), items.get(i).message())
                ? 1
                : 0;
      }
      assertThat(valid).isEqualTo(expected);
    }
    assertThat(device.attempts).hasValue(Router.DEFAULT_MAX_CONSECUTIVE_FAILURES);
    assertThat(router.outOfRotation()).containsExactly("faulty");
    assertThat(router.stats(ED25519, "faulty").errors()).isEqualTo(3);
    assertThat(router.stats(ED25519, "faulty").fallbacks()).isEqualTo(3);
    assertThat(router.stats(ED25519, "faulty").batches()).isZero();
    assertThat(router.stats(ED25519, CpuEd25519Backend.NAME).batches()).isEqualTo(5);
  }

  @Test
  void anOccasionalFailureIsCountedButKeepsTheDeviceInRotation() {
    FaultInjectingBackend device = new FaultInjectingBackend(2); // every second launch fails
    Router router = pinned(device, 1);
    RoutedBatchVerifier verifier = new RoutedBatchVerifier(router, new CpuBatchVerifier());
    SignatureBatch batch = batchOf(EdgeCases.generate(13));
    boolean[] verdicts = new boolean[batch.size()];
    for (int round = 0; round < 6; round++) {
      verifier.verify(batch, verdicts);
      assertSingleModeVerdicts(batch, verdicts);
    }
    assertThat(router.outOfRotation()).isEmpty();
    assertThat(router.stats(ED25519, "faulty").errors()).isEqualTo(3);
    assertThat(router.stats(ED25519, "faulty").batches()).isEqualTo(3);
    assertThat(router.stats(ED25519, CpuEd25519Backend.NAME).batches()).isEqualTo(3);
  }

  @Test
  void openClThroughTheRouterGivesTheCpuVerdictsOnTheEdgeCases() {
    OpenClBackend opencl = new OpenClBackend();
    ProbeResult probe = opencl.probe();
    assumeTrue(
        probe.available(), () -> "no OpenCL here: " + probe.reason().orElse("unknown reason"));
    Router router = pinned(opencl, 1);
    try (BackendRegistry registry = router.registry()) {
      RoutedBatchVerifier verifier = new RoutedBatchVerifier(router, new CpuBatchVerifier());
      List<EdgeCases.Item> items = EdgeCases.vectors();
      SignatureBatch batch = batchOf(items);
      boolean[] verdicts = new boolean[items.size()];
      verifier.verify(batch, verdicts);
      assertSingleModeVerdicts(batch, verdicts);
      assertThat(router.stats(ED25519, "opencl").launches()).isPositive();
      assertThat(router.stats(ED25519, "opencl").errors()).isZero();
    }
  }
}
