package dev.agentledger.bench.soak;

import dev.agentledger.bench.faults.ClusterChecks;
import dev.agentledger.bench.faults.LocalCluster;
import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.NanoClock;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.cluster.ClusterTarget;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.bench.soak.core.MemoryPart;
import dev.agentledger.bench.soak.core.MemorySeries;
import dev.agentledger.bench.soak.core.SoakAnalysis;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a soak end to end: writes and starts a local cluster of real validator processes (with
 * native memory tracking on), offers a constant honest load from pre-signed runs for the whole
 * duration while sampling each validator's RSS, heap used and memory parts ({@link MemoryPart}:
 * RocksDB's accounting from {@code /status}, glibc's malloc heaps and the anonymous and file-backed
 * RSS from {@code /proc}, and, at most once a minute, the JVM's native memory tracking), then runs
 * the checks (accepted runs lost, chains, proofs) and the memory analysis with its attribution.
 * Every sample is also a line of {@code memory.csv} in the run directory. Every process it started
 * is stopped, also when it throws.
 */
public final class SoakRunner {
  /**
   * What to run.
   *
   * @param dir a new or empty directory for the cluster and its logs
   * @param validators committee size (at least 4)
   * @param basePort validator i listens on base+i (peer), +100 client, +200 query, +300 metrics;
   *     the proxy of the link from i to j on base+400+10i+j
   * @param loadAgents agents in the genesis that sign the load
   * @param nodeHeap heap of each validator JVM
   * @param seed seeds the signed runs and the proof sample
   * @param rateTps offered rate
   * @param durationNs how long the load is offered
   * @param warmupNs samples before this are not part of the steady state
   * @param sampleNs interval between memory samples
   * @param drainNs how long to wait after the load for outstanding commits
   * @param proofs committed runs proved and verified at the end
   * @param readyTimeout how long the validators may take to serve
   * @param maxSlopeMibPerHour RSS is flat when every slope is below this
   */
  public record Options(
      Path dir,
      int validators,
      int basePort,
      int loadAgents,
      String nodeHeap,
      long seed,
      double rateTps,
      long durationNs,
      long warmupNs,
      long sampleNs,
      long drainNs,
      int proofs,
      Duration readyTimeout,
      double maxSlopeMibPerHour) {}

  /**
   * The outcome: one row per validator, the load, the verdict, the raw samples and the validators'
   * memory budget.
   */
  public record Result(
      List<SoakAnalysis.Row> rows,
      SoakAnalysis.Load load,
      SoakAnalysis.Verdict verdict,
      List<MemorySeries> series,
      SoakAnalysis.Budget budget,
      List<SoakAnalysis.Attribution> attributions) {}

  /** Native memory tracking is read at most this often (each read attaches jcmd to the JVM). */
  static final long NATIVE_MEMORY_EVERY_NS = TimeUnit.SECONDS.toNanos(60);

  /** The JVM flag that turns native memory tracking on in every validator of a soak. */
  static final String NATIVE_MEMORY_TRACKING = "-XX:NativeMemoryTracking=summary";

  /**
   * How long accepted runs the feed did not report are asked for again before they count as lost:
   * at the end of an overloaded soak the validators may still be ordering and executing what they
   * accepted (the commit heights still differ), as after a fault's heal.
   */
  static final Duration RECHECK_PATIENCE = Duration.ofSeconds(120);

  private SoakRunner() {}

