package dev.agentledger.sig.accel;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.nio.ByteBuffer;
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
  private Ed25519Batch deviceBatch;
  private ByteBuffer verdictBuffer = ByteBuffer.allocateDirect(1);

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
      fill(batch);
      backend.ed25519VerifyBatch(deviceBatch, verdictBuffer).join();
    } catch (RuntimeException e) { // AccelException, CompletionException wrapping it, bad input
      fallbacks.increment();
      return fallback.verify(batch, verdicts);
    }
    int valid = 0;
    for (int i = 0; i < n; i++) {
      boolean ok = verdictBuffer.get(i) == 1;
      verdicts[i] = ok;
      valid += ok ? 1 : 0;
    }
    return valid;
  }

  /** Copies the batch into the device layout (fixed message stride), growing it when needed. */
  private void fill(SignatureBatch batch) {
    int n = batch.size();
    int longest = 0;
    for (int i = 0; i < n; i++) {
      longest = Math.max(longest, batch.messageLength(i));
    }
    if (deviceBatch == null
        || deviceBatch.capacity() < n
        || deviceBatch.maxMessageBytes() < longest) {
      int capacity = Math.max(n, deviceBatch == null ? 0 : deviceBatch.capacity());
      int stride = Math.max(longest, deviceBatch == null ? 0 : deviceBatch.maxMessageBytes());
      deviceBatch = new Ed25519Batch(capacity, stride);
    }
    if (verdictBuffer.capacity() < n) {
      verdictBuffer = ByteBuffer.allocateDirect(deviceBatch.capacity());
    }
    int stride = deviceBatch.maxMessageBytes();
    ByteBuffer keys = deviceBatch.publicKeys();
    ByteBuffer signatures = deviceBatch.signatures();
    ByteBuffer messages = deviceBatch.messages();
    ByteBuffer lengths = deviceBatch.lengths();
    for (int i = 0; i < n; i++) {
      keys.put(32 * i, batch.publicKey(i), batch.publicKeyOffset(i), 32);
      signatures.put(64 * i, batch.signature(i), batch.signatureOffset(i), 64);
      messages.put(stride * i, batch.message(i), batch.messageOffset(i), batch.messageLength(i));
      lengths.putInt(4 * i, batch.messageLength(i));
    }
    deviceBatch.count(n);
  }
}
