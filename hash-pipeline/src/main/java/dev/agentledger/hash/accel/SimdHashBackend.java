package dev.agentledger.hash.accel;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.HostBackend;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.hash.Sha256Engine;
import dev.agentledger.hash.Sha256Engines;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * hash-pipeline's multi-buffer SHA-256 ({@link Sha256Engines#adaptive()}: one message per vector
 * lane from the measured batch size up, the JDK intrinsic below) as an accel-kernels host {@link
 * Backend} named {@value #NAME}: fixed-size {@code sha256Batch}, RFC 6962 {@code merkleLevel} and
 * {@code merkleRoot}. Listed in {@code META-INF/services/dev.agentledger.accel.Backend}, so {@code
 * kernels bench --backend cpu-simd} measures it and the router can use it as its host path.
 *
 * <p>Runs on the caller's thread (the futures are complete). The engines work on byte arrays, so
 * each thread copies the buffers into heap scratch that grows to the largest batch seen.
 */
public final class SimdHashBackend extends HostBackend {
  public static final String NAME = "cpu-simd";

  private static final int H = 32;
  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(Capability.SHA256_BATCH, Capability.MERKLE_LEVEL, Capability.MERKLE_ROOT);

  private final Sha256Engine engine;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** Over the adaptive engine (the ServiceLoader constructor). */
  public SimdHashBackend() {
    this(Sha256Engines.adaptive());
  }

  public SimdHashBackend(Sha256Engine engine) {
    super(NAME, "hash-pipeline " + engine.name(), CAPABILITIES);
    this.engine = engine;
  }

  @Override
  public CompletableFuture<LaunchTiming> sha256Batch(
      ByteBuffer messages, int messageBytes, int count, ByteBuffer digests) {
    long start = System.nanoTime();
    try {
      checkCount(count);
      if (messageBytes < 0) {
        throw new IllegalArgumentException("messageBytes must be >= 0");
      }
      Scratch s = scratch.get();
      int inBytes = Math.multiplyExact(messageBytes, count);
      byte[] in = s.a(inBytes);
      byte[] out = s.b(H * count);
      messages.get(0, in, 0, inBytes);
      engine.digestFixed(in, 0, messageBytes, count, out, 0);
      digests.put(0, out, 0, H * count);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return done(count, 1, (long) messageBytes * count, (long) H * count, start);
  }

  @Override
  public CompletableFuture<LaunchTiming> merkleLevel(
      ByteBuffer nodes, int count, ByteBuffer parents) {
    long start = System.nanoTime();
    try {
      checkCount(count);
      Scratch s = scratch.get();
      byte[] in = s.a(H * count);
      byte[] out = s.b(H * ((count + 1) / 2));
      nodes.get(0, in, 0, H * count);
      int next = level(in, count, out);
      parents.put(0, out, 0, H * next);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return done(count, 1, (long) H * count, (long) H * ((count + 1) / 2), start);
  }

  @Override
  public CompletableFuture<LaunchTiming> merkleRoot(
      ByteBuffer leafHashes, int count, ByteBuffer root) {
    long start = System.nanoTime();
    int levels = 0;
    try {
      if (count < 1) {
        throw new IllegalArgumentException("merkleRoot needs at least one leaf hash");
      }
      Scratch s = scratch.get();
      byte[] a = s.a(H * count);
      byte[] b = s.b(H * ((count + 1) / 2));
      leafHashes.get(0, a, 0, H * count);
      int n = count;
      while (n > 1) {
        n = level(a, n, b);
        byte[] t = a;
        a = b;
        b = t;
        levels++;
      }
      root.put(0, a, 0, H);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return done(count, Math.max(1, levels), (long) H * count, H, start);
  }

  /**
   * Hashes one level from {@code in} to {@code out} (carrying an odd last node); returns its size.
   */
  private int level(byte[] in, int count, byte[] out) {
    int pairs = count >>> 1;
    engine.hashNodes(in, 0, pairs, out, 0);
    if ((count & 1) == 1) {
      System.arraycopy(in, (count - 1) * H, out, pairs * H, H);
    }
    return (count + 1) >>> 1;
  }

  private static void checkCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0: " + count);
    }
  }

  private CompletableFuture<LaunchTiming> done(
      long items, int launches, long in, long out, long start) {
    long ns = System.nanoTime() - start;
    String device = probe().devices().get(0).name();
    return CompletableFuture.completedFuture(
        new LaunchTiming(NAME, device, items, launches, in, out, 0, ns, 0, ns));
  }

  @Override
  public void close() {}

  /** Two growable heap arrays per thread (ping-pong levels; in and out of a batch). */
  private static final class Scratch {
    private byte[] a = new byte[0];
    private byte[] b = new byte[0];

    byte[] a(int bytes) {
      if (a.length < bytes) {
        a = new byte[Math.max(bytes, 2 * a.length)];
      }
      return a;
    }

    byte[] b(int bytes) {
      if (b.length < bytes) {
        b = new byte[Math.max(bytes, 2 * b.length)];
      }
      return b;
    }
  }
}