  /** Runs the soak; progress (one line per sample) goes to {@code log}. */
  public static Result run(Options o, PrintWriter log) throws Exception {
    if (Files.isDirectory(o.dir())) {
      try (var entries = Files.list(o.dir())) {
        if (entries.findAny().isPresent()) {
          throw new IOException(o.dir() + " is not empty: give a new or empty --dir");
        }
      }
    }
    Files.createDirectories(o.dir());
    Path clusterDir = o.dir().resolve("cluster");
    try (LocalCluster cluster =
        LocalCluster.create(
            clusterDir,
            o.validators(),
            o.basePort(),
            o.loadAgents(),
            o.nodeHeap(),
            List.of(NATIVE_MEMORY_TRACKING),
            List.of("--sig-backend=cpu", "--verify-threads=1"),
            -1,
            0)) {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < o.validators(); i++) {
        cluster.start(i);
        all.add(i);
      }
      say(
          log,
          "started %d validator processes (logs: %s/v*/node.log); waiting for readiness...",
          o.validators(),
          clusterDir);
      String why = cluster.awaitReady(all, o.validators() - 1, o.readyTimeout());
      if (why != null) {
        throw new IOException("validators not ready: " + why);
      }
      FixedRate schedule = new FixedRate(o.rateTps(), o.durationNs());
      long count = schedule.count();
      if (count > PresignedPool.MAX_SIZE) {
        throw new IllegalArgumentException(
            count + " runs to sign (rate x duration), at most " + PresignedPool.MAX_SIZE);
      }
      say(log, "signing %,d runs for %,d agents (%s)", count, o.loadAgents(), schedule.describe());
      PresignedPool pool =
          PresignedPool.build(
              RunContents.defaults()
                  .withChainId(cluster.cluster().chainId())
                  .withSeed(o.seed())
                  .withAgents(o.loadAgents()),
              (int) count,
              Runtime.getRuntime().availableProcessors(),
              i -> cluster.cluster().agents().key(i));
      ClusterTarget target =
          new ClusterTarget(
              ClusterTarget.Config.of(cluster.cluster().clients(), "node run --sig-backend cpu"));
      AtomicReference<LoadGenerator.RunResult> result = new AtomicReference<>();
      AtomicReference<Exception> loadFailure = new AtomicReference<>();
      List<MemorySeries> series = new ArrayList<>();
      for (int i = 0; i < o.validators(); i++) {
        series.add(new MemorySeries("v" + i));
      }
      List<String> failures = new ArrayList<>();
      long t0 = System.nanoTime();
      Thread load =
          Thread.ofPlatform()
              .name("soak-load")
              .start(
                  () -> {
                    try {
                      result.set(
                          LoadGenerator.run(
                              schedule,
                              pool,
                              target,
                              NanoClock.SYSTEM,
                              new LoadGenerator.Options(
                                  o.drainNs(), TimeUnit.MILLISECONDS.toNanos(20))));
                    } catch (Exception e) {
                      loadFailure.set(e);
                    }
                  });
      try {
        sample(cluster, series, o, t0, load, failures, log);
      } finally {
        load.join();
      }
      SoakAnalysis.Budget budget = budget(cluster, o.nodeHeap(), series, o.warmupNs());
      if (target.failure() != null) {
        say(log, "load generator connection: %s", target.failure());
      }
      if (loadFailure.get() != null) {
        throw new IOException("the load generator failed", loadFailure.get());
      }
      LoadGenerator.RunResult run = result.get();
      behind(cluster, o.drainNs(), failures, log);
      List<Long> committed = new ArrayList<>(run.recorder().committedSequences());
      var counts = run.tally();
      say(
          log,
          "load generator: submitted %,d, accepted %,d, rejected %,d %s (%,d of them after their"
              + " acceptance), retried %,d %s, unanswered %,d, feed: committed %,d, not seen %,d",
          counts.submitted(),
          counts.accepted(),
          counts.rejected(),
          counts.rejectedByReason(),
          counts.rejectedAfterAccept(),
          run.recorder().retries(),
          run.recorder().retriedByReason(),
          counts.unanswered(),
          counts.committed(),
          counts.lost());
      if (target.reconnects() > 0) {
        say(
            log,
            "load generator reconnected %d time(s), %,d unanswered run(s) sent again",
            target.reconnects(),
            target.resentAfterReconnect());
      }
      if (run.settleNote() != null) {
        say(log, "after the drain: %s", run.settleNote());
      }
      long lost =
          ClusterChecks.recheckLost(cluster, run, pool, committed, log, RECHECK_PATIENCE, target);
      long compared = cluster.compareChains();
      boolean forkFree = compared >= 0 || compared == Long.MIN_VALUE;
      int[] proofs =
          ClusterChecks.proofs(
              cluster, committed, pool, o.proofs(), new SplittableRandom(o.seed()), log);
      var tally = run.tally();
      SoakAnalysis.Load outcome =
          new SoakAnalysis.Load(
              tally.submitted(),
              tally.accepted(),
              committed.size(),
              lost,
              run.committedTps(),
              forkFree,
              Math.max(compared, 0),
              proofs[0],
              proofs[1]);
      List<SoakAnalysis.Row> rows = new ArrayList<>();
      List<SoakAnalysis.Attribution> attributions = new ArrayList<>();
      for (MemorySeries s : series) {
        rows.add(SoakAnalysis.row(s, o.warmupNs()));
        attributions.add(SoakAnalysis.attribution(s, o.warmupNs()));
      }
      SoakAnalysis.Verdict verdict =
          SoakAnalysis.verdict(rows, attributions, outcome, o.maxSlopeMibPerHour());
      if (!failures.isEmpty()) {
        List<String> all2 = new ArrayList<>(failures);
        all2.addAll(verdict.failures());
        verdict = new SoakAnalysis.Verdict(verdict.flat(), List.copyOf(all2), verdict.notes());
      }
      return new Result(
          List.copyOf(rows),
          outcome,
          verdict,
          List.copyOf(series),
          budget,
          List.copyOf(attributions));
    }
  }

  /**
   * The memory budget of the validators ({@link SoakAnalysis.Budget}): the heap, the direct-memory
   * limit ({@code directLimitBytes}), RocksDB's bound and use ({@code storage.memory}) and the
   * execution state's page cache bound ({@code execution.stateMemory.cacheLimitBytes}; none when
   * unbounded) from each one's {@code /status}, the JVM's own native memory and the mapped files
   * from the first native memory reading of the steady state.
   */
  private static SoakAnalysis.Budget budget(
      LocalCluster cluster, String nodeHeap, List<MemorySeries> series, long steadyStartNs) {
    double heapMib = SoakAnalysis.sizeMib(nodeHeap);
    double storageMib = -1;
    double directMib = -1;
    double stateMib = 0;
    List<Double> used = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      var status = cluster.alive(i) ? cluster.get(i, "/status") : null;
      var memory = status == null ? null : status.path("storage").path("memory");
      if (memory == null || !memory.has("budgetBytes")) {
        used.add(-1.0);
        continue;
      }
      storageMib = Math.max(storageMib, memory.path("budgetBytes").asLong() / 1048576.0);
      used.add(memory.path("cacheBytes").asLong() / 1048576.0);
      var direct = status.findValue("directLimitBytes");
      if (direct != null && direct.asLong(-1) > 0) {
        directMib = Math.max(directMib, direct.asLong() / 1048576.0);
      }
      long stateLimit =
          status.path("execution").path("stateMemory").path("cacheLimitBytes").asLong(-1);
      stateMib = Math.max(stateMib, stateLimit / 1048576.0);
    }
    double[] measured = SoakAnalysis.measuredAtStart(series, steadyStartNs);
    return new SoakAnalysis.Budget(
        heapMib, storageMib, directMib, measured[0], measured[1], used, stateMib);
  }

  /**
   * Samples every validator each {@code sampleNs} from the load's start until its offered load ends
   * (the drain is not sampled: the load has stopped there). A validator that exits is a failure.
   */
  private static void sample(
      LocalCluster cluster,
      List<MemorySeries> series,
      Options o,
      long t0,
      Thread load,
      List<String> failures,
      PrintWriter log)
      throws InterruptedException, IOException {
    boolean[] reported = new boolean[series.size()];
    long previous = -1;
    long lastNativeMemory = -1;
    try (PrintWriter csv =
        new PrintWriter(Files.newBufferedWriter(o.dir().resolve("memory.csv")), true)) {
      StringBuilder header = new StringBuilder("t_s,validator,rss_bytes,heap_used_bytes");
      for (MemoryPart part : MemoryPart.values()) {
        header.append(',').append(part.name().toLowerCase(Locale.ROOT));
      }
      csv.println(header);
      while (true) {
        long next = SoakAnalysis.nextSample(previous, System.nanoTime() - t0, o.sampleNs());
        if (next > o.durationNs() || !load.isAlive()) {
          return;
        }
        long left;
        while ((left = t0 + next - System.nanoTime()) > 0) {
          if (!load.isAlive()) {
            return;
          }
          TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
        previous = next;
        long t = System.nanoTime() - t0;
        boolean nativeMemory = SoakAnalysis.due(lastNativeMemory, t, NATIVE_MEMORY_EVERY_NS);
        if (nativeMemory) {
          lastNativeMemory = t;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "t=%5.0f s", t / 1e9));
        for (int i = 0; i < series.size(); i++) {
          long pid = cluster.pid(i);
          long rss = pid < 0 ? -1 : ProcMemory.rssBytes(pid);
          long heap = pid < 0 ? -1 : ProcMemory.heapUsedBytes(pid);
          if (rss < 0) {
            if (!reported[i]) {
              reported[i] = true;
              failures.add("v" + i + " stopped during the soak (see its node.log)");
              say(log, "v%d is not running", i);
            }
            continue;
          }
          long[] parts = parts(cluster, i, pid, nativeMemory);
          series.get(i).add(t, rss, heap, parts);
          StringBuilder row =
              new StringBuilder(
                  String.format(Locale.ROOT, "%.1f,v%d,%d,%d", t / 1e9, i, rss, heap));
          for (long part : parts) {
            row.append(',').append(part);
          }
          csv.println(row);
          long rocks = parts[MemoryPart.ROCKSDB_CACHE.ordinal()];
          line.append(
              String.format(
                  Locale.ROOT,
                  "  v%d RSS %6.1f heap %s rocksdb %s",
                  i,
                  rss / 1048576.0,
                  heap < 0 ? "-" : String.format(Locale.ROOT, "%5.1f", heap / 1048576.0),
                  rocks < 0 ? "-" : String.format(Locale.ROOT, "%5.1f", rocks / 1048576.0)));
        }
        line.append("  (MiB), commit ").append(cluster.highestCommit());
        say(log, "%s", line);
      }
    }
  }

  /** The {@link MemoryPart}s of validator {@code i} (process {@code pid}) now; -1 where unknown. */
  private static long[] parts(LocalCluster cluster, int i, long pid, boolean nativeMemory) {
    long[] parts = MemoryPart.unknown();
    var status = cluster.get(i, "/status");
    var memory = status == null ? null : status.path("storage").path("memory");
    if (memory != null && memory.has("cacheBytes")) {
      parts[MemoryPart.ROCKSDB_CACHE.ordinal()] = memory.path("cacheBytes").asLong(-1);
      parts[MemoryPart.ROCKSDB_PINNED.ordinal()] = memory.path("cachePinnedBytes").asLong(-1);
      parts[MemoryPart.ROCKSDB_MEMTABLES.ordinal()] = memory.path("memtableBytes").asLong(-1);
      parts[MemoryPart.ROCKSDB_TABLE_READERS.ordinal()] =
          memory.path("tableReaderBytes").asLong(-1);
      parts[MemoryPart.ROCKSDB_CAPACITY.ordinal()] = memory.path("budgetBytes").asLong(-1);
    }
    var state = status == null ? null : status.path("execution").path("stateMemory");
    if (state != null && state.has("offHeapBytes")) {
      parts[MemoryPart.STATE_PAGES.ordinal()] = state.path("offHeapBytes").asLong(-1);
      parts[MemoryPart.STATE_CACHE_LIMIT.ordinal()] = state.path("cacheLimitBytes").asLong(-1);
      parts[MemoryPart.STATE_ALL_PAGES.ordinal()] = state.path("pagedBytes").asLong(-1);
    }
    long[] kernel = ProcMemory.statusFields(pid, "RssAnon", "RssFile");
    parts[MemoryPart.RSS_ANON.ordinal()] = kernel[0];
    parts[MemoryPart.RSS_FILE.ordinal()] = kernel[1];
    ProcMemory.MallocHeaps heaps = ProcMemory.mallocHeaps(pid);
    if (heaps != null) {
      parts[MemoryPart.MALLOC_HEAPS.ordinal()] = heaps.count();
      parts[MemoryPart.MALLOC_RSS.ordinal()] = heaps.rssBytes();
    }
    java.util.Map<String, Long> nmt = nativeMemory ? ProcMemory.nativeMemory(pid) : null;
    if (nmt != null) {
      parts[MemoryPart.JVM_NATIVE.ordinal()] = nmt.get("Total") - nmt.getOrDefault("Java Heap", 0L);
      parts[MemoryPart.JVM_DIRECT.ordinal()] = nmt.getOrDefault("Other", 0L);
      parts[MemoryPart.JVM_CODE.ordinal()] = nmt.getOrDefault("Code", 0L);
      parts[MemoryPart.JVM_METASPACE.ordinal()] =
          nmt.getOrDefault("Class", 0L) + nmt.getOrDefault("Metaspace", 0L);
      parts[MemoryPart.JVM_GC.ordinal()] =
          nmt.getOrDefault("GC", 0L) + nmt.getOrDefault("GCCardSet", 0L);
      parts[MemoryPart.JVM_THREAD.ordinal()] = nmt.getOrDefault("Thread", 0L);
      parts[MemoryPart.JVM_COMPILER.ordinal()] =
          nmt.getOrDefault("Compiler", 0L) + nmt.getOrDefault("Arena Chunk", 0L);
    }
    return parts;
  }

  /**
   * Waits up to {@code waitNs} for every validator to store the highest commit any of them stores;
   * each that does not is a failure (a validator whose execution stopped while its process lives
   * falls behind here).
   */
  private static void behind(
      LocalCluster cluster, long waitNs, List<String> failures, PrintWriter log)
      throws InterruptedException {
    long highest = cluster.highestCommit();
    long deadline = System.nanoTime() + Math.max(waitNs, TimeUnit.SECONDS.toNanos(10));
    long[] latest = new long[cluster.size()];
    while (true) {
      boolean all = true;
      for (int i = 0; i < cluster.size(); i++) {
        latest[i] = cluster.latestCommit(i);
        all &= latest[i] >= highest;
      }
      if (all || System.nanoTime() > deadline) {
        break;
      }
      TimeUnit.SECONDS.sleep(1);
    }
    for (int i = 0; i < cluster.size(); i++) {
      if (latest[i] < highest) {
        failures.add(
            "v" + i + " stores commits up to " + latest[i] + ", the highest is " + highest);
      }
    }
    say(
        log,
        "commit heights at the end: %s (highest %d)",
        java.util.Arrays.toString(latest),
        highest);
  }

  private static void say(PrintWriter log, String format, Object... args) {
    log.printf(Locale.ROOT, format + "%n", args);
    log.flush();
  }
}
