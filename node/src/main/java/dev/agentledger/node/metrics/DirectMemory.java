package dev.agentledger.node.metrics;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * This JVM's direct memory: NIO direct buffers and the native pages of FFM arenas both count
 * against {@code -XX:MaxDirectMemorySize}, and past it an allocation throws {@link
 * OutOfMemoryError}. Netty's buffers live there, and, off Linux, the execution state's live keys,
 * values and tree nodes (on Linux they are anonymous mappings outside it, bounded by the state's
 * page cache), so the backlog gate reads this beside the heap. Reading it allocates nothing.
 */
public final class DirectMemory {
  private final BufferPoolMXBean direct;
  private final long maxBytes;

  /**
   * Reads this JVM's limit once ({@code MaxDirectMemorySize}, or the heap's maximum when unset).
   */
  public DirectMemory() {
    BufferPoolMXBean found = null;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if ("direct".equals(pool.getName())) {
        found = pool;
      }
    }
    this.direct = found;
    this.maxBytes = limit(Runtime.getRuntime().maxMemory());
  }

  static long limit(long heapMaxBytes) {
    try {
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      long configured = Long.parseLong(vm.getVMOption("MaxDirectMemorySize").getValue());
      return configured > 0 ? configured : heapMaxBytes;
    } catch (RuntimeException e) {
      return heapMaxBytes;
    }
  }

  /** Direct memory in use, in bytes (0 where the JVM does not report it). */
  public long usedBytes() {
    return direct == null ? 0 : Math.max(0, direct.getMemoryUsed());
  }

  /** The direct-memory limit, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * {@link #usedBytes} as the same share of {@code heapMaxBytes} as it is of {@link #maxBytes}: a
   * reading a heap-based limit can compare, so that direct memory near its cap closes the same gate
   * a full heap does.
   */
  public long asShareOf(long heapMaxBytes) {
    return scaled(usedBytes(), maxBytes, heapMaxBytes);
  }

  static long scaled(long used, long max, long heapMaxBytes) {
    if (max <= 0 || used <= 0) {
      return 0;
    }
    return (long) ((double) used / max * heapMaxBytes);
  }
}
