package dev.agentledger.node.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap this JVM used right after its last garbage collection (the sum of the heap pools' usage
 * after it), from the collectors' notifications: the live set plus the garbage that collection
 * left, a steadier reading than the heap in use at a random moment. 0 until the first collection.
 * {@link #close} stops listening.
 */
public final class HeapAfterGc implements AutoCloseable {
  private final Set<String> heapPools = new HashSet<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;
  private final long maxBytes = Runtime.getRuntime().maxMemory();
  private volatile long usedAfterGcBytes;
  private volatile long collections;

  /** Listens to every collector of this JVM. */
  public HeapAfterGc() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    usedAfterGcBytes = used;
    collections++;
  }

  /** Heap used after the last collection, in bytes (0 before the first). */
  public long usedAfterGcBytes() {
    return usedAfterGcBytes;
  }

  /** Collections seen since this object was made. */
  public long collections() {
    return collections;
  }

  /** The maximum heap ({@code -Xmx}), in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException gone) {
        // removed already
      }
    }
    emitters.clear();
  }
}
