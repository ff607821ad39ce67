package dev.agentledger.bench.cli;

import dev.agentledger.bench.loadgen.FindMax;
import dev.agentledger.bench.loadgen.GeneratorCapacity;
import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.LoadTarget;
import dev.agentledger.bench.loadgen.LoadTargetFactory;
import dev.agentledger.bench.loadgen.NanoClock;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.WorkloadFile;
import dev.agentledger.bench.loadgen.core.FindMaxSearch;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.bench.loadgen.core.RateSchedule;
import dev.agentledger.bench.loadgen.local.LocalPipelineTarget;
import dev.agentledger.bench.report.GitInfo;
import dev.agentledger.bench.report.HardwareManifest;
import dev.agentledger.bench.report.ReportBuilder;
import dev.agentledger.bench.report.ReportFiles;
import dev.agentledger.bench.report.RunReport;
import dev.agentledger.node.cli.MalformedInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentledger loadgen}: open-loop load against a target, a report, optionally find-max. */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description = {
      "Open-loop load generator that writes report.json and report.html.",
      "Pre-signed AgentRun records are sent on a schedule, latency is taken from the intended"
          + " send time, every loss is counted. Target 'local' is the single-process"
          + " verify-hash-fsync pipeline, NOT the cluster."
    })
public final class LoadgenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      defaultValue = "local",
      description =
          "local (in-process pipeline) or a registered target (cluster). Default: ${DEFAULT-VALUE}.")
  String target;

  @Option(
      names = "--target-opt",
      paramLabel = "KEY=VALUE",
      description = "Option passed to a registered target factory (repeatable).")
  Map<String, String> targetOptions = new LinkedHashMap<>();

  @Option(
      names = "--rate",
      paramLabel = "TPS",
      description =
          "Fixed offered rate (overrides the workload's rounds). Default 1000 without a workload.")
  Double rate;

  @Option(
      names = "--duration-s",
      paramLabel = "SECONDS",
      description = "Length of a fixed-rate run. Default: ${DEFAULT-VALUE}.")
  double durationSeconds = 10;

  /** The former spelling of {@code --duration-s}, kept working but not listed. */
  @Option(names = "--duration", hidden = true, paramLabel = "S")
  void legacyDuration(double value) {
    durationSeconds = value;
  }

  @Option(
      names = "--workload",
      paramLabel = "FILE",
      description =
          "Caliper-style YAML workload (rounds with fixed-rate, linear-rate, step-rate; contents). 'builtin:NAME' for a shipped one.")
  String workload;

  @Option(
      names = "--find-max",
      description = "Search the highest rate holding p99 under --p99-target-ms with nothing lost.")
  boolean findMax;

  @Option(
      names = "--p99-target-ms",
      paramLabel = "MS",
      defaultValue = "100",
      description = "p99 commit latency a find-max probe must hold. Default: ${DEFAULT-VALUE}.")
  double p99TargetMs;

  @Option(
      names = "--probe-s",
      paramLabel = "S",
      description = "Length of each find-max probe. Default: ${DEFAULT-VALUE}.")
  double probeSeconds = 5;

  /** The former spelling of {@code --probe-s}, kept working but not listed. */
  @Option(names = "--probe-seconds", paramLabel = "S", hidden = true)
  void legacyProbeSeconds(double value) {
    probeSeconds = value;
  }

  @Option(
      names = "--warmup-s",
      paramLabel = "S",
      description = "find-max: discarded warmup run at the start rate. Default: ${DEFAULT-VALUE}.")
  double warmupSeconds = 3;

  /** The former spelling of {@code --warmup-s}, kept working but not listed. */
  @Option(names = "--warmup-seconds", paramLabel = "N", hidden = true)
  void legacyWarmupSeconds(double value) {
    warmupSeconds = value;
  }

  @Option(
      names = "--max-probes",
      paramLabel = "N",
      defaultValue = "10",
      description = "Most find-max probes. Default: ${DEFAULT-VALUE}.")
  int maxProbes;

  @Option(
      names = "--precision",
      defaultValue = "0.05",
      description =
          "find-max stops when pass and fail are this close (relative). Default: ${DEFAULT-VALUE}.")
  double precision;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      description =
          "Where report.json and report.html go. Default: target/bench-reports/loadgen-TIMESTAMP.")
  Path reportDir;

  @Option(
      names = "--pool-size",
      paramLabel = "N",
      description =
          "Pre-signed records (default: the run's count, at most 1,048,576; find-max: 32,768, reused across probes).")
  Integer poolSize;

  @Option(
      names = "--agents",
      description = "Distinct agent keys (default from the workload, else 10000).")
  Integer agents;

  @Option(names = "--seed", description = "Seed of the pool contents.")
  Long seed;

  @Option(
      names = "--bad-signature-fraction",
      paramLabel = "FRACTION",
      description = "Fraction of records with corrupted signatures.")
  Double badSignatureFraction;

  @Option(
      names = "--invalid-fraction",
      paramLabel = "FRACTION",
      description = "Fraction of records failing field validation.")
  Double invalidFraction;

  @Option(
      names = "--verifiers",
      description = "local target: sigverify threads (default cores - 1, at least 1).")
  Integer verifiers;

  @Option(
      names = "--commit-batch",
      paramLabel = "N",
      defaultValue = "4096",
      description = "local target: most transactions per group commit. Default: ${DEFAULT-VALUE}.")
  int commitBatch;

  @Option(
      names = "--no-fsync",
      description = "local target: do not fsync batches (the report says so).")
  boolean noFsync;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "local target: where the batch log goes (default: the report directory).")
  Path dataDir;

  @Option(
      names = "--drain-s",
      paramLabel = "S",
      description =
          "Wait this long after the schedule for outstanding commits. Default: ${DEFAULT-VALUE}.")
  double drainSeconds = 10;

  /** The former spelling of {@code --drain-s}, kept working but not listed. */
  @Option(names = "--drain-seconds", hidden = true, paramLabel = "S")
  void legacyDrainSeconds(double value) {
    drainSeconds = value;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    validateOptions();
    Path home = Path.of(System.getProperty("agentledger.home", "."));
    Path reports =
        reportDir != null
            ? reportDir
            : home.resolve(
                "target/bench-reports/loadgen-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Path data = dataDir != null ? dataDir : reports;

    WorkloadFile file = loadWorkload();
    RunContents contents = file != null ? file.contents() : RunContents.defaults();
    if (agents != null) {
      contents = contents.withAgents(agents);
    }
    if (seed != null) {
      contents = contents.withSeed(seed);
    }
    if (badSignatureFraction != null || invalidFraction != null) {
      contents =
          contents.withBadFractions(
              badSignatureFraction != null ? badSignatureFraction : contents.badSignatureFraction(),
              invalidFraction != null ? invalidFraction : contents.invalidFieldFraction());
    }
    dev.agentledger.bench.loadgen.cluster.ClusterDir cluster = null;
    if (target.equals("cluster")) {
      if (findMax) {
        throw new MalformedInputException(
            "--find-max with --target cluster: use 'agentledger demo --find-max' (every probe needs fresh agents: replayed nonces are refused)");
      }
      String dirOption = targetOptions.get("cluster-dir");
      if (dirOption == null) {
        throw new MalformedInputException(
            "--target cluster needs --target-opt cluster-dir=DIR (a 'cluster init --load-agents N' directory)");
      }
      try {
        cluster = dev.agentledger.bench.loadgen.cluster.ClusterDir.read(Path.of(dirOption));
      } catch (dev.agentledger.node.config.ConfigException e) {
        throw new MalformedInputException(e.getMessage());
      }
      int registered = cluster.agents().count();
      contents =
          contents
              .withChainId(cluster.chainId())
              .withAgents(Math.min(registered, agents != null ? agents : registered));
    }
    RateSchedule schedule;
    if (rate != null || file == null) {
      schedule = new FixedRate(rate != null ? rate : 1000, (long) (durationSeconds * 1e9));
    } else {
      schedule = file.schedule();
    }

    Supplier<LoadTarget> targets = targetSupplier(data, contents.chainId());
    String targetDescription;
    try (LoadTarget probe = targets.get()) {
      targetDescription = probe.info().description();
    }
    out.println("target: " + target + " -- " + targetDescription);

    int size =
        poolSize != null ? poolSize : findMax ? 32_768 : (int) Math.min(schedule.count(), 1 << 20);
    size = Math.max(1, Math.min(size, PresignedPool.MAX_SIZE));
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        Locale.ROOT,
        "signing pool: %,d records, %,d agents, %d threads...%n",
        size,
        contents.agents(),
        cores);
    out.flush();
    if (cluster != null) {
      size =
          (int)
              Math.min(
                  Math.max(size, schedule.count()),
                  PresignedPool.MAX_SIZE); // a cluster refuses repeated records
    }
    dev.agentledger.bench.loadgen.cluster.ClusterDir signer = cluster;
    PresignedPool pool =
        signer == null
            ? PresignedPool.build(contents, size, cores)
            : PresignedPool.build(contents, size, cores, i -> signer.agents().key(i));
    out.printf(
        Locale.ROOT,
        "pool ready in %.2f s (%,.0f signatures/s)%n",
        pool.buildNs() / 1e9,
        size * 1e9 / pool.buildNs());
    GeneratorCapacity capacity = GeneratorCapacity.measure(pool, 2_000_000);
    out.printf(
        Locale.ROOT,
        "generator capacity (measured, discarding sink): %,.0f sends/s, %.1f ns CPU/send%n",
        capacity.sendsPerSecond(),
        capacity.cpuNsPerSend());
    out.flush();

    LoadGenerator.Options options =
        new LoadGenerator.Options((long) (drainSeconds * 1e9), TimeUnit.MILLISECONDS.toNanos(20));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(
        "command",
        "agentledger " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    config.put("target", target);
    config.put(
        "workload",
        file != null ? file.name() + " (" + workload + ")" : "none (fixed rate from options)");
    config.put("contents", contents.toString());
    config.put("poolSize", size);
    config.put("drainSeconds", drainSeconds);
    if (target.equals("local")) {
      LocalPipelineTarget.Config c = localConfig(data, contents.chainId());
      config.put("local.verifiers", c.verifiers());
      config.put("local.maxCommitBatch", c.maxCommitBatch());
      config.put("local.fsync", c.fsync());
      config.put("local.dataDir", data.toString());
    }
    config.putAll(new LinkedHashMap<>(targetOptions));

    RunReport report;
    HardwareManifest hardware = HardwareManifest.collect();
    GitInfo git = GitInfo.collect();
    if (findMax) {
      double start = rate != null ? rate : 1000;
      FindMaxSearch search =
          new FindMaxSearch(start, (long) (p99TargetMs * 1e6), precision, maxProbes, 1);
      config.put("findMax.startTps", start);
      config.put("findMax.p99TargetMs", p99TargetMs);
      config.put("findMax.probeSeconds", probeSeconds);
      config.put("findMax.warmupSeconds", warmupSeconds);
      out.printf(
          Locale.ROOT,
          "find-max: p99 <= %.1f ms, zero loss; %.1f s warmup, then probes of %.1f s from %,.0f tps%n",
          p99TargetMs,
          warmupSeconds,
          probeSeconds,
          start);
      out.flush();
      FindMax.Outcome outcome =
          FindMax.run(
              search,
              warmupSeconds,
              probeSeconds,
              pool,
              targets,
              NanoClock.SYSTEM,
              options,
              p -> {
                out.printf(
                    Locale.ROOT,
                    "  probe %,10.0f tps: %-4s committed %,9.0f tps, p99 %8.2f ms, lost %d, shed %d  (%s)%n",
                    p.rateTps(),
                    p.pass() ? "PASS" : "FAIL",
                    p.result().committed() / probeSeconds,
                    p.result().p99CommitLatencyNs() / 1e6,
                    p.result().lost(),
                    p.result().overloadRejections(),
                    p.reason());
                out.flush();
              });
      List<RunReport.Probe> probes = new ArrayList<>();
      for (FindMaxSearch.Probe p : search.probes()) {
        probes.add(
            new RunReport.Probe(
                p.rateTps(),
                p.pass(),
                p.reason(),
                p.result().committed() / probeSeconds,
                p.result().p99CommitLatencyNs() / 1e6,
                p.result().lost(),
                p.result().unanswered(),
                p.result().overloadRejections()));
      }
      RunReport.FindMax section =
          new RunReport.FindMax(
              p99TargetMs, search.maxRateTps(), search.generatorBound(), probeSeconds, probes);
      String title =
          String.format(
              Locale.ROOT,
              "find-max on %s: %,.0f tps at p99 <= %.0f ms",
              target,
              search.maxRateTps(),
              p99TargetMs);
      report =
          ReportBuilder.build(
              "find-max",
              title,
              targetsInfo(targets),
              outcome.bestRun(),
              pool,
              capacity,
              config,
              hardware,
              git,
              section,
              List.of(
                  "The run shown in the sections above is the "
                      + (search.maxRateTps() > 0
                          ? "highest passing probe"
                          : "last probe (none passed)")
                      + "."));
    } else {
      out.printf(
          Locale.ROOT, "running: %s (%,d transactions)%n", schedule.describe(), schedule.count());
      out.flush();
      LoadGenerator.RunResult run =
          LoadGenerator.run(schedule, pool, targets.get(), NanoClock.SYSTEM, options);
      String title =
          String.format(
              Locale.ROOT, "loadgen on %s: %,.0f committed tps", target, run.committedTps());
      report =
          ReportBuilder.build(
              "loadgen",
              title,
              targetsInfo(targets),
              run,
              pool,
              capacity,
              config,
              hardware,
              git,
              null,
              List.of(),
              rate != null || file == null ? List.of() : file.roundLabels());
    }
    ReportFiles.Written written = ReportFiles.write(report, reports);
    printSummary(out, report);
    out.println("report: " + written.json());
    out.println("report: " + written.html());
    return report.counts().lost() == 0 && report.counts().unanswered() == 0 ? 0 : 1;
  }

  static void printSummary(PrintWriter out, RunReport r) {
    RunReport.Counts c = r.counts();
    out.printf(Locale.ROOT, "%n== %s ==%n", r.title());
    out.printf(
        Locale.ROOT,
        "offered %,.0f tps, committed %,.0f tps (%s)%n",
        r.throughput().offeredTps(),
        r.throughput().committedTps(),
        r.throughput().schedule());
    out.printf(
        Locale.ROOT,
        "submitted %,d  accepted %,d  rejected %,d %s  committed %,d  LOST %,d  unanswered %,d%n",
        c.submitted(),
        c.accepted(),
        c.rejected(),
        c.rejectedByReason(),
        c.committed(),
        c.lost(),
        c.unanswered());
    if (c.retries() > 0) {
      out.printf(Locale.ROOT, "retried %,d (passing refusals resubmitted)%n", c.retries());
    }
    String whileOffered = RunReport.whileOffered(r);
    if (whileOffered != null) {
      out.println(whileOffered);
    }
    RunReport.Percentiles p = r.latency().commitFromIntended();
    out.printf(
        Locale.ROOT,
        "commit latency from intended send (ms): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
        p.p50Ms(),
        p.p90Ms(),
        p.p99Ms(),
        p.p999Ms(),
        p.maxMs());
    RunReport.Percentiles lag = r.generator().sendLag();
    out.printf(
        Locale.ROOT,
        "generator: capacity %,.0f sends/s (measured); send lag p99 %.3f ms, max %.3f ms%n",
        r.generator().capacityTps(),
        lag.p99Ms(),
        lag.maxMs());
    StringBuilder stages = new StringBuilder();
    for (RunReport.Stage s : r.cpu().stages()) {
      if (!s.name().startsWith(DemoCommand.STAGE_PREFIX)) {
        stages.append(String.format(Locale.ROOT, "%s %.0f  ", s.name(), s.cpuNsPerCommittedTx()));
      }
    }
    String breakdown = stageBreakdown(r.cpu().stages());
    out.printf(
        Locale.ROOT,
        "CPU ns per committed tx (measured): %sthis process %.0f%n",
        stages,
        r.cpu().processCpuNsPerCommittedTx());
    if (breakdown.length() > 0) {
      out.printf(
          Locale.ROOT,
          "CPU ns per committed tx per validator, by stage (measured, mean over the validators;"
              + " then heap bytes its threads allocated per committed tx):%s%n",
          breakdown);
    }
    printRounds(out, r.rounds());
    if (r.findMax() != null) {
      out.printf(
          Locale.ROOT,
          "FIND-MAX: %,.0f tps holds p99 <= %.1f ms with zero loss%s%n",
          r.findMax().maxRateTps(),
          r.findMax().p99TargetMs(),
          r.findMax().generatorBound()
              ? " (bounded by the generator falling behind its schedule: the limit may be the generator's or the CPU it shares with the target)"
              : "");
    }
  }

  /**
   * The lines of the per-validator stage breakdown ({@link DemoCommand#STAGE_PREFIX}), each
   * starting with a line break: the stage, its CPU ns per committed transaction and, where it was
   * measured, the heap bytes its threads allocated per committed transaction; empty when no stage
   * has that prefix.
   */
  static String stageBreakdown(List<RunReport.Stage> stages) {
    StringBuilder breakdown = new StringBuilder();
    for (RunReport.Stage s : stages) {
      if (s.name().startsWith(DemoCommand.STAGE_PREFIX)) {
        breakdown.append(
            String.format(
                Locale.ROOT,
                "%n  %-58s %,10.0f",
                s.name().substring(DemoCommand.STAGE_PREFIX.length()),
                s.cpuNsPerCommittedTx()));
        if (s.allocatedBytesPerCommittedTx() >= 0) {
          breakdown.append(
              String.format(Locale.ROOT, " %,10.0f B", s.allocatedBytesPerCommittedTx()));
        }
      }
    }
    return breakdown.toString();
  }

  /**
   * The per-round table when the run had more than one round: the warm-up round first and apart,
   * then the others, then those others taken together.
   */
  static void printRounds(PrintWriter out, RunReport.Rounds rounds) {
    if (rounds == null || rounds.rounds().size() < 2) {
      return;
    }
    String format = "  %-16s %8.1f %12.1f %10d %10d %9d %11.2f %11.2f%n";
    out.printf(
        Locale.ROOT,
        "rounds:%n  %-16s %8s %12s %10s %10s %9s %11s %11s%n",
        "label",
        "s",
        "offered tps",
        "submitted",
        "committed",
        "rejected",
        "p50 ms",
        "p99 ms");
    for (boolean warmupPass : new boolean[] {true, false}) {
      for (RunReport.Round round : rounds.rounds()) {
        if (round.warmup() == warmupPass) {
          out.printf(
              Locale.ROOT,
              format,
              (round.warmup() ? "(warm-up) " : "") + round.label(),
              round.scheduleSeconds(),
              round.offeredTps(),
              round.submitted(),
              round.committed(),
              round.rejected(),
              round.commitFromIntended().p50Ms(),
              round.commitFromIntended().p99Ms());
        }
      }
    }
    RunReport.Round after = rounds.afterWarmup();
    if (after != null) {
      out.printf(
          Locale.ROOT,
          format,
          after.label(),
          after.scheduleSeconds(),
          after.offeredTps(),
          after.submitted(),
          after.committed(),
          after.rejected(),
          after.commitFromIntended().p50Ms(),
          after.commitFromIntended().p99Ms());
    }
  }

  private void validateOptions() {
    if (rate != null && !(rate > 0)) {
      throw new MalformedInputException("--rate must be positive: " + rate);
    }
    if (!(durationSeconds > 0)
        || !(probeSeconds > 0)
        || !(p99TargetMs > 0)
        || drainSeconds < 0
        || !(precision > 0)
        || warmupSeconds < 0) {
      throw new MalformedInputException(
          "--duration-s, --probe-s, --p99-target-ms, --precision must be positive, --drain-s >= 0");
    }
    if (maxProbes < 1
        || commitBatch < 1
        || (verifiers != null && verifiers < 1)
        || (poolSize != null && poolSize < 1)
        || (agents != null && agents < 1)) {
      throw new MalformedInputException(
          "--max-probes, --commit-batch, --verifiers, --pool-size, --agents must be at least 1");
    }
  }

  private WorkloadFile loadWorkload() throws IOException {
    if (workload == null) {
      return null;
    }
    try {
      if (workload.startsWith("builtin:")) {
        return WorkloadFile.builtin(workload.substring("builtin:".length()));
      }
      Path path = Path.of(workload);
      if (!Files.isRegularFile(path)) {
        throw new MalformedInputException("--workload: no such file: " + workload);
      }
      return WorkloadFile.read(path);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("--workload " + e.getMessage());
    }
  }

  private LocalPipelineTarget.Config localConfig(Path data, int chainId) {
    LocalPipelineTarget.Config d = LocalPipelineTarget.Config.defaults(data);
    return new LocalPipelineTarget.Config(
        verifiers != null ? verifiers : d.verifiers(),
        commitBatch,
        data,
        chainId,
        !noFsync,
        false,
        d.queueBytes());
  }

  private Supplier<LoadTarget> targetSupplier(Path data, int chainId) throws IOException {
    if (target.equals("local")) {
      LocalPipelineTarget.Config config = localConfig(data, chainId);
      return () -> new LocalPipelineTarget(config);
    }
    LoadTargetFactory factory =
        LoadTargetFactory.find(target)
            .orElseThrow(
                () ->
                    new IOException(
                        "no load target '"
                            + target
                            + "' in this build: 'local' is built in; 'cluster' comes with the node client (branch nodedata) through the LoadTargetFactory service"));
    Map<String, String> opts = Map.copyOf(targetOptions);
    return () -> {
      try {
        return factory.create(opts);
      } catch (Exception e) {
        throw new IllegalStateException("target '" + target + "': " + e.getMessage(), e);
      }
    };
  }

  private static dev.agentledger.bench.loadgen.TargetInfo targetsInfo(Supplier<LoadTarget> targets)
      throws Exception {
    try (LoadTarget t = targets.get()) {
      return t.info();
    }
  }
}
