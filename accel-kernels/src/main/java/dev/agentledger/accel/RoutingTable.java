package dev.agentledger.accel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure routing decision: from measured throughput per (capability, backend, batch size), which
 * backend should serve a batch of n items. Batches below {@code minDeviceBatch} stay on the host
 * backend; otherwise the backend with the best measured items/second at the largest calibrated size
 * not above n wins (the smallest calibrated size when n is below all of them). A capability may
 * instead be {@linkplain #pin pinned} to one backend from a given batch size (an operator's
 * explicit choice): batches from that size go to it, smaller ones to the host, whatever was
 * measured. No clocks, no threads: the {@code Router} measures and feeds this table.
 */
public final class RoutingTable {
  private final int minDeviceBatch;

  /** capability -> batch size -> backend -> items per second */
  private final Map<Capability, TreeMap<Integer, Map<String, Double>>> measured =
      new EnumMap<>(Capability.class);

  /** capability -> (backend, first batch size it serves) */
  private final Map<Capability, Map.Entry<String, Integer>> pinned =
      new EnumMap<>(Capability.class);

  public RoutingTable(int minDeviceBatch) {
    this.minDeviceBatch = minDeviceBatch;
  }

  public int minDeviceBatch() {
    return minDeviceBatch;
  }

  public synchronized void record(
      Capability capability, String backend, int batchSize, double itemsPerSecond) {
    measured
        .computeIfAbsent(capability, c -> new TreeMap<>())
        .computeIfAbsent(batchSize, s -> new TreeMap<>())
        .put(backend, itemsPerSecond);
  }

  public synchronized boolean calibrated(Capability capability) {
    return measured.containsKey(capability);
  }

  /**
   * Sends batches of at least {@code fromBatch} items of {@code capability} to {@code backend}
   * (smaller ones to the host), overriding the measured rates.
   */
  public synchronized void pin(Capability capability, String backend, int fromBatch) {
    if (fromBatch < 1) {
      throw new IllegalArgumentException("fromBatch must be at least 1: " + fromBatch);
    }
    pinned.put(capability, Map.entry(backend, fromBatch));
  }

  public synchronized boolean pinned(Capability capability) {
    return pinned.containsKey(capability);
  }

  /** The backend to use; {@code host} when the batch is small or nothing beats it. */
  public synchronized String choose(Capability capability, int batchSize, String host) {
    Map.Entry<String, Integer> pin = pinned.get(capability);
    if (pin != null) {
      return batchSize >= pin.getValue() || host == null ? pin.getKey() : host;
    }
    TreeMap<Integer, Map<String, Double>> bySize = measured.get(capability);
    if (bySize == null || bySize.isEmpty()) {
      return host;
    }
    if (batchSize < minDeviceBatch && host != null) {
      return host;
    }
    Map.Entry<Integer, Map<String, Double>> row = bySize.floorEntry(batchSize);
    if (row == null) {
      row = bySize.firstEntry();
    }
    String best = host;
    double bestRate = host == null ? -1 : row.getValue().getOrDefault(host, -1.0);
    for (Map.Entry<String, Double> e : row.getValue().entrySet()) {
      if (e.getValue() > bestRate) {
        best = e.getKey();
        bestRate = e.getValue();
      }
    }
    return best;
  }

  /**
   * The smallest calibrated batch size from which {@code device} is faster than {@code host} and
   * stays faster at every larger calibrated size; -1 when it never is.
   */
  public synchronized int crossover(Capability capability, String device, String host) {
    TreeMap<Integer, Map<String, Double>> bySize = measured.get(capability);
    if (bySize == null) {
      return -1;
    }
    int crossover = -1;
    for (Map.Entry<Integer, Map<String, Double>> e : bySize.descendingMap().entrySet()) {
      Double d = e.getValue().get(device), h = e.getValue().get(host);
      if (d == null || h == null || d <= h) {
        break;
      }
      crossover = e.getKey();
    }
    return crossover;
  }

  /** Rows "capability size backend items/s", for the CLI and logs. */
  public synchronized List<String> describe() {
    List<String> out = new ArrayList<>();
    measured.forEach(
        (c, bySize) ->
            bySize.forEach(
                (size, rates) ->
                    rates.forEach(
                        (b, r) ->
                            out.add(c.shortName() + " " + size + " " + b + " " + Math.round(r)))));
    return out;
  }
}
