package dev.agentledger.accel;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The accelerator SPI (DESIGN.md section 4). A backend is one way to run the kernels: the JDK on
 * the host ({@code cpu}), OpenCL ({@code opencl}), CUDA ({@code cuda}); higher modules add their
 * own (sig-verify's Ed25519, hash-pipeline's multi-buffer SHA-256) through {@link
 * BackendRegistry#register(Backend)} or {@link java.util.ServiceLoader}.
 *
 * <p>Constructing a backend is cheap and never touches native code; the first {@link #probe()} or
 * submission loads the native runtime. Submissions are asynchronous: the returned future completes
 * with the launch timing once the outputs are written, or exceptionally with an {@link
 * AccelException} (never losing the caller's inputs, which stay untouched). Buffers are read and
 * written at absolute offsets from 0; their positions and limits are ignored. Do not change input
 * buffers or read outputs before the future completes.
 */
public interface Backend extends AutoCloseable {

  /** Short name: {@code cpu}, {@code opencl}, {@code cuda}, ... */
  String name();

  /**
   * Looks for the runtime and devices (once; later calls return the cached result). Never throws.
   */
  ProbeResult probe();

  /** True when this backend runs on the JVM's own threads (the router's fallback path). */
  boolean isHost();

  /** Capabilities this backend provides when available. */
  Set<Capability> capabilities();

  default boolean supports(Capability capability) {
    return probe().available() && capabilities().contains(capability);
  }

  /**
   * SHA-256 of {@code count} messages of {@code messageBytes} each, packed back to back in {@code
   * messages}; digests (32 bytes each) go to {@code digests}.
   */
  default CompletableFuture<LaunchTiming> sha256Batch(
      ByteBuffer messages, int messageBytes, int count, ByteBuffer digests) {
    return CompletableFuture.failedFuture(
        new UnsupportedCapabilityException(name(), Capability.SHA256_BATCH));
  }

  /**
   * One RFC 6962 level: {@code count} 32-byte nodes in, {@code (count + 1) / 2} nodes out; pairs
   * are hashed as SHA-256(0x01 || left || right) and an odd last node is carried up unchanged.
   */
  default CompletableFuture<LaunchTiming> merkleLevel(
      ByteBuffer nodes, int count, ByteBuffer parents) {
    return CompletableFuture.failedFuture(
        new UnsupportedCapabilityException(name(), Capability.MERKLE_LEVEL));
  }

  /**
   * The RFC 6962 tree head of {@code count >= 1} leaf hashes (each SHA-256(0x00 || leaf)); the
   * 32-byte root goes to {@code root}. (The empty tree's head is SHA-256 of nothing; callers handle
   * it.)
   */
  default CompletableFuture<LaunchTiming> merkleRoot(
      ByteBuffer leafHashes, int count, ByteBuffer root) {
    return CompletableFuture.failedFuture(
        new UnsupportedCapabilityException(name(), Capability.MERKLE_ROOT));
  }

  /**
   * ZIP-215 Ed25519 verification: one byte per signature in {@code verdicts}, 1 valid, 0 invalid.
   */
  default CompletableFuture<LaunchTiming> ed25519VerifyBatch(
      Ed25519Batch batch, ByteBuffer verdicts) {
    return CompletableFuture.failedFuture(
        new UnsupportedCapabilityException(name(), Capability.ED25519_VERIFY_BATCH));
  }

  /**
   * BN254 G1 MSM bucket sums (the accumulation phase of Pippenger's method; the zk module computes
   * digits, sorts and reduces). {@code points}: affine points, 64 bytes each (x then y, four
   * little-endian 64-bit limbs each, Montgomery form with R = 2^256, all zeros for infinity);
   * {@code entries}: {@code entryCount} little-endian u32 values {@code point << 1 | negate},
   * sorted by bucket; {@code starts}: {@code buckets + 1} u32 offsets into entries. Writes one
   * Jacobian point (96 bytes: X, Y, Z) per bucket to {@code sums}.
   */
  default CompletableFuture<LaunchTiming> msmBn254G1Buckets(
      ByteBuffer points,
      int pointCount,
      ByteBuffer entries,
      int entryCount,
      ByteBuffer starts,
      int buckets,
      ByteBuffer sums) {
    return CompletableFuture.failedFuture(
        new UnsupportedCapabilityException(name(), Capability.MSM_BN254_G1));
  }

  /**
   * A host buffer the device copies from and to at full speed: page-locked (pinned) memory where
   * the backend has it (OpenCL {@code CL_MEM_ALLOC_HOST_PTR} mapped once, CUDA {@code
   * cuMemAllocHost}), a direct buffer otherwise. Reuse it across submissions; it lives until the
   * backend is closed.
   */
  default ByteBuffer allocateHostBuffer(int bytes) {
    return ByteBuffer.allocateDirect(bytes);
  }

  /** Releases device buffers, queues and threads. */
  @Override
  void close();
}
