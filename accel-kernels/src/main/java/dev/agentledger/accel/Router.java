package dev.agentledger.accel;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Routes each batch to the backend that measured fastest for its capability and size, keeps small
 * batches on the host, and falls back to the host backend when a device submission fails (the same
 * inputs are resubmitted: device backends never modify them, so no batch is lost). Calibration is
 * short (a few sizes, best of two runs each), runs lazily the first time a capability is routed,
 * and is cached for the life of the router.
 *
 * <p>Every submission is counted in a {@link BackendStats} per (capability, backend): batches,
 * items, launches, upload / kernel / download time, errors, fallbacks; every result's {@link
 * LaunchTiming#backend()} names who served it. A device backend that fails {@code
 * maxConsecutiveFailures} submissions in a row is taken out of rotation (logged once, at WARNING):
 * from then on its batches go to the host.
 */
public final class Router {
  private static final System.Logger LOG = System.getLogger(Router.class.getName());

  /** Failures in a row after which a device backend leaves the rotation (by default). */
  public static final int DEFAULT_MAX_CONSECUTIVE_FAILURES = 3;

  /** Batch sizes calibrated per capability (Ed25519 is ~1,000x more work per item). */
  private static final int[] HASH_SIZES = {1 << 10, 1 << 14, 1 << 17};

  private static final int[] SIGNATURE_SIZES = {1 << 4, 1 << 6, 1 << 8, 1 << 10};

  private final BackendRegistry registry;
  private final RoutingTable table;
  private final int maxConsecutiveFailures;
  private final Map<String, BackendStats> stats = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> consecutiveFailures = new ConcurrentHashMap<>();
  private final Set<String> outOfRotation = ConcurrentHashMap.newKeySet();

  public Router(BackendRegistry registry, int minDeviceBatch) {
    this(registry, minDeviceBatch, DEFAULT_MAX_CONSECUTIVE_FAILURES);
  }

  /**
   * @param minDeviceBatch batches smaller than this stay on the host
   * @param maxConsecutiveFailures failed submissions in a row that take a device backend out of
   *     rotation (at least 1)
   */
  public Router(BackendRegistry registry, int minDeviceBatch, int maxConsecutiveFailures) {
    if (maxConsecutiveFailures < 1) {
      throw new IllegalArgumentException(
          "maxConsecutiveFailures must be at least 1: " + maxConsecutiveFailures);
    }
    this.registry = registry;
    this.table = new RoutingTable(minDeviceBatch);
    this.maxConsecutiveFailures = maxConsecutiveFailures;
  }

  /** A router over the discovered backends that keeps batches under 1,024 items on the host. */
  public static Router withDefaults(BackendRegistry registry) {
    return new Router(registry, 1024);
  }

  public RoutingTable table() {
    return table;
  }

  public BackendRegistry registry() {
    return registry;
  }

  /**
   * Counters: {@code <kernel>.<backend>.batches|items} for served batches, {@code
   * <kernel>.<backend>.fallbacks|errors} for failed ones (a snapshot; {@link #stats} is live).
   */
  public Map<String, Long> metrics() {
    Map<String, Long> out = new TreeMap<>();
    stats.forEach(
        (k, v) -> {
          if (v.batches() > 0) {
            out.put(k + ".batches", v.batches());
            out.put(k + ".items", v.items());
          }
          if (v.fallbacks() > 0) {
            out.put(k + ".fallbacks", v.fallbacks());
          }
          if (v.errors() > 0) {
            out.put(k + ".errors", v.errors());
          }
        });
    return out;
  }

  /** The live counters of {@code backend} serving {@code capability} (created on first use). */
  public BackendStats stats(Capability capability, String backend) {
    return stats.computeIfAbsent(capability.shortName() + "." + backend, k -> new BackendStats());
  }

  /** Names of the device backends taken out of rotation after repeated failures. */
  public Set<String> outOfRotation() {
    return Set.copyOf(outOfRotation);
  }

  /** Counts a batch its caller served itself on the host (the router chose the host for it). */
  public void record(Capability capability, LaunchTiming timing) {
    stats(capability, timing.backend()).served(timing);
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

  /**
   * The backend that would serve a batch of {@code items} now (calibrating first unless the
   * capability is pinned): the table's choice, or the host when that backend is out of rotation or
   * unknown; empty when no available backend provides the capability.
   */
  public Optional<Backend> choose(Capability capability, int items) {
    if (!table.pinned(capability)) {
      calibrate(capability);
    }
    Backend host = registry.hostFor(capability).orElse(null);
    String choice = table.choose(capability, items, host == null ? null : host.name());
    if (choice == null || outOfRotation.contains(choice)) {
      return Optional.ofNullable(host);
    }
    return Optional.of(registry.find(choice).orElse(host));
  }

  private CompletableFuture<LaunchTiming> route(
      Capability capability, int items, Function<Backend, CompletableFuture<LaunchTiming>> submit) {
    Backend chosen = choose(capability, items).orElse(null);
    if (chosen == null) {
      return CompletableFuture.failedFuture(
          new AccelException("no available backend provides " + capability.shortName()));
    }
    Backend host = registry.hostFor(capability).orElse(null);
    return submit(submit, chosen)
        .handle(
            (timing, error) -> {
              if (error == null) {
                consecutiveFailures(chosen).set(0);
                return CompletableFuture.completedFuture(timing);
              }
              failed(capability, chosen, error);
              if (host == null || host == chosen) {
                return CompletableFuture.<LaunchTiming>failedFuture(error);
              }
              stats(capability, chosen.name()).fellBack();
              return submit(submit, host);
            })
        .thenCompose(f -> f)
        .whenComplete(
            (timing, error) -> {
              if (timing != null) {
                record(capability, timing);
              }
            });
  }

  private static CompletableFuture<LaunchTiming> submit(
      Function<Backend, CompletableFuture<LaunchTiming>> submit, Backend backend) {
    try {
      return submit.apply(backend);
    } catch (RuntimeException e) { // a backend that throws instead of failing its future
      return CompletableFuture.failedFuture(e);
    }
  }

  private AtomicInteger consecutiveFailures(Backend backend) {
    return consecutiveFailures.computeIfAbsent(backend.name(), k -> new AtomicInteger());
  }

  private void failed(Capability capability, Backend backend, Throwable error) {
    stats(capability, backend.name()).failed();
    int inRow = consecutiveFailures(backend).incrementAndGet();
    if (!backend.isHost() && inRow >= maxConsecutiveFailures && outOfRotation.add(backend.name())) {
      Throwable cause = error.getCause() != null ? error.getCause() : error;
      LOG.log(
          System.Logger.Level.WARNING,
          "accel: backend "
              + backend.name()
              + " taken out of rotation after "
              + inRow
              + " failed submissions in a row (last: "
              + cause.getMessage()
              + "); its batches go to the host");
    }
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
