package dev.agentledger.accel;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Routes each batch to the backend that measured fastest for its capability and size, keeps small
 * batches on the host, and falls back to the host backend when a device submission fails (the same
 * inputs are resubmitted: device backends never modify them, so no batch is lost). Calibration is
 * short (a few sizes, best of two runs each), runs lazily the first time a capability is routed,
 * and is cached for the life of the router. Metrics count batches and items per (capability,
 * backend) and fallbacks per (capability, failed backend); every result's {@link
 * LaunchTiming#backend()} names who served it.
 */
public final class Router {
  /** Batch sizes calibrated per capability (Ed25519 is ~1,000x more work per item). */
  private static final int[] HASH_SIZES = {1 << 10, 1 << 14, 1 << 17};

  private static final int[] SIGNATURE_SIZES = {1 << 6, 1 << 9};

  private final BackendRegistry registry;
  private final RoutingTable table;
  private final Map<String, LongAdder> metrics = new ConcurrentHashMap<>();

  public Router(BackendRegistry registry, int minDeviceBatch) {
    this.registry = registry;
    this.table = new RoutingTable(minDeviceBatch);
  }

  /** A router over the discovered backends that keeps batches under 1,024 items on the host. */
  public static Router withDefaults(BackendRegistry registry) {
    return new Router(registry, 1024);
  }

  public RoutingTable table() {
    return table;
  }

  /**
   * Counters: {@code <kernel>.<backend>.batches|items} and {@code <kernel>.<backend>.fallbacks}.
   */
  public Map<String, Long> metrics() {
    Map<String, Long> out = new TreeMap<>();
    metrics.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private void count(String key, long n) {
    metrics.computeIfAbsent(key, k -> new LongAdder()).add(n);
  }

  /** Measures every available backend providing the capability (idempotent). */
  public synchronized void calibrate(Capability capability) {
    if (table.calibrated(capability)) {
      return;
    }
    int[] sizes = capability == Capability.ED25519_VERIFY_BATCH ? SIGNATURE_SIZES : HASH_SIZES;
    for (Backend backend : registry.providing(capability)) {
      for (int size : sizes) {
        try {
          double best = 0;
          for (int run = 0; run < 2; run++) {
            LaunchTiming t = Workloads.run(backend, capability, size, 64).join();
            best = Math.max(best, t.itemsPerSecondWall());
          }
          table.record(capability, backend.name(), size, best);
        } catch (RuntimeException e) {
          table.record(capability, backend.name(), size, 0); // failing backends never win
        }
      }
    }
  }

  private CompletableFuture<LaunchTiming> route(
      Capability capability, int items, Function<Backend, CompletableFuture<LaunchTiming>> submit) {
    calibrate(capability);
    Backend host = registry.hostFor(capability).orElse(null);
    String choice = table.choose(capability, items, host == null ? null : host.name());
    Backend chosen = choice == null ? null : registry.find(choice).orElse(host);
    if (chosen == null) {
      return CompletableFuture.failedFuture(
          new AccelException("no available backend provides " + capability.shortName()));
    }
    CompletableFuture<LaunchTiming> first = submit.apply(chosen);
    return first
        .handle(
            (timing, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(timing);
              }
              count(capability.shortName() + "." + chosen.name() + ".fallbacks", 1);
              if (host == null || host == chosen) {
                return CompletableFuture.<LaunchTiming>failedFuture(error);
              }
              return submit.apply(host);
            })
        .thenCompose(f -> f)
        .whenComplete(
            (timing, error) -> {
              if (timing != null) {
                count(capability.shortName() + "." + timing.backend() + ".batches", 1);
                count(capability.shortName() + "." + timing.backend() + ".items", timing.items());
              }
            });
  }

  public CompletableFuture<LaunchTiming> sha256Batch(
      ByteBuffer messages, int messageBytes, int count, ByteBuffer digests) {
    return route(
        Capability.SHA256_BATCH, count, b -> b.sha256Batch(messages, messageBytes, count, digests));
  }

  public CompletableFuture<LaunchTiming> merkleLevel(
      ByteBuffer nodes, int count, ByteBuffer parents) {
    return route(Capability.MERKLE_LEVEL, count, b -> b.merkleLevel(nodes, count, parents));
  }

  public CompletableFuture<LaunchTiming> merkleRoot(
      ByteBuffer leafHashes, int count, ByteBuffer root) {
    return route(Capability.MERKLE_ROOT, count, b -> b.merkleRoot(leafHashes, count, root));
  }

  public CompletableFuture<LaunchTiming> ed25519VerifyBatch(
      Ed25519Batch batch, ByteBuffer verdicts) {
    return route(
        Capability.ED25519_VERIFY_BATCH, batch.count(), b -> b.ed25519VerifyBatch(batch, verdicts));
  }
}
