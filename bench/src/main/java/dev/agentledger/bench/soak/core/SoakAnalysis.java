package dev.agentledger.bench.soak.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The analysis of a soak. Memory is judged on the steady state, the samples from the end of the
 * warm-up on: the RSS at its start and at its end, the maximum RSS, and the least-squares slope of
 * RSS over the second half of the steady state (the first half still holds caches and heap regions
 * filling up). RSS is flat when every validator's slope is below a threshold. The soak passes when
 * RSS is flat, nothing accepted was lost, the chains agree, something committed, and every fetched
 * proof verified.
 */
public final class SoakAnalysis {
  private static final double MIB = 1024.0 * 1024.0;
  private static final double NS_PER_HOUR = 3600e9;

  private SoakAnalysis() {}

  /**
   * One validator's memory over the steady state.
   *
   * @param samples samples in the steady state
   * @param rssStartMib RSS at the first steady-state sample
   * @param rssEndMib RSS at the last sample
   * @param rssMaxMib the highest RSS of the steady state
   * @param slopeMibPerHour least-squares slope of RSS over the second half of the steady state (NaN
   *     with fewer than two samples there)
   * @param heapEndMib heap used at the last sample (-1: unknown)
   * @param heapMaxMib the most heap used in the steady state (-1: unknown)
   */
  public record Row(
      String name,
      int samples,
      double rssStartMib,
      double rssEndMib,
      double rssMaxMib,
      double slopeMibPerHour,
      double heapEndMib,
      double heapMaxMib) {}

  /**
   * The load's outcome.
   *
   * @param committedTps committed transactions per second over the load's commit window
   */
  public record Load(
      long submitted,
      long accepted,
      long committed,
      long lost,
      double committedTps,
      boolean forkFree,
      long heightsCompared,
      int proofsFetched,
      int proofsVerified) {}

  /** The verdict: whether RSS is flat, and every failed check (empty: pass). */
  public record Verdict(boolean flat, List<String> failures) {
    public boolean pass() {
      return failures.isEmpty();
    }
  }

  /**
   * The time of the next sample, counted from the load's start: the first multiple of {@code
   * intervalNs} after {@code previousNs} (-1: none yet) that is not already past at {@code nowNs}.
   * Sampling that falls behind (slow reads on a loaded machine) skips the slots it missed instead
   * of running them back to back past the end of the load.
   */
  public static long nextSample(long previousNs, long nowNs, long intervalNs) {
    if (intervalNs <= 0) {
      throw new IllegalArgumentException("interval must be positive: " + intervalNs);
    }
    long next = previousNs < 0 ? 0 : (previousNs / intervalNs + 1) * intervalNs;
    if (next < nowNs) {
      next = (nowNs + intervalNs - 1) / intervalNs * intervalNs;
    }
    return next;
  }

