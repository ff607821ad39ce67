package dev.agentledger.hash;

import dev.agentledger.hash.simd.MultiBufferSha256;
import dev.agentledger.hash.simd.WarmSha256;

/**
 * The SHA-256 engines and the choice between them. The adaptive engine sends a batch to the
 * multi-buffer engine when it has at least {@link #simdMinBatch()} messages: the smallest batch for
 * which a partly filled vector beats hashing the messages one by one. It is derived from the speeds
 * of both engines measured by {@link #calibrate()} (the node calls it at start, {@code agentledger
 * speed} prints it); before that a default measured on the development machine applies.
 */
public final class Sha256Engines {
  private static final Sha256Engine SINGLE = new SingleEngine();
  private static final Sha256Engine SIMD = new SimdEngine();

  private Sha256Engines() {}

  /** The JDK intrinsic (SHA-NI where present), one message at a time. */
  public static Sha256Engine single() {
    return SINGLE;
  }

  /** The multi-buffer Vector API engine, {@link MultiBufferSha256#LANES} messages at once. */
  public static Sha256Engine simd() {
    return SIMD;
  }

  /** Chooses per batch: multi-buffer from {@link #simdMinBatch()} messages, single-stream below. */
  public static Sha256Engine adaptive() {
    return Adaptive.INSTANCE;
  }

  /** The batch size from which the adaptive engine uses the multi-buffer engine. */
  public static int simdMinBatch() {
    return Adaptive.INSTANCE.minBatch;
  }

  /**
   * Measures both engines (at most about 300 ms; call it once the JIT has compiled the vector code,
   * as {@code agentledger speed} does) and sets {@link #simdMinBatch()} from the result. Returns
   * the new value.
   */
  public static int calibrate() {
    int min = measureMinBatch();
    Adaptive.INSTANCE.minBatch = min;
    return min;
  }

  private static final class SingleEngine implements Sha256Engine {
    @Override
    public String name() {
      return "project-single";
    }

    @Override
    public void digestFixed(
        byte[] in, int inOffset, int messageBytes, int count, byte[] out, int outOffset) {
      Sha256 sha = Sha256.perThread();
      for (int i = 0; i < count; i++) {
        sha.update(in, inOffset + i * messageBytes, messageBytes)
            .digest(out, outOffset + i * Sha256.DIGEST_BYTES);
      }
    }

    @Override
    public void hashNodes(
        byte[] children, int childOffset, int pairCount, byte[] out, int outOffset) {
      Sha256 sha = Sha256.perThread();
      for (int i = 0; i < pairCount; i++) {
        sha.update((byte) 1)
            .update(children, childOffset + 64 * i, 64)
            .digest(out, outOffset + i * Sha256.DIGEST_BYTES);
      }
    }

    @Override
    public void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
      Sha256 sha = Sha256.perThread();
      for (int i = 0; i < count; i++) {
        sha.update((byte) 0)
            .update(data, dataOffset + 32 * i, 32)
            .digest(out, outOffset + i * Sha256.DIGEST_BYTES);
      }
    }
  }

  private static final class SimdEngine implements Sha256Engine {
    @Override
    public String name() {
      return "project-simd";
    }

    @Override
    public void digestFixed(
        byte[] in, int inOffset, int messageBytes, int count, byte[] out, int outOffset) {
      MultiBufferSha256.digestFixed(in, inOffset, messageBytes, count, out, outOffset);
    }

    @Override
    public void hashNodes(
        byte[] children, int childOffset, int pairCount, byte[] out, int outOffset) {
      MultiBufferSha256.hashNodes(children, childOffset, pairCount, out, outOffset);
    }

    @Override
    public void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
      MultiBufferSha256.hashLeaves32(data, dataOffset, count, out, outOffset);
    }
  }

  /**
   * Splits each batch: whole vectors (and a tail worth a vector) to SIMD, a small tail single. The
   * SIMD part goes through {@link WarmSha256}: the JDK's SHA-256 while the engine is cold.
   */
  private static final class Adaptive implements Sha256Engine {
    /**
     * Until {@link #calibrate()} runs: a quarter of the lanes, from {@code agentledger speed
     * sha256} on the development machine (AVX-512, 16 lanes: one node vector costs about as much as
     * 4 to 5 single-stream nodes), or the system property {@code agentledger.sha256.simdMinBatch}.
     */
    static final Adaptive INSTANCE =
        new Adaptive(
            Integer.getInteger(
                "agentledger.sha256.simdMinBatch", Math.max(1, MultiBufferSha256.LANES / 4)));

    volatile int minBatch;

    Adaptive(int minBatch) {
      this.minBatch = minBatch;
    }

    @Override
    public String name() {
      return "adaptive";
    }

    /** Messages of a batch of {@code count} that go to the SIMD engine (a prefix). */
    private int simdPart(int count) {
      int lanes = MultiBufferSha256.LANES;
      int whole = count / lanes * lanes;
      return count - whole >= minBatch ? count : whole;
    }

    @Override
    public void digestFixed(
        byte[] in, int inOffset, int messageBytes, int count, byte[] out, int outOffset) {
      int simd = simdPart(count);
      WarmSha256.digestFixed(in, inOffset, messageBytes, simd, out, outOffset);
      SINGLE.digestFixed(
          in,
          inOffset + simd * messageBytes,
          messageBytes,
          count - simd,
          out,
          outOffset + 32 * simd);
    }

    @Override
    public void hashNodes(
        byte[] children, int childOffset, int pairCount, byte[] out, int outOffset) {
      int simd = simdPart(pairCount);
      WarmSha256.hashPrefixed64(0x01, children, childOffset, simd, out, outOffset);
      SINGLE.hashNodes(
          children, childOffset + 64 * simd, pairCount - simd, out, outOffset + 32 * simd);
    }

    @Override
    public void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
      int simd = simdPart(count);
      WarmSha256.hashLeaves32(data, dataOffset, simd, out, outOffset);
      SINGLE.hashLeaves32(data, dataOffset + 32 * simd, count - simd, out, outOffset + 32 * simd);
    }
  }

  /**
   * Times both engines on RFC 6962 nodes (a few milliseconds, after a short warm-up) and returns
   * the smallest batch for which one partly filled vector is cheaper than hashing one by one:
   * {@code ceil(simdNsPerVector / singleNsPerHash)}.
   */
  private static int measureMinBatch() {
    int lanes = MultiBufferSha256.LANES;
    byte[] children = new byte[64 * lanes];
    byte[] out = new byte[32 * lanes];
    new java.util.Random(1).nextBytes(children);
    long simdNs = Long.MAX_VALUE;
    long singleNs = Long.MAX_VALUE;
    long until = System.nanoTime() + 300_000_000L;
    for (int round = 0; round < 2000 && (round < 20 || System.nanoTime() < until); round++) {
      long t0 = System.nanoTime();
      for (int k = 0; k < 8; k++) {
        SIMD.hashNodes(children, 0, lanes, out, 0);
      }
      long t1 = System.nanoTime();
      for (int k = 0; k < 8; k++) {
        SINGLE.hashNodes(children, 0, lanes, out, 0);
      }
      long t2 = System.nanoTime();
      simdNs = Math.min(simdNs, t1 - t0);
      singleNs = Math.min(singleNs, t2 - t1);
    }
    // One vector costs simdNs/8 whatever its fill; one message single-stream costs
    // singleNs/(8*lanes).
    double perVector = simdNs / 8.0;
    double perMessage = singleNs / (8.0 * lanes);
    int min = (int) Math.ceil(perVector / Math.max(perMessage, 1e-3));
    return Math.max(1, Math.min(lanes, min));
  }
}
