package dev.agentledger.sig.accel;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.Router;
import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link BatchVerifier} that asks an accel-kernels {@link Router} where each batch goes. A batch
 * the router keeps on the host (below the crossover, or every batch when no device is in rotation)
 * is verified here by the CPU batch verifier, straight from the caller's arrays, and counted as a
 * host launch; a larger one is copied into the device layout and submitted through the router,
 * which falls back to its host backend when the device fails (counting the error and the fallback,
 * and taking a device that keeps failing out of rotation). Should the router's own fallback fail
 * too, the batch is verified here on the CPU: no batch is lost, and every verdict is the
 * single-mode ZIP-215 one whoever served it.
 *
 * <p>One instance per thread (it owns its CPU verifier and device-layout buffers); the router is
 * shared.
 */
public final class RoutedBatchVerifier implements BatchVerifier {
  private static final Capability ED25519 = Capability.ED25519_VERIFY_BATCH;

  private final Router router;
  private final BatchVerifier cpu;
  private final String hostName;
  private final DeviceBatchBuffer device = new DeviceBatchBuffer();

  /** Over {@code router}, with {@code cpu} for the batches kept on the host. */
  public RoutedBatchVerifier(Router router, BatchVerifier cpu) {
    this.router = Objects.requireNonNull(router);
    this.cpu = Objects.requireNonNull(cpu);
    this.hostName =
        router.registry().hostFor(ED25519).map(Backend::name).orElse(CpuEd25519Backend.NAME);
  }

  /** A per-thread factory: each verifier gets its own CPU batch verifier. */
  public static Supplier<BatchVerifier> factory(Router router) {
    return () -> new RoutedBatchVerifier(router, new CpuBatchVerifier());
  }

  @Override
  public String name() {
    return "routed";
  }

  @Override
  public int verify(SignatureBatch batch, boolean[] verdicts) {
    int n = batch.size();
    if (n == 0) {
      return 0;
    }
    Backend target = router.choose(ED25519, n).orElse(null);
    if (target == null || target.isHost()) {
      return onHost(batch, verdicts);
    }
    try {
      device.fill(batch);
      router.ed25519VerifyBatch(device.batch(), device.verdicts()).join();
    } catch (RuntimeException e) { // the device and the router's host fallback both failed
      return onHost(batch, verdicts);
    }
    return device.verdicts(n, verdicts);
  }

  private int onHost(SignatureBatch batch, boolean[] verdicts) {
    long start = System.nanoTime();
    int valid = cpu.verify(batch, verdicts);
    long ns = System.nanoTime() - start;
    int n = batch.size();
    router.record(ED25519, new LaunchTiming(hostName, "host", n, 1, 0, 0, 0, ns, 0, ns));
    return valid;
  }
}
