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

  /**
   * The verdict: whether RSS is flat, every failed check (empty: pass), and notes on how a
   * validator's memory was judged flat.
   */
  public record Verdict(boolean flat, List<String> failures, List<String> notes) {
    public Verdict(boolean flat, List<String> failures) {
      this(flat, failures, List.of());
    }

    public boolean pass() {
      return failures.isEmpty();
    }
  }

  /**
   * Where one validator's RSS growth over the second half of the steady state went, from the parts
   * recorded with each sample ({@link MemoryPart}).
   *
   * @param rssSlopeMibPerHour the RSS slope (as in {@link Row})
   * @param outsideRocksDbSlopeMibPerHour the slope of RSS less the most RocksDB's accounted memory
   *     (cache, the memtables' charges included, and table readers) has held so far ({@link
   *     #rocksDbHighWater}) and less the execution state's resident pages where its cache is
   *     bounded; NaN when RocksDB's memory is unknown
   * @param rocksDbBounded RocksDB's cache was known and at or below its capacity in every steady
   *     sample, and so was the state cache wherever it was reported: their growth is filling up to
   *     a bound, not a leak
   * @param rocksDbEndMib RocksDB's accounted memory at the last sample that knew it (-1: unknown)
   * @param rocksDbCapacityMib RocksDB's bound (-1: unknown)
   * @param slopes per part (by ordinal), its slope in MiB per hour over the second half (NaN with
   *     fewer than two known samples; malloc heaps in heaps per hour)
   * @param ends per part (by ordinal), its last known value in MiB (malloc heaps: a count; -1:
   *     unknown)
   */
  public record Attribution(
      String name,
      double rssSlopeMibPerHour,
      double outsideRocksDbSlopeMibPerHour,
      boolean rocksDbBounded,
      double rocksDbEndMib,
      double rocksDbCapacityMib,
      double[] slopes,
      double[] ends) {
    public double slope(MemoryPart part) {
      return slopes[part.ordinal()];
    }

    public double end(MemoryPart part) {
      return ends[part.ordinal()];
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
   * Whether a reading taken at most every {@code everyNs} is due at {@code nowNs}, the last one at
   * {@code lastNs} (-1: none yet, so the first is due at once).
   */
  public static boolean due(long lastNs, long nowNs, long everyNs) {
    return lastNs < 0 || nowNs - lastNs >= everyNs;
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

  /** Index of the first sample of {@code series} at or after {@code steadyStartNs}. */
  private static int steadyStart(MemorySeries series, long steadyStartNs) {
    int first = 0;
    while (first < series.size() && series.timeNs(first) < steadyStartNs) {
      first++;
    }
    return first;
  }

  /** Index of the first sample of the second half of the samples {@code [first, size)}. */
  private static int secondHalf(MemorySeries series, int first) {
    int n = series.size();
    if (first >= n) {
      return n;
    }
    long middle = series.timeNs(first) + (series.timeNs(n - 1) - series.timeNs(first)) / 2;
    int half = first;
    while (half < n && series.timeNs(half) < middle) {
      half++;
    }
    return half;
  }

  /** RocksDB's accounted memory of sample {@code i}: cache plus table readers; -1: unknown. */
  private static long rocksDb(MemorySeries series, int i) {
    long cache = series.part(i, MemoryPart.ROCKSDB_CACHE);
    long readers = series.part(i, MemoryPart.ROCKSDB_TABLE_READERS);
    return cache < 0 ? -1 : cache + Math.max(readers, 0);
  }

  /**
   * Per sample, the most RocksDB's accounted memory ({@link #rocksDb}) has held in any sample up to
   * it, from the first (the warm-up included); -1 where it is unknown so far. RocksDB's cache and
   * memtables live in glibc's malloc, which keeps what RocksDB frees (a flushed memtable, an
   * evicted block) for its next allocations rather than returning it: a process's RSS follows the
   * highest RocksDB ever held, not what it holds now. Taking the current value out of RSS would
   * leave every flush's drop in "outside" as growth when the cache fills again; the high-water mark
   * does not.
   */
  static long[] rocksDbHighWater(MemorySeries series) {
    long[] high = new long[series.size()];
    long max = -1;
    for (int i = 0; i < high.length; i++) {
      max = Math.max(max, rocksDb(series, i));
      high[i] = max;
    }
    return high;
  }

  /**
   * The execution state's resident pages of sample {@code i} where its cache is bounded and within
   * its bound; 0 otherwise (unknown, or unbounded: then its growth stays in "outside").
   */
  private static long boundedState(MemorySeries series, int i) {
    long pages = series.part(i, MemoryPart.STATE_PAGES);
    long limit = series.part(i, MemoryPart.STATE_CACHE_LIMIT);
    return pages >= 0 && limit >= 0 && pages <= limit ? pages : 0;
  }

  /** Whether the state cache was known, bounded and within its bound in sample {@code i}. */
  private static boolean stateWithinBound(MemorySeries series, int i) {
    long pages = series.part(i, MemoryPart.STATE_PAGES);
    long limit = series.part(i, MemoryPart.STATE_CACHE_LIMIT);
    return pages < 0 || limit >= 0 && pages <= limit;
  }

  /** Slope in units per hour of the known ({@code >= 0}) values over samples {@code [from, n)}. */
  private static double knownSlope(
      MemorySeries series, int from, java.util.function.IntToLongFunction value, double unit) {
    int n = series.size();
    long[] t = new long[Math.max(0, n - from)];
    long[] v = new long[t.length];
    int k = 0;
    for (int i = from; i < n; i++) {
      long x = value.applyAsLong(i);
      if (x >= 0) {
        t[k] = series.timeNs(i);
        v[k] = x;
        k++;
      }
    }
    return slope(t, v, 0, k) * NS_PER_HOUR / unit;
  }

  /**
   * The attribution of {@code series}'s RSS slope over the second half of the steady state that
   * starts at {@code steadyStartNs}.
   */
  public static Attribution attribution(MemorySeries series, long steadyStartNs) {
    int first = steadyStart(series, steadyStartNs);
    int half = secondHalf(series, first);
    int n = series.size();
    MemoryPart[] parts = MemoryPart.values();
    double[] slopes = new double[parts.length];
    double[] ends = new double[parts.length];
    for (MemoryPart part : parts) {
      boolean count = part == MemoryPart.MALLOC_HEAPS;
      slopes[part.ordinal()] = knownSlope(series, half, i -> series.part(i, part), count ? 1 : MIB);
      ends[part.ordinal()] = -1;
      for (int i = n - 1; i >= first; i--) {
        long v = series.part(i, part);
        if (v >= 0) {
          ends[part.ordinal()] = count ? v : v / MIB;
          break;
        }
      }
    }
    double rssSlope = knownSlope(series, half, series::rss, MIB);
    boolean known = false;
    boolean bounded = true;
    double rocksEnd = -1;
    double capacity = -1;
    for (int i = first; i < n; i++) {
      long cache = series.part(i, MemoryPart.ROCKSDB_CACHE);
      long cap = series.part(i, MemoryPart.ROCKSDB_CAPACITY);
      if (cache < 0 || cap < 0) {
        continue;
      }
      known = true;
      bounded &= cache <= cap && stateWithinBound(series, i);
      rocksEnd = rocksDb(series, i) / MIB;
      capacity = cap / MIB;
    }
    long[] rocksHighWater = rocksDbHighWater(series);
    double outside =
        known
            ? knownSlope(
                series,
                half,
                i -> {
                  long r = rocksHighWater[i];
                  return r < 0 ? -1 : Math.max(0, series.rss(i) - r - boundedState(series, i));
                },
                MIB)
            : Double.NaN;
    return new Attribution(
        series.name(), rssSlope, outside, known && bounded, rocksEnd, capacity, slopes, ends);
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
    return verdict(rows, List.of(), load, maxSlopeMibPerHour);
  }

  /**
   * The verdict over every validator's row, its attribution and the load's outcome. A validator
   * whose RSS slope reaches the threshold still counts as flat when its attribution shows that the
   * growth is RocksDB filling its bounded cache: RocksDB's cache stayed within its capacity in
   * every sample, and RSS less RocksDB's accounted memory grows below the threshold. Its RSS then
   * stays below what it holds outside RocksDB plus RocksDB's bound; a note says so.
   */
  public static Verdict verdict(
      List<Row> rows, List<Attribution> attributions, Load load, double maxSlopeMibPerHour) {
    List<String> failures = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean flat = !rows.isEmpty();
    for (Row r : rows) {
      Attribution a =
          attributions.stream().filter(x -> x.name().equals(r.name())).findFirst().orElse(null);
      if (Double.isNaN(r.slopeMibPerHour())) {
        flat = false;
        failures.add(r.name() + ": too few steady-state samples for a slope (" + r.samples() + ")");
      } else if (r.slopeMibPerHour() >= maxSlopeMibPerHour) {
        if (a != null
            && a.rocksDbBounded()
            && a.outsideRocksDbSlopeMibPerHour() < maxSlopeMibPerHour) {
          notes.add(
              String.format(
                  Locale.ROOT,
                  "%s: RSS grows %.1f MiB/h, of which RocksDB filling its bounded cache (%.1f of"
                      + " %.1f MiB at the end, within its capacity in every sample)%s; outside"
                      + " RocksDB %.1f MiB/h, below %.1f",
                  r.name(),
                  r.slopeMibPerHour(),
                  a.rocksDbEndMib(),
                  a.rocksDbCapacityMib(),
                  a.end(MemoryPart.STATE_PAGES) < 0
                      ? ""
                      : String.format(
                          Locale.ROOT,
                          " and the state cache (%.1f of %.1f MiB)",
                          a.end(MemoryPart.STATE_PAGES),
                          a.end(MemoryPart.STATE_CACHE_LIMIT)),
                  a.outsideRocksDbSlopeMibPerHour(),
                  maxSlopeMibPerHour));
          continue;
        }
        flat = false;
        failures.add(
            String.format(
                Locale.ROOT,
                "%s: RSS grows %.1f MiB/h over the second half (threshold %.1f)%s",
                r.name(),
                r.slopeMibPerHour(),
                maxSlopeMibPerHour,
                a == null || Double.isNaN(a.outsideRocksDbSlopeMibPerHour())
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "; outside RocksDB %.1f MiB/h, RocksDB %s its bound",
                        a.outsideRocksDbSlopeMibPerHour(),
                        a.rocksDbBounded() ? "within" : "NOT always within")));
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
    return new Verdict(flat, List.copyOf(failures), List.copyOf(notes));
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
    for (String note : verdict.notes()) {
      b.append("  flat by attribution: ").append(note).append(System.lineSeparator());
    }
    return b.toString();
  }

  private static final MemoryPart[] SLOPE_COLUMNS = {
    MemoryPart.ROCKSDB_CACHE,
    MemoryPart.STATE_PAGES,
    MemoryPart.JVM_NATIVE,
    MemoryPart.JVM_DIRECT,
    MemoryPart.JVM_CODE,
    MemoryPart.JVM_METASPACE,
    MemoryPart.JVM_GC,
    MemoryPart.JVM_COMPILER,
    MemoryPart.MALLOC_RSS,
    MemoryPart.RSS_FILE
  };

  private static final MemoryPart[] END_COLUMNS = {
    MemoryPart.ROCKSDB_CACHE,
    MemoryPart.STATE_PAGES,
    MemoryPart.STATE_CACHE_LIMIT,
    MemoryPart.STATE_ALL_PAGES,
    MemoryPart.ROCKSDB_MEMTABLES,
    MemoryPart.ROCKSDB_PINNED,
    MemoryPart.ROCKSDB_TABLE_READERS,
    MemoryPart.JVM_NATIVE,
    MemoryPart.JVM_DIRECT,
    MemoryPart.JVM_CODE,
    MemoryPart.JVM_METASPACE,
    MemoryPart.JVM_GC,
    MemoryPart.JVM_THREAD,
    MemoryPart.MALLOC_HEAPS,
    MemoryPart.MALLOC_RSS,
    MemoryPart.RSS_ANON,
    MemoryPart.RSS_FILE
  };

  /**
   * The attribution tables: per validator the slope of RSS, of RSS outside RocksDB and of each part
   * over the second half of the steady state (MiB/h), then each part's last value (MiB; malloc
   * heaps a count).
   */
  public static String renderAttribution(List<Attribution> attributions) {
    StringBuilder b = new StringBuilder();
    b.append("RSS slope by part over the second half of the steady state (MiB/h):")
        .append(System.lineSeparator());
    b.append(String.format(Locale.ROOT, "%-9s %9s %9s", "validator", "RSS", "outside"));
    for (MemoryPart p : SLOPE_COLUMNS) {
      b.append(String.format(Locale.ROOT, " %9s", shortLabel(p)));
    }
    b.append(System.lineSeparator());
    for (Attribution a : attributions) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-9s %9s %9s",
              a.name(),
              number(a.rssSlopeMibPerHour()),
              number(a.outsideRocksDbSlopeMibPerHour())));
      for (MemoryPart p : SLOPE_COLUMNS) {
        b.append(String.format(Locale.ROOT, " %9s", number(a.slope(p))));
      }
      b.append(System.lineSeparator());
    }
    b.append("  (outside = RSS less the most RocksDB's cache and table readers held so far and the")
        .append(" state's resident")
        .append(" pages where its cache is bounded; rocksdb = its cache, the memtables' charges")
        .append(" included; state = the execution state's resident pages; jvm = native memory")
        .append(" tracking, committed)")
        .append(System.lineSeparator());
    b.append("memory parts at the last sample (MiB; malloc heaps: count):")
        .append(System.lineSeparator());
    b.append(String.format(Locale.ROOT, "%-9s %9s", "validator", "rocks cap"));
    for (MemoryPart p : END_COLUMNS) {
      b.append(String.format(Locale.ROOT, " %9s", shortLabel(p)));
    }
    b.append(System.lineSeparator());
    for (Attribution a : attributions) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-9s %9s",
              a.name(),
              a.rocksDbCapacityMib() < 0 ? "-" : number(a.rocksDbCapacityMib())));
      for (MemoryPart p : END_COLUMNS) {
        b.append(String.format(Locale.ROOT, " %9s", a.end(p) < 0 ? "-" : number(a.end(p))));
      }
      b.append(System.lineSeparator());
    }
    return b.toString();
  }

  private static String shortLabel(MemoryPart p) {
    return switch (p) {
      case ROCKSDB_CACHE -> "rocksdb";
      case STATE_PAGES -> "state";
      case STATE_CACHE_LIMIT -> "state cap";
      case STATE_ALL_PAGES -> "state all";
      case ROCKSDB_PINNED -> "pinned";
      case ROCKSDB_MEMTABLES -> "memtables";
      case ROCKSDB_TABLE_READERS -> "readers";
      case ROCKSDB_CAPACITY -> "capacity";
      case JVM_NATIVE -> "jvm nat";
      case JVM_DIRECT -> "direct";
      case JVM_CODE -> "code";
      case JVM_METASPACE -> "metaspace";
      case JVM_GC -> "gc";
      case JVM_THREAD -> "thread";
      case JVM_COMPILER -> "compiler";
      case MALLOC_HEAPS -> "m.heaps";
      case MALLOC_RSS -> "malloc";
      case RSS_ANON -> "anon";
      case RSS_FILE -> "file";
    };
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  /**
   * A validator's memory budget, the RSS it should stay under, each part from the validator's own
   * configuration or, where the JVM sets no bound, measured at the start of the steady state:
   *
   * <ul>
   *   <li>the heap, {@code -Xmx} (all of it resident: the soak pre-touches it);
   *   <li>direct memory, the JVM's limit ({@code -XX:MaxDirectMemorySize}, as {@code /status}
   *       reports it): Netty's buffers, the transports' rings and the execution state's page cache,
   *       which lives inside it ({@link #stateCacheMib}, shown, not added);
   *   <li>RocksDB's bound: its block cache, with the memtables charged to it;
   *   <li>the JVM's own native memory (GC structures, metaspace and classes, code cache, thread
   *       stacks, compiler arenas, symbols), which no flag of the launcher bounds: native memory
   *       tracking's committed total less the heap and less direct memory, at the first reading in
   *       the steady state, or, without such a reading, an allowance of {@value
   *       #JVM_INTERNAL_ALLOWANCE_MIB} MiB plus 1/16 of the heap;
   *   <li>mapped files (the jars, the JVM's and RocksDB's native libraries): the resident
   *       file-backed pages ({@code RssFile}) at the same reading (-1: unknown, then not added).
   * </ul>
   *
   * @param heapMib the heap's size (-1: unknown)
   * @param storageMib RocksDB's bound reported by the validators (-1: unknown)
   * @param directMib the direct-memory limit reported by the validators (-1: unknown)
   * @param jvmInternalMib the JVM's own native memory measured at the start of the steady state
   *     (-1: not measured, the allowance is used)
   * @param mappedMib resident mapped files at that reading (-1: unknown)
   * @param storageUsedMib per validator, what RocksDB's cache and memtables held at the end (-1:
   *     unknown)
   * @param stateCacheMib the execution state's page cache bound, inside the direct memory (0: none)
   */
  public record Budget(
      double heapMib,
      double storageMib,
      double directMib,
      double jvmInternalMib,
      double mappedMib,
      List<Double> storageUsedMib,
      double stateCacheMib) {
    public Budget {
      storageUsedMib = List.copyOf(storageUsedMib);
    }

    /** The JVM's own native memory counted: measured, or the allowance when not measured. */
    public double jvmMib() {
      return jvmInternalMib >= 0 ? jvmInternalMib : jvmAllowanceMib(heapMib);
    }

    /**
     * heap + direct memory + RocksDB + the JVM's own native memory + mapped files (when known); -1
     * when the heap, RocksDB's bound or the direct-memory limit is unknown.
     */
    public double expectedMib() {
      return heapMib < 0 || storageMib < 0 || directMib < 0
          ? -1
          : heapMib + directMib + storageMib + jvmMib() + Math.max(0, mappedMib);
    }
  }

  /** {@link Budget}'s allowance for the JVM's own native memory without a measurement: base. */
  public static final long JVM_INTERNAL_ALLOWANCE_MIB = 128;

  /** The allowance for the JVM's own native memory (without direct memory) for a heap. */
  public static double jvmAllowanceMib(double heapMib) {
    return JVM_INTERNAL_ALLOWANCE_MIB + Math.max(heapMib, 0) / 16;
  }

  /**
   * The JVM's own native memory and the mapped files of the validators, in MiB, from their first
   * samples at or after {@code steadyStartNs} that carry native memory tracking: {@code {internal,
   * mapped, tNs}}, the largest over the validators, each -1 when no sample has it.
   */
  public static double[] measuredAtStart(List<MemorySeries> series, long steadyStartNs) {
    double internal = -1;
    double mapped = -1;
    double at = -1;
    for (MemorySeries s : series) {
      for (int i = steadyStart(s, steadyStartNs); i < s.size(); i++) {
        long nativeBytes = s.part(i, MemoryPart.JVM_NATIVE);
        long direct = s.part(i, MemoryPart.JVM_DIRECT);
        if (nativeBytes >= 0 && direct >= 0) {
          internal = Math.max(internal, (nativeBytes - direct) / MIB);
          long file = s.part(i, MemoryPart.RSS_FILE);
          mapped = Math.max(mapped, file < 0 ? -1 : file / MIB);
          at = Math.max(at, s.timeNs(i));
          break;
        }
      }
    }
    return new double[] {internal, mapped, at};
  }

  /**
   * The budget's lines: its parts, where each comes from, and their sum against the highest
   * steady-state RSS, then what RocksDB held at the end on each validator.
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
            "memory budget per validator: heap %s MiB (-Xmx) + direct memory %s MiB"
                + " (MaxDirectMemorySize%s) + RocksDB %s MiB (block cache and memtables)"
                + " + JVM native %.0f MiB (%s)%s = %s MiB",
            whole(budget.heapMib()),
            whole(budget.directMib()),
            budget.stateCacheMib() > 0
                ? String.format(
                    Locale.ROOT,
                    ": Netty's buffers and the state cache of %s MiB",
                    whole(budget.stateCacheMib()))
                : ": Netty's buffers",
            whole(budget.storageMib()),
            budget.jvmMib(),
            budget.jvmInternalMib() >= 0
                ? "GC, metaspace, code, threads, compiler: native memory tracking at the start of"
                    + " the steady state"
                : "GC, metaspace, code, threads, compiler: not measured, an allowance",
            budget.mappedMib() >= 0
                ? String.format(
                    Locale.ROOT,
                    " + mapped files %.0f MiB (jars and native libraries, RssFile)",
                    budget.mappedMib())
                : "",
            whole(expected)));
    if (highest != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "; highest RSS %.1f MiB (%s)%s",
              highest.rssMaxMib(),
              highest.name(),
              expected < 0
                  ? ""
                  : highest.rssMaxMib() <= expected
                      ? String.format(
                          Locale.ROOT, ", within it by %.0f MiB", expected - highest.rssMaxMib())
                      : String.format(
                          Locale.ROOT, ", OVER it by %.0f MiB", highest.rssMaxMib() - expected)));
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
