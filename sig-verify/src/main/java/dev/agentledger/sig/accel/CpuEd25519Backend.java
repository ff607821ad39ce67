package dev.agentledger.sig.accel;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.HostBackend;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * sig-verify's CPU batch verifier as an accel-kernels host {@link Backend} ({@value #NAME}): the
 * registry resolves {@code byName("cpu", ED25519_VERIFY_BATCH)} to it, the {@link
 * dev.agentledger.accel.Router} falls back to it when a device fails, and {@code kernels bench
 * --kernel ed25519} uses it as the host anchor. Listed in {@code
 * META-INF/services/dev.agentledger.accel.Backend}.
 *
 * <p>Runs on the caller's thread (the returned futures are complete). Each thread owns a {@link
 * CpuBatchVerifier} and heap copies of the batch's buffers that grow to the largest batch seen, so
 * steady-state submissions allocate only the completed future.
 */
public final class CpuEd25519Backend extends HostBackend {
  public static final String NAME = "cpu-ed25519";

  private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.ED25519_VERIFY_BATCH);

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  public CpuEd25519Backend() {
    super(NAME, "sig-verify batch Ed25519", CAPABILITIES);
  }

  @Override
  public CompletableFuture<LaunchTiming> ed25519VerifyBatch(
      Ed25519Batch batch, ByteBuffer verdicts) {
    long start = System.nanoTime();
    int n = batch.count();
    try {
      if (n > 0) {
        scratch.get().verify(batch, verdicts);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long ns = System.nanoTime() - start;
    long in = batch.uploadBytes();
    return CompletableFuture.completedFuture(
        new LaunchTiming(NAME, probe().devices().get(0).name(), n, 1, in, n, 0, ns, 0, ns));
  }

  @Override
  public void close() {}

  /** One thread's verifier and heap copies of a batch (the verifier reads byte arrays). */
  private static final class Scratch {
    private final CpuBatchVerifier verifier = new CpuBatchVerifier();
    private SignatureBatch items = new SignatureBatch(1);
    private boolean[] out = new boolean[1];
    private byte[] keys = new byte[0];
    private byte[] signatures = new byte[0];
    private byte[] messages = new byte[0];

    void verify(Ed25519Batch batch, ByteBuffer verdicts) {
      int n = batch.count();
      int stride = batch.maxMessageBytes();
      if (items.capacity() < n) {
        items = new SignatureBatch(n);
        out = new boolean[n];
      }
      keys = atLeast(keys, 32 * n);
      signatures = atLeast(signatures, 64 * n);
      messages = atLeast(messages, stride * n);
      batch.publicKeys().get(0, keys, 0, 32 * n);
      batch.signatures().get(0, signatures, 0, 64 * n);
      batch.messages().get(0, messages, 0, stride * n);
      ByteBuffer lengths = batch.lengths();
      items.clear();
      for (int i = 0; i < n; i++) {
        int length = lengths.getInt(4 * i);
        if (length < 0 || length > stride) {
          throw new IllegalArgumentException(
              "message length " + length + " of item " + i + " outside 0.." + stride);
        }
        items.add(keys, 32 * i, signatures, 64 * i, messages, stride * i, length);
      }
      verifier.verify(items, out);
      items.clear();
      for (int i = 0; i < n; i++) {
        verdicts.put(i, out[i] ? (byte) 1 : (byte) 0);
      }
    }

    private static byte[] atLeast(byte[] a, int bytes) {
      return a.length >= bytes ? a : new byte[Math.max(bytes, 2 * a.length)];
    }
  }
}
