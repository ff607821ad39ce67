package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.bench.soak.SoakRunner;
import dev.agentledger.bench.soak.core.MemoryPart;
import dev.agentledger.bench.soak.core.MemorySeries;
import dev.agentledger.bench.soak.core.SoakAnalysis;
import dev.agentledger.node.cli.MalformedInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger soak}: a long constant load against a local cluster of real validator
 * processes, with each validator's memory sampled. Prints one progress line per sample, then the
 * table (or JSON), and exits 1 when an accepted run was lost, the chains differ, a proof failed or
 * RSS was not flat.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Run a constant honest load against a local cluster of real validator processes for minutes and check that memory stays flat.",
      "Starts the validators (cluster init + node run), offers the load from the load generator,"
          + " and samples each validator's RSS (/proc/PID/status) and heap used (jstat -gc) at"
          + " a fixed interval, with the memory's parts (RocksDB's cache, memtables and table"
          + " readers from /status, glibc's malloc heaps and RssAnon/RssFile from /proc, and once"
          + " a minute the JVM's native memory tracking; every sample also goes to memory.csv in"
          + " the run directory). At the end it prints, per validator, RSS at the start of the"
          + " steady state (after the warm-up), at the end, its maximum and its least-squares"
          + " slope over the second half of the steady state, then committed tps, accepted and"
          + " lost runs, the fork check and the proofs verified, and a validator's memory budget"
          + " (heap + RocksDB's bound from /status + the JVM outside the heap) against the"
          + " highest RSS, and the slope of each part (what the RSS growth is made of). RSS"
          + " growth that is RocksDB filling its cache within its capacity, with RSS outside"
          + " RocksDB flat, counts as flat. Exits 1 when an accepted run was"
          + " lost, the chains differ, a proof did not verify, a validator stopped or stayed behind"
          + " the highest commit, or a slope reached the threshold."
          + " Stops every process it started."
    })