  /**
   * The least-squares slope of {@code value} over {@code time}, per unit of time, over the points
   * {@code [from, to)}; NaN with fewer than two points or when all times are equal.
   */
  public static double slope(long[] time, long[] value, int from, int to) {
    int n = to - from;
    if (n < 2) {
      return Double.NaN;
    }
    // centred on the first point to keep the sums small
    double t0 = time[from];
    double v0 = value[from];
    double meanT = 0;
    double meanV = 0;
    for (int i = from; i < to; i++) {
      meanT += time[i] - t0;
      meanV += value[i] - v0;
    }
    meanT /= n;
    meanV /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = from; i < to; i++) {
      double dt = time[i] - t0 - meanT;
      sxy += dt * (value[i] - v0 - meanV);
      sxx += dt * dt;
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  /** The row of {@code series} for the steady state that starts at {@code steadyStartNs}. */
  public static Row row(MemorySeries series, long steadyStartNs) {
    int first = 0;
    while (first < series.size() && series.timeNs(first) < steadyStartNs) {
      first++;
    }
    int n = series.size() - first;
    if (n == 0) {
      return new Row(series.name(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, -1);
    }
    long[] t = new long[n];
    long[] rss = new long[n];
    long rssMax = Long.MIN_VALUE;
    long heapMax = -1;
    for (int i = 0; i < n; i++) {
      t[i] = series.timeNs(first + i);
      rss[i] = series.rss(first + i);
      rssMax = Math.max(rssMax, rss[i]);
      heapMax = Math.max(heapMax, series.heap(first + i));
    }
    long middle = t[0] + (t[n - 1] - t[0]) / 2;
    int half = 0;
    while (half < n && t[half] < middle) {
      half++;
    }
    double slope = slope(t, rss, half, n) * NS_PER_HOUR / MIB;
    long heapEnd = series.heap(series.size() - 1);
    return new Row(
        series.name(),
        n,
        rss[0] / MIB,
        rss[n - 1] / MIB,
        rssMax / MIB,
        slope,
        heapEnd < 0 ? -1 : heapEnd / MIB,
        heapMax < 0 ? -1 : heapMax / MIB);
  }

  /** The verdict over every validator's row and the load's outcome. */
  public static Verdict verdict(List<Row> rows, Load load, double maxSlopeMibPerHour) {
    List<String> failures = new ArrayList<>();
    boolean flat = !rows.isEmpty();
    for (Row r : rows) {
      if (Double.isNaN(r.slopeMibPerHour())) {
        flat = false;
        failures.add(r.name() + ": too few steady-state samples for a slope (" + r.samples() + ")");
      } else if (r.slopeMibPerHour() >= maxSlopeMibPerHour) {
        flat = false;
        failures.add(
            String.format(
                Locale.ROOT,
                "%s: RSS grows %.1f MiB/h over the second half (threshold %.1f)",
                r.name(),
                r.slopeMibPerHour(),
                maxSlopeMibPerHour));
      }
    }
    if (rows.isEmpty()) {
      failures.add("no memory samples");
    }
    if (load.lost() > 0) {
      failures.add(load.lost() + " accepted transactions lost");
    }
    if (!load.forkFree()) {
      failures.add("fork: the validators' chains differ");
    }
    if (load.committed() == 0) {
      failures.add("nothing committed");
    }
    if (load.proofsVerified() < load.proofsFetched()) {
      failures.add(
          (load.proofsFetched() - load.proofsVerified())
              + " of "
              + load.proofsFetched()
              + " proofs did not verify");
    }
    return new Verdict(flat, List.copyOf(failures));
  }

  /** The results table: one line per validator, then the load and the verdict. */
  public static String render(
      List<Row> rows, Load load, Verdict verdict, double maxSlopeMibPerHour) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-9s %7s %14s %12s %12s %15s %13s %13s%n",
            "validator",
            "samples",
            "RSS start MiB",
            "RSS end MiB",
            "RSS max MiB",
            "slope MiB/h",
            "heap end MiB",
            "heap max MiB"));
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-9s %7d %14.1f %12.1f %12.1f %15.1f %13s %13s%n",
              r.name(),
              r.samples(),
              r.rssStartMib(),
              r.rssEndMib(),
              r.rssMaxMib(),
              r.slopeMibPerHour(),
              mib(r.heapEndMib()),
              mib(r.heapMaxMib())));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "load: submitted %,d, accepted %,d, committed %,d (%.1f tps), lost %d; %s; proofs"
                + " verified %d/%d%n",
            load.submitted(),
            load.accepted(),
            load.committed(),
            load.committedTps(),
            load.lost(),
            load.forkFree()
                ? "no fork (chains agree at " + load.heightsCompared() + " heights)"
                : "FORK",
            load.proofsVerified(),
            load.proofsFetched()));
    b.append(
        String.format(
            Locale.ROOT,
            "verdict: %s; RSS %s (every slope below %.1f MiB/h over the second half of the steady"
                + " state)%n",
            verdict.pass() ? "PASS" : "FAIL",
            verdict.flat() ? "flat" : "NOT flat",
            maxSlopeMibPerHour));
    for (String f : verdict.failures()) {
      b.append("  failed: ").append(f).append(System.lineSeparator());
    }
    return b.toString();
  }

  /**
   * A validator's memory budget, the RSS it should stay under: its heap (touched at start),
   * RocksDB's bound (block cache and the memtables charged to it), and the JVM outside the heap (GC
   * structures, metaspace, code cache, thread stacks, direct buffers).
   *
   * @param heapMib the heap's size (-1: unknown)
   * @param storageMib RocksDB's bound reported by the validators (-1: unknown)
   * @param jvmMib the allowance for the JVM outside the heap
   * @param storageUsedMib per validator, what RocksDB's cache and memtables held at the end (-1:
   *     unknown)
   */
  public record Budget(
      double heapMib, double storageMib, double jvmMib, List<Double> storageUsedMib) {
    public Budget {
      storageUsedMib = List.copyOf(storageUsedMib);
    }

    /** heap + RocksDB + JVM outside the heap; -1 when a part is unknown. */
    public double expectedMib() {
      return heapMib < 0 || storageMib < 0 ? -1 : heapMib + storageMib + jvmMib;
    }
  }

  /**
   * The budget's lines: its parts and sum against the highest steady-state RSS, then what RocksDB
   * held at the end on each validator.
   */
  public static String renderBudget(Budget budget, List<Row> rows) {
    StringBuilder b = new StringBuilder();
    Row highest = null;
    for (Row r : rows) {
      if (r.samples() > 0 && (highest == null || r.rssMaxMib() > highest.rssMaxMib())) {
        highest = r;
      }
    }
    double expected = budget.expectedMib();
    b.append(
        String.format(
            Locale.ROOT,
            "memory budget per validator: heap %s MiB + RocksDB %s MiB (block cache and memtables)"
                + " + JVM outside the heap %.0f MiB = %s MiB",
            whole(budget.heapMib()),
            whole(budget.storageMib()),
            budget.jvmMib(),
            whole(expected)));
    if (highest != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "; highest RSS %.1f MiB (%s)%s",
              highest.rssMaxMib(),
              highest.name(),
              expected < 0 ? "" : highest.rssMaxMib() <= expected ? ", within it" : ", OVER it"));
    }
    b.append(System.lineSeparator()).append("RocksDB cache and memtables at the end (MiB):");
    for (int i = 0; i < budget.storageUsedMib().size(); i++) {
      b.append(i == 0 ? " " : ", ")
          .append(i < rows.size() ? rows.get(i).name() : "v" + i)
          .append(' ')
          .append(mib(budget.storageUsedMib().get(i)));
    }
    return b.append(System.lineSeparator()).toString();
  }

  /**
   * A JVM heap size as {@code -Xmx} takes it ({@code 512m}, {@code 1g}, {@code 1048576k}, bytes) in
   * MiB, or -1 when it is not one.
   */
  public static double sizeMib(String size) {
    if (size == null || size.isEmpty()) {
      return -1;
    }
    char unit = Character.toLowerCase(size.charAt(size.length() - 1));
    String digits = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
    return switch (unit) {
      case 'k' -> n / 1024.0;
      case 'm' -> n;
      case 'g' -> n * 1024.0;
      case 't' -> n * 1024.0 * 1024.0;
      default -> Character.isDigit(unit) ? n / MIB : -1;
    };
  }

  private static String whole(double v) {
    return v < 0 ? "?" : String.format(Locale.ROOT, "%.0f", v);
  }

  private static String mib(double v) {
    return v < 0 ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }
}
