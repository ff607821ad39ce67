package dev.agentledger.sig.accel;

import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.sig.SignatureBatch;
import java.nio.ByteBuffer;

/**
 * A {@link SignatureBatch} copied into the accel-kernels device layout ({@link Ed25519Batch}: fixed
 * message stride, direct buffers) plus a verdict buffer, both grown to the largest batch seen and
 * reused, so steady-state copies allocate nothing. One per thread.
 */
final class DeviceBatchBuffer {
  private Ed25519Batch batch;
  private ByteBuffer verdicts = ByteBuffer.allocateDirect(1);

  Ed25519Batch batch() {
    return batch;
  }

  ByteBuffer verdicts() {
    return verdicts;
  }

  /** Copies items [0, n) of {@code items} in; the result is {@link #batch()}. */
  void fill(SignatureBatch items) {
    int n = items.size();
    int longest = 0;
    for (int i = 0; i < n; i++) {
      longest = Math.max(longest, items.messageLength(i));
    }
    if (batch == null || batch.capacity() < n || batch.maxMessageBytes() < longest) {
      int capacity = Math.max(n, batch == null ? 0 : batch.capacity());
      int stride = Math.max(longest, batch == null ? 0 : batch.maxMessageBytes());
      batch = new Ed25519Batch(capacity, stride);
    }
    if (verdicts.capacity() < n) {
      verdicts = ByteBuffer.allocateDirect(batch.capacity());
    }
    int stride = batch.maxMessageBytes();
    ByteBuffer keys = batch.publicKeys();
    ByteBuffer signatures = batch.signatures();
    ByteBuffer messages = batch.messages();
    ByteBuffer lengths = batch.lengths();
    for (int i = 0; i < n; i++) {
      keys.put(32 * i, items.publicKey(i), items.publicKeyOffset(i), 32);
      signatures.put(64 * i, items.signature(i), items.signatureOffset(i), 64);
      messages.put(stride * i, items.message(i), items.messageOffset(i), items.messageLength(i));
      lengths.putInt(4 * i, items.messageLength(i));
    }
    batch.count(n);
  }

  /** Copies the first n verdicts out; returns how many are valid. */
  int verdicts(int n, boolean[] out) {
    int valid = 0;
    for (int i = 0; i < n; i++) {
      boolean ok = verdicts.get(i) == 1;
      out[i] = ok;
      valid += ok ? 1 : 0;
    }
    return valid;
  }
}