public final class SoakCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LocalClusterOptions cluster = new LocalClusterOptions(18500);

  @Option(
      names = "--minutes",
      paramLabel = "MINUTES",
      defaultValue = "30",
      description = "How long the load is offered. Default: ${DEFAULT-VALUE}.")
  double minutes;

  @Option(
      names = "--rate",
      paramLabel = "TPS",
      defaultValue = "500",
      description =
          "Offered rate; a soak runs at about half the cluster's maximum. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--warmup-s",
      paramLabel = "SECONDS",
      description =
          "Samples before this are not part of the steady state. Default: a quarter of the run, at most 300.")
  Double warmupSeconds;

  @Option(
      names = "--sample-s",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "Interval between memory samples. Default: ${DEFAULT-VALUE}.")
  double sampleSeconds;

  @Option(
      names = "--max-rss-slope",
      paramLabel = "MIB_PER_HOUR",
      defaultValue = "50",
      description =
          "RSS is flat when every validator's slope over the second half of the steady state is below this (MiB per hour), or its slope outside RocksDB is and RocksDB stayed within its bound. Default: ${DEFAULT-VALUE}.")
  double maxSlope;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the signed runs and the proof sample. Default: random.")
  Long seed;

  @Option(
      names = "--proofs",
      paramLabel = "N",
      defaultValue = "20",
      description = "Committed runs proved and verified at the end. Default: ${DEFAULT-VALUE}.")
  int proofs;

  @Option(
      names = "--drain-s",
      paramLabel = "SECONDS",
      description =
          "Wait this long after the load for outstanding commits. Default: ${DEFAULT-VALUE}.")
  double drainSeconds = 60;

  @Option(
      names = "--ready-timeout-s",
      paramLabel = "SECONDS",
      description = "Wait this long for the validators to serve. Default: ${DEFAULT-VALUE}.")
  int readyTimeoutSeconds = 180;

  @Option(
      names = "--load-agents",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Agents in the genesis that sign the load. Default: ${DEFAULT-VALUE}.")
  int loadAgents;

  @Override
  public Integer call() throws Exception {
    double durationSeconds = minutes * 60;
    double warmup = warmupSeconds != null ? warmupSeconds : Math.min(300, durationSeconds / 4);
    if (!(minutes > 0)
        || !(rate > 0)
        || !(sampleSeconds > 0)
        || !(warmup >= 0)
        || warmup >= durationSeconds
        || !(maxSlope > 0)
        || proofs < 1
        || !(drainSeconds >= 0)
        || readyTimeoutSeconds < 1
        || loadAgents < 1) {
      throw new MalformedInputException(
          "--minutes, --rate, --sample-s and --max-rss-slope must be positive, --warmup-s >= 0 and"
              + " shorter than the run, --proofs and --load-agents at least 1, --drain-s >= 0,"
              + " --ready-timeout-s positive");
    }
    if ((durationSeconds - warmup) / 2 < 2 * sampleSeconds) {
      throw new MalformedInputException(
          "the second half of the steady state ("
              + (durationSeconds - warmup) / 2
              + " s) must hold at least two samples: shorten --sample-s or --warmup-s");
    }
    if (cluster.validators < 4) {
      throw new MalformedInputException("--validators must be at least 4: " + cluster.validators);
    }
    long runSeed = seed != null ? seed : new java.security.SecureRandom().nextLong();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter log = cluster.json ? spec.commandLine().getErr() : out;
    Path runDir = cluster.runDir("soak");
    log.printf(
        Locale.ROOT,
        "soak: %.1f min at %.0f tps, warm-up %.0f s, a sample every %.0f s, seed %d, run directory"
            + " %s%n",
        minutes,
        rate,
        warmup,
        sampleSeconds,
        runSeed,
        runDir);
    log.flush();
    SoakRunner.Result r =
        SoakRunner.run(
            new SoakRunner.Options(
                runDir,
                cluster.validators,
                cluster.basePort,
                loadAgents,
                cluster.nodeHeap,
                runSeed,
                rate,
                (long) (durationSeconds * 1e9),
                (long) (warmup * 1e9),
                (long) (sampleSeconds * 1e9),
                (long) (drainSeconds * 1e9),
                proofs,
                Duration.ofSeconds(readyTimeoutSeconds),
                maxSlope),
            log);
    if (cluster.json) {
      out.println(toJson(r, runSeed, rate, minutes, maxSlope));
    } else {
      out.print(SoakAnalysis.render(r.rows(), r.load(), r.verdict(), maxSlope));
      out.print(SoakAnalysis.renderBudget(r.budget(), r.rows()));
      out.print(SoakAnalysis.renderAttribution(r.attributions()));
    }
    out.flush();
    return r.verdict().pass() ? 0 : 1;
  }

  static String toJson(SoakRunner.Result r, long seed, double rate, double minutes, double maxSlope)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root =
        mapper
            .createObjectNode()
            .put("seed", seed)
            .put("rateTps", rate)
            .put("minutes", minutes)
            .put("maxRssSlopeMibPerHour", maxSlope);
    ArrayNode rows = root.putArray("validators");
    for (SoakAnalysis.Row row : r.rows()) {
      rows.addObject()
          .put("validator", row.name())
          .put("samples", row.samples())
          .put("rssStartMib", row.rssStartMib())
          .put("rssEndMib", row.rssEndMib())
          .put("rssMaxMib", row.rssMaxMib())
          .put("rssSlopeMibPerHour", row.slopeMibPerHour())
          .put("heapEndMib", row.heapEndMib())
          .put("heapMaxMib", row.heapMaxMib());
    }
    SoakAnalysis.Load l = r.load();
    root.putObject("load")
        .put("submitted", l.submitted())
        .put("accepted", l.accepted())
        .put("committed", l.committed())
        .put("committedTps", l.committedTps())
        .put("lost", l.lost())
        .put("fork", !l.forkFree())
        .put("heightsCompared", l.heightsCompared())
        .put("proofsFetched", l.proofsFetched())
        .put("proofsVerified", l.proofsVerified());
    SoakAnalysis.Budget b = r.budget();
    ObjectNode budget =
        root.putObject("memoryBudget")
            .put("heapMib", b.heapMib())
            .put("storageMib", b.storageMib())
            .put("jvmOutsideHeapMib", Math.max(0, b.directMib()) + b.jvmMib())
            .put("directMib", b.directMib())
            .put("jvmNativeMib", b.jvmMib())
            .put("jvmNativeMeasured", b.jvmInternalMib() >= 0)
            .put("mappedMib", b.mappedMib())
            .put("stateCacheMib", b.stateCacheMib())
            .put("expectedRssMib", b.expectedMib());
    ArrayNode storageUsed = budget.putArray("storageUsedMib");
    b.storageUsedMib().forEach(storageUsed::add);
    ArrayNode attribution = root.putArray("attribution");
    for (SoakAnalysis.Attribution a : r.attributions()) {
      ObjectNode v =
          attribution
              .addObject()
              .put("validator", a.name())
              .put("rssSlopeMibPerHour", a.rssSlopeMibPerHour())
              .put("outsideRocksDbSlopeMibPerHour", a.outsideRocksDbSlopeMibPerHour())
              .put("rocksDbBounded", a.rocksDbBounded())
              .put("rocksDbEndMib", a.rocksDbEndMib())
              .put("rocksDbCapacityMib", a.rocksDbCapacityMib());
      ObjectNode slopes = v.putObject("slopesPerHour");
      ObjectNode ends = v.putObject("end");
      for (MemoryPart part : MemoryPart.values()) {
        String key = part.name().toLowerCase(Locale.ROOT);
        slopes.put(key, a.slope(part));
        ends.put(key, a.end(part));
      }
    }
    root.put("flat", r.verdict().flat()).put("verdict", r.verdict().pass() ? "PASS" : "FAIL");
    ArrayNode failures = root.putArray("failures");
    r.verdict().failures().forEach(failures::add);
    ArrayNode notes = root.putArray("notes");
    r.verdict().notes().forEach(notes::add);
    ArrayNode samples = root.putArray("samples");
    for (MemorySeries s : r.series()) {
      ObjectNode v = samples.addObject().put("validator", s.name());
      ArrayNode t = v.putArray("tS");
      ArrayNode rss = v.putArray("rssMib");
      ArrayNode heap = v.putArray("heapMib");
      for (int i = 0; i < s.size(); i++) {
        t.add(Math.round(s.timeNs(i) / 1e8) / 10.0);
        rss.add(Math.round(s.rss(i) / 104857.6) / 10.0);
        heap.add(s.heap(i) < 0 ? -1 : Math.round(s.heap(i) / 104857.6) / 10.0);
      }
    }
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
