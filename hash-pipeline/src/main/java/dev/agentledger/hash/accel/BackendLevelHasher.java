package dev.agentledger.hash.accel;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.hash.merkle.LevelHashers;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link LevelHasher} over an accel-kernels {@link Backend}: the tree code ({@link
 * dev.agentledger.hash.merkle.MerkleTree#build(java.util.List, LevelHasher)}) hashes its levels on
 * OpenCL or CUDA without knowing it. Pairs go to {@code merkleLevel} (an even node count, so
 * nothing is carried on the device); 32-byte leaves go to {@code sha256Batch} as 33-byte messages
 * {@code 0x00 || d} when the backend has it. When a submission fails (device error, capability
 * missing) the range is hashed by the CPU {@code fallback} instead and {@link #fallbacks()} counts
 * it, so a tree is always completed with the same bytes.
 *
 * <p>Thread-safe (the parallel tree build calls it from several threads): each thread keeps its own
 * direct staging buffers, grown to the largest range seen.
 */
public final class BackendLevelHasher implements LevelHasher {
  private static final int H = 32;

  private final Backend backend;
  private final LevelHasher fallback;
  private final LongAdder fallbacks = new LongAdder();
  private final ThreadLocal<DirectStaging> staging = ThreadLocal.withInitial(DirectStaging::new);

  /** Over {@code backend}, falling back to the default CPU hasher. */
  public BackendLevelHasher(Backend backend) {
    this(backend, LevelHashers.defaultHasher());
  }

  public BackendLevelHasher(Backend backend, LevelHasher fallback) {
    this.backend = Objects.requireNonNull(backend);
    this.fallback = Objects.requireNonNull(fallback);
  }

  @Override
  public void hashPairs(
      byte[] children, int childOffset, int pairCount, byte[] parents, int parentOffset) {
    Objects.checkFromIndexSize(childOffset, 2 * H * pairCount, children.length);
    Objects.checkFromIndexSize(parentOffset, H * pairCount, parents.length);
    if (pairCount == 0) {
      return;
    }
    try {
      DirectStaging s = staging.get();
      ByteBuffer in = s.in(2 * H * pairCount);
      ByteBuffer out = s.out(H * pairCount);
      in.put(0, children, childOffset, 2 * H * pairCount);
      backend.merkleLevel(in, 2 * pairCount, out).join();
      out.get(0, parents, parentOffset, H * pairCount);
    } catch (RuntimeException e) { // AccelException or the CompletionException wrapping it
      fallbacks.increment();
      fallback.hashPairs(children, childOffset, pairCount, parents, parentOffset);
    }
  }

  @Override
  public void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
    Objects.checkFromIndexSize(dataOffset, H * count, data.length);
    Objects.checkFromIndexSize(outOffset, H * count, out.length);
    if (count == 0) {
      return;
    }
    if (!backend.capabilities().contains(Capability.SHA256_BATCH)) {
      fallback.hashLeaves32(data, dataOffset, count, out, outOffset);
      return;
    }
    try {
      DirectStaging s = staging.get();
      ByteBuffer in = s.in(33 * count);
      ByteBuffer digests = s.out(H * count);
      for (int i = 0; i < count; i++) {
        in.put(33 * i, (byte) 0x00);
        in.put(33 * i + 1, data, dataOffset + H * i, H);
      }
      backend.sha256Batch(in, 33, count, digests).join();
      digests.get(0, out, outOffset, H * count);
    } catch (RuntimeException e) {
      fallbacks.increment();
      fallback.hashLeaves32(data, dataOffset, count, out, outOffset);
    }
  }

  /** Ranges hashed by the CPU fallback because the backend failed. */
  public long fallbacks() {
    return fallbacks.sum();
  }

  @Override
  public String name() {
    return "accel-" + backend.name();
  }
}
