package dev.agentledger.sig.accel;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.Router;
import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * <p>With an {@link Observer} (automatic backend choice), each batch's cost is reported: thread-CPU
 * time for a batch verified here (what a loaded machine does not inflate), the backend's wall time
 * and the process's CPU time for a device batch; and the observer may have a batch the router sends
 * to the device served here instead, as a live sample of the CPU's cost.
 *
 * <p>One instance per thread (it owns its CPU verifier and device-layout buffers); the router and
 * the observer are shared.
 */
public final class RoutedBatchVerifier implements BatchVerifier {
  private static final Capability ED25519 = Capability.ED25519_VERIFY_BATCH;

  private final Router router;
  private final BatchVerifier cpu;
  private final String hostName;
  private final DeviceBatchBuffer device = new DeviceBatchBuffer();
  private final Observer observer;
  private final ThreadMXBean threads;
  private final com.sun.management.OperatingSystemMXBean process;

  /**
   * What automatic backend choice needs from the verify stage (shared by every verifier of a node;
   * thread-safe, allocation-free).
   */
  public interface Observer {
    /** True to serve this batch of {@code items}, which the router sends to a device, here. */
    boolean sampleOnHost(int items);

    /** A batch of {@code items} verified here in {@code threadCpuNs} of this thread's CPU time. */
    void host(int items, long threadCpuNs);

    /**
     * A batch of {@code items} served by the device: {@code wallNs} as the backend timed it, {@code
     * processCpuNs} of this process's CPU time meanwhile (an OpenCL CPU device's threads count).
     */
    void device(int items, long wallNs, long processCpuNs);
  }

  /** Over {@code router}, with {@code cpu} for the batches kept on the host. */
  public RoutedBatchVerifier(Router router, BatchVerifier cpu) {
    this(router, cpu, null);
  }

  /**
   * As {@link #RoutedBatchVerifier(Router, BatchVerifier)}, reporting costs to {@code observer}.
   */
  public RoutedBatchVerifier(Router router, BatchVerifier cpu, Observer observer) {
    this.router = Objects.requireNonNull(router);
    this.cpu = Objects.requireNonNull(cpu);
    this.hostName =
        router.registry().hostFor(ED25519).map(Backend::name).orElse(CpuEd25519Backend.NAME);
    this.observer = observer;
    this.threads = observer == null ? null : ManagementFactory.getThreadMXBean();
    this.process =
        observer == null
            ? null
            : ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
  }

  /** A per-thread factory: each verifier gets its own CPU batch verifier. */
  public static Supplier<BatchVerifier> factory(Router router) {
    return factory(router, null);
  }

  /** As {@link #factory(Router)}, every verifier reporting to {@code observer} (null: none). */
  public static Supplier<BatchVerifier> factory(Router router, Observer observer) {
    return () -> new RoutedBatchVerifier(router, new CpuBatchVerifier(), observer);
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
    if (target == null || target.isHost() || (observer != null && observer.sampleOnHost(n))) {
      return onHost(batch, verdicts);
    }
    try {
      device.fill(batch);
      long cpuBefore = observer == null ? 0 : process.getProcessCpuTime();
      LaunchTiming timing = router.ed25519VerifyBatch(device.batch(), device.verdicts()).join();
      if (observer != null && !timing.backend().equals(hostName)) {
        observer.device(n, timing.wallNs(), process.getProcessCpuTime() - cpuBefore);
      }
    } catch (RuntimeException e) { // the device and the router's host fallback both failed
      return onHost(batch, verdicts);
    }
    return device.verdicts(n, verdicts);
  }

  private int onHost(SignatureBatch batch, boolean[] verdicts) {
    long cpuStart = observer == null ? 0 : threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int valid = cpu.verify(batch, verdicts);
    long ns = System.nanoTime() - start;
    int n = batch.size();
    if (observer != null) {
      observer.host(n, threads.getCurrentThreadCpuTime() - cpuStart);
    }
    router.record(ED25519, new LaunchTiming(hostName, "host", n, 1, 0, 0, 0, ns, 0, ns));
    return valid;
  }
}
