package dev.agentledger.sig.accel;

import dev.agentledger.accel.Backend;
import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A {@link BatchVerifier} that sends batches to an accel-kernels {@link Backend} (OpenCL, CUDA)
 * and, when the submission fails (device error, unavailable runtime, capability missing), verifies
 * the same batch on the CPU instead: no item is lost and the verdicts are the single-mode ones
 * either way. For {@link dev.agentledger.sig.service.VerifierService}: add {@link #factory(Backend,
 * LongAdder)} as backend 1 and route large batches there with {@link
 * dev.agentledger.sig.service.BatchRouter#bySize(int)}.
 *
 * <p>One instance per thread (it owns its device-layout batch, grown to the largest batch seen);
 * the backend itself may be shared.
 */
public final class AccelBatchVerifier implements BatchVerifier {
  private final Backend backend;
  private final BatchVerifier fallback;
  private final LongAdder fallbacks;
  private final DeviceBatchBuffer device = new DeviceBatchBuffer();

  /**
   * Over {@code backend}, falling back to {@code fallback}; {@code fallbacks} counts fallen-back
   * batches.
   */
  public AccelBatchVerifier(Backend backend, BatchVerifier fallback, LongAdder fallbacks) {
    this.backend = Objects.requireNonNull(backend);
    this.fallback = Objects.requireNonNull(fallback);
    this.fallbacks = Objects.requireNonNull(fallbacks);
  }

  /** A per-thread factory for the service builder: CPU fallback, shared fallback counter. */
  public static Supplier<BatchVerifier> factory(Backend backend, LongAdder fallbacks) {
    return () -> new AccelBatchVerifier(backend, new CpuBatchVerifier(), fallbacks);
  }

  @Override
  public String name() {
    return backend.name();
  }

  @Override
  public int verify(SignatureBatch batch, boolean[] verdicts) {
    int n = batch.size();
    if (n == 0) {
      return 0;
    }
    try {
      device.fill(batch);
      backend.ed25519VerifyBatch(device.batch(), device.verdicts()).join();
    } catch (RuntimeException e) { // AccelException, CompletionException wrapping it, bad input
      fallbacks.increment();
      return fallback.verify(batch, verdicts);
    }
    return device.verdicts(n, verdicts);
  }
}
