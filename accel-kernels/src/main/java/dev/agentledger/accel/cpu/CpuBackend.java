package dev.agentledger.accel.cpu;

import dev.agentledger.accel.Capability;
import dev.agentledger.accel.HostBackend;
import dev.agentledger.accel.LaunchTiming;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The always-available host path: SHA-256 and RFC 6962 levels/roots with the JDK's {@link
 * MessageDigest} (intrinsified SHA-NI/ARMv8 code where the CPU has it), on the caller's thread.
 * Ed25519 is not here (accel-kernels sits below sig-verify); sig-verify registers its own host
 * backend for it. The returned futures are already complete.
 */
public final class CpuBackend extends HostBackend {
  public static final String NAME = "cpu";

  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(Capability.SHA256_BATCH, Capability.MERKLE_LEVEL, Capability.MERKLE_ROOT);

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  public CpuBackend() {
    super(NAME, "JDK MessageDigest", CAPABILITIES);
  }

  @Override
  public CompletableFuture<LaunchTiming> sha256Batch(
      ByteBuffer messages, int messageBytes, int count, ByteBuffer digests) {
    long start = System.nanoTime();
    try {
      Scratch s = scratch.get();
      MessageDigest md = s.md;
      ByteBuffer in = messages.duplicate();
      for (int i = 0; i < count; i++) {
        in.limit(i * messageBytes + messageBytes).position(i * messageBytes);
        md.update(in);
        md.digest(s.out, 0, 32);
        digests.put(32 * i, s.out, 0, 32);
      }
    } catch (DigestException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return done(count, 1, (long) count * messageBytes, 32L * count, start);
  }

  @Override
  public CompletableFuture<LaunchTiming> merkleLevel(
      ByteBuffer nodes, int count, ByteBuffer parents) {
    long start = System.nanoTime();
    try {
      level(scratch.get(), nodes, count, parents);
    } catch (DigestException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return done(count, 1, 32L * count, 32L * ((count + 1) / 2), start);
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
      ByteBuffer work = s.work(32 * ((count + 1) / 2));
      ByteBuffer src = leafHashes;
      int n = count;
      while (n > 1) {
        level(s, src, n, work);
        src = work;
        n = (n + 1) / 2;
        levels++;
      }
      byte[] head = new byte[32];
      src.get(0, head);
      root.put(0, head);
    } catch (DigestException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return done(count, Math.max(1, levels), 32L * count, 32, start);
  }

  /** In place is allowed (parents == nodes): parent i is written after nodes 2i, 2i+1 are read. */
  private static void level(Scratch s, ByteBuffer nodes, int count, ByteBuffer parents)
      throws DigestException {
    MessageDigest md = s.md;
    byte[] pair = s.pair;
    pair[0] = 0x01;
    for (int i = 0; 2 * i < count; i++) {
      if (2 * i + 1 < count) {
        nodes.get(64 * i, pair, 1, 64);
        md.update(pair, 0, 65);
        md.digest(s.out, 0, 32);
        parents.put(32 * i, s.out, 0, 32);
      } else {
        nodes.get(64 * i, s.out, 0, 32);
        parents.put(32 * i, s.out, 0, 32);
      }
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

  private static final class Scratch {
    final MessageDigest md;
    final byte[] pair = new byte[65];
    final byte[] out = new byte[32];
    ByteBuffer work = ByteBuffer.allocate(0);

    Scratch() {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK always provides SHA-256", e);
      }
    }

    ByteBuffer work(int bytes) {
      if (work.capacity() < bytes) {
        work = ByteBuffer.allocate(Integer.highestOneBit(Math.max(1, bytes - 1)) << 1);
      }
      return work;
    }
  }
}
