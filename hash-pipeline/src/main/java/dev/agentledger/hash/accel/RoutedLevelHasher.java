package dev.agentledger.hash.accel;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.Router;
import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.hash.merkle.LevelHashers;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link LevelHasher} that asks an accel-kernels {@link Router} where each level goes: node
 * levels as {@code merkle-level} batches (items = child nodes), 32-byte leaves as {@code sha256}
 * batches of 33-byte messages {@code 0x00 || d}. A level the router keeps on the host is hashed
 * here by the CPU engine (the multi-buffer SHA-256, {@link LevelHashers#defaultHasher()}, which is
 * what the host backend {@value SimdHashBackend#NAME} runs) straight from the caller's arrays and
 * counted as a host launch; a level the router sends to a device is staged in direct buffers and
 * submitted through the router, which falls back to its host backend when the device fails. Should
 * that fail too, the level is hashed here on the CPU: every tree is completed, with the same bytes,
 * whoever hashed it.
 *
 * <p>Thread-safe: the router is shared and each thread keeps its own direct staging buffers, grown
 * to the largest level it sent to a device (nothing is allocated per level on the host path except
 * the timing record the router counts).
 */
public final class RoutedLevelHasher implements LevelHasher {
  private static final int H = 32;

  private final Router router;
  private final LevelHasher cpu;
  private final ThreadLocal<DirectStaging> staging = ThreadLocal.withInitial(DirectStaging::new);

  /** Over {@code router}, hashing the levels kept on the host with the default CPU engine. */
  public RoutedLevelHasher(Router router) {
    this(router, LevelHashers.defaultHasher());
  }

  public RoutedLevelHasher(Router router, LevelHasher cpu) {
    this.router = Objects.requireNonNull(router);
    this.cpu = Objects.requireNonNull(cpu);
  }

  @Override
  public void hashPairs(
      byte[] children, int childOffset, int pairCount, byte[] parents, int parentOffset) {
    Objects.checkFromIndexSize(childOffset, 2 * H * pairCount, children.length);
    Objects.checkFromIndexSize(parentOffset, H * pairCount, parents.length);
    if (pairCount == 0) {
      return;
    }
    int nodes = 2 * pairCount;
    Backend target = router.choose(Capability.MERKLE_LEVEL, nodes).orElse(null);
    if (target != null && !target.isHost()) {
      try {
        DirectStaging s = staging.get();
        ByteBuffer in = s.in(2 * H * pairCount);
        ByteBuffer out = s.out(H * pairCount);
        in.put(0, children, childOffset, 2 * H * pairCount);
        router.merkleLevel(in, nodes, out).join();
        out.get(0, parents, parentOffset, H * pairCount);
        return;
      } catch (RuntimeException e) { // the device and the router's host fallback both failed
        // hashed below on the CPU
      }
    }
    long start = System.nanoTime();
    cpu.hashPairs(children, childOffset, pairCount, parents, parentOffset);
    recordHost(Capability.MERKLE_LEVEL, target, nodes, start);
  }

  @Override
  public void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
    Objects.checkFromIndexSize(dataOffset, H * count, data.length);
    Objects.checkFromIndexSize(outOffset, H * count, out.length);
    if (count == 0) {
      return;
    }
    Backend target = router.choose(Capability.SHA256_BATCH, count).orElse(null);
    if (target != null && !target.isHost()) {
      try {
        DirectStaging s = staging.get();
        ByteBuffer in = s.in(33 * count);
        ByteBuffer digests = s.out(H * count);
        for (int i = 0; i < count; i++) {
          in.put(33 * i, (byte) 0x00);
          in.put(33 * i + 1, data, dataOffset + H * i, H);
        }
        router.sha256Batch(in, 33, count, digests).join();
        digests.get(0, out, outOffset, H * count);
        return;
      } catch (RuntimeException e) { // the device and the router's host fallback both failed
        // hashed below on the CPU
      }
    }
    long start = System.nanoTime();
    cpu.hashLeaves32(data, dataOffset, count, out, outOffset);
    recordHost(Capability.SHA256_BATCH, target, count, start);
  }

  private void recordHost(Capability capability, Backend target, int items, long start) {
    long ns = System.nanoTime() - start;
    String host =
        target != null && target.isHost()
            ? target.name()
            : router.registry().hostFor(capability).map(Backend::name).orElse(SimdHashBackend.NAME);
    router.record(capability, new LaunchTiming(host, "host", items, 1, 0, 0, 0, ns, 0, ns));
  }

  @Override
  public String name() {
    return "routed";
  }
}
