package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.bench.demo.DemoPreflight;
import dev.agentledger.bench.demo.HttpProofClient;
import dev.agentledger.bench.demo.NodeAotCache;
import dev.agentledger.bench.demo.NodeLauncher;
import dev.agentledger.bench.demo.ProcessSupervisor;
import dev.agentledger.bench.demo.ProofClient;
import dev.agentledger.bench.demo.Readiness;
import dev.agentledger.bench.loadgen.FindMax;
import dev.agentledger.bench.loadgen.GeneratorCapacity;
import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.NanoClock;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.StageCost;
import dev.agentledger.bench.loadgen.TargetInfo;
import dev.agentledger.bench.loadgen.cluster.ClusterDir;
import dev.agentledger.bench.loadgen.cluster.ClusterTarget;
import dev.agentledger.bench.loadgen.core.FindMaxSearch;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.bench.report.GitInfo;
import dev.agentledger.bench.report.HardwareManifest;
import dev.agentledger.bench.report.ReportBuilder;
import dev.agentledger.bench.report.ReportFiles;
import dev.agentledger.bench.report.RunReport;
import dev.agentledger.deploy.cluster.ClusterInit;
import dev.agentledger.deploy.cluster.ClusterLayout;
import dev.agentledger.deploy.cluster.SystemdUnit;
import dev.agentledger.node.cli.AgentLedgerCli;
import dev.agentledger.node.cli.MalformedInputException;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger demo}: a real local cluster end to end. Measures this machine's Ed25519
 * batch-verification rate first (the bound), writes keys and a genesis with load agents into a
 * fresh run directory, starts every validator as its own JVM ({@code node run}), drives open-loop
 * signed AgentRun load, drains, fetches a random sample of committed runs with proofs and verifies
 * them offline, prints the summary beside the bound, writes the report, and stops every process it
 * started (a shutdown hook covers Ctrl-C). Refuses, naming the problem, when a prerequisite is
 * missing; never substitutes a simulation.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run a real N-validator cluster on loopback end to end and report its TPS.",
      "Starts N validators as separate processes (cluster init + node run), drives signed"
          + " AgentRun load through the whole pipeline, drains, fetches and verifies a sample of"
          + " proofs, prints a summary, writes a report, and stops every process it started"
          + " (also on Ctrl-C)."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKER = ".agentledger-demo";

  @Spec CommandSpec spec;

  @Option(
      names = "--duration-s",
      paramLabel = "SECONDS",
      description = "Load duration. Default: ${DEFAULT-VALUE}.")
  double durationSeconds = 30;

  /** The former spelling of {@code --duration-s}, kept working but not listed. */
  @Option(names = "--duration", hidden = true, paramLabel = "S")
  void legacyDuration(double value) {
    durationSeconds = value;
  }

  @Option(
      names = "--rate",
      defaultValue = "200",
      paramLabel = "TPS",
      description =
          "Offered rate (open loop); --find-max searches the highest that holds the p99 target. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--validators",
      defaultValue = "4",
      description = "Validators (processes). Default: ${DEFAULT-VALUE}.")
  int validators;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description =
          "Signature verification backend of the nodes: cpu, opencl, cuda or auto, passed to every 'node run' as --sig-backend"
              + " (a device serves the batches from its calibrated crossover; auto picks the first of cuda, opencl that beats the CPU)."
              + " The report names the backend the validators chose and their kernel launches. Default: ${DEFAULT-VALUE}.")
  String backend;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where run directories go (default: demo-data under the project root). Previous demo runs there are removed.")
  Path dataDir;

  @Option(
      names = "--base-port",
      defaultValue = "19100",
      paramLabel = "PORT",
      description =
          "Validator i listens on PORT+i (peer), +100 (client), +200 (query), +300 (metrics). Default: ${DEFAULT-VALUE}.")
  int basePort;

  @Option(
      names = "--load-agents",
      defaultValue = "4000",
      paramLabel = "N",
      description =
          "Agents registered in the genesis and signing the load. Default: ${DEFAULT-VALUE}.")
  int loadAgents;

  @Option(
      names = "--proofs",
      defaultValue = "100",
      description = "Committed runs to fetch with proofs and verify. Default: ${DEFAULT-VALUE}.")
  int proofs;

  @Option(
      names = "--ready-timeout-s",
      paramLabel = "SECONDS",
      description = "Wait this long for validators to be ready. Default: ${DEFAULT-VALUE}.")
  int readyTimeoutSeconds = 120;

  /** The former spelling of {@code --ready-timeout-s}, kept working but not listed. */
  @Option(names = "--ready-timeout", paramLabel = "S", hidden = true)
  void legacyReadyTimeout(int value) {
    readyTimeoutSeconds = value;
  }

  @Option(
      names = "--drain-s",
      paramLabel = "S",
      description =
          "Wait this long after the load for outstanding commits. Default: ${DEFAULT-VALUE}.")
  double drainSeconds = 30;

  /** The former spelling of {@code --drain-s}, kept working but not listed. */
  @Option(names = "--drain-seconds", paramLabel = "S", hidden = true)
  void legacyDrainSeconds(double value) {
    drainSeconds = value;
  }

  @Option(
      names = "--bound-s",
      paramLabel = "S",
      description =
          "Seconds of the in-process 'speed ed25519' batch measurement (after 3 s JIT warm-up). Default: ${DEFAULT-VALUE}.")
  double boundSeconds = 2;

  /** The former spelling of {@code --bound-s}, kept working but not listed. */
  @Option(names = "--bound-seconds", paramLabel = "SIZE", hidden = true)
  void legacyBoundSeconds(double value) {
    boundSeconds = value;
  }

  @Option(
      names = "--node-heap",
      paramLabel = "SIZE",
      defaultValue = "768m",
      description = "Heap of each validator JVM. Default: ${DEFAULT-VALUE}.")
  String nodeHeap;

  @Option(
      names = "--node-arg",
      paramLabel = "ARG",
      description =
          "Extra argument for every 'node run' (repeatable), e.g. --node-arg=--batch-size=500. Unless one names --verify-threads, --verify-threads=1 is added (batched ingress verification).")
  List<String> nodeArgs = new ArrayList<>();

  @Option(
      names = "--warmup-s",
      paramLabel = "SECONDS",
      description =
          "Before the measured run, drive this long at --rate with agents of their own so every validator JVM"
              + " has compiled its hot paths; reported, never counted (0: none). Default: ${DEFAULT-VALUE}.")
  double warmupSeconds = 20;

  @Option(
      names = "--warmup-max-s",
      paramLabel = "SECONDS",
      description =
          "Keep the warm-up load running past --warmup-s until every validator's JIT compiler threads use under 5%% of a core"
              + " over 5 s in a row under that load, or until that load queues up (over 5 s of --rate unanswered), at most"
              + " this long (at least --warmup-s; 0 or --warmup-s: a fixed --warmup-s). The report says how long it ran,"
              + " why it ended and the compiler CPU it took. Default: ${DEFAULT-VALUE} (off: at 4000 tps a 60 s warm-up at the"
              + " cluster's edge halved the measured run's committed rate, see bench/README).")
  double warmupMaxSeconds = 0;

  @Option(
      names = "--jit-settle-s",
      paramLabel = "SECONDS",
      description =
          "After the warm-up, offer no load until every validator's JIT compiler threads use under 5%% of a core"
              + " for 2 s in a row, at most this long, so the compilations the warm-up queued finish outside the"
              + " measured run; reported, never counted (0: no wait). Default: ${DEFAULT-VALUE}.")
  double jitSettleSeconds = 60;

  /** The former spelling of {@code --warmup-s}, kept working but not listed. */
  @Option(names = "--warmup-seconds", hidden = true, paramLabel = "S")
  void legacyWarmupSeconds(double value) {
    warmupSeconds = value;
  }

  @Option(
      names = "--find-max",
      description =
          "Search the highest rate that holds --p99-target-ms with zero loss (fresh agents per probe), then run --duration-s at half of it.")
  boolean findMax;

  @Option(
      names = "--p99-target-ms",
      paramLabel = "MS",
      defaultValue = "300",
      description = "find-max: p99 commit latency target. Default: ${DEFAULT-VALUE}.")
  double p99TargetMs;

  @Option(
      names = "--probe-s",
      paramLabel = "S",
      description = "find-max: length of each probe. Default: ${DEFAULT-VALUE}.")
  double probeSeconds = 8;

  /** The former spelling of {@code --probe-s}, kept working but not listed. */
  @Option(names = "--probe-seconds", paramLabel = "N", hidden = true)
  void legacyProbeSeconds(double value) {
    probeSeconds = value;
  }

  @Option(
      names = "--max-probes",
      paramLabel = "N",
      defaultValue = "6",
      description = "find-max: most probes. Default: ${DEFAULT-VALUE}.")
  int maxProbes;

  @Override
  public Integer call() throws Exception {
    if (!(durationSeconds > 0)
        || !(rate > 0)
        || validators < 1
        || proofs < 0
        || readyTimeoutSeconds < 1
        || drainSeconds < 0
        || !(boundSeconds > 0)
        || !(p99TargetMs > 0)
        || !(probeSeconds > 0)
        || maxProbes < 1
        || !(warmupSeconds >= 0)
        || !(warmupMaxSeconds >= 0)
        || !(jitSettleSeconds >= 0)) {
      throw new MalformedInputException(
          "--duration-s, --rate, --bound-s, --p99-target-ms, --probe-s must be positive,"
              + " --validators and --max-probes at least 1, --proofs, --drain-s, --warmup-s, --warmup-max-s and"
              + " --jit-settle-s >= 0");
    }
    if (dev.agentledger.node.config.SigBackend.fromConfigName(backend) == null) {
      throw new MalformedInputException(
          "--backend: '" + backend + "' is not one of cpu, opencl, cuda, auto");
    }
    if (nodeArgs.stream().anyMatch(a -> a.startsWith("--sig-backend"))) {
      throw new MalformedInputException(
          "--node-arg=--sig-backend: use --backend, which passes it to every validator");
    }
    int windows = (findMax ? maxProbes + 2 : 1) + (warmupSeconds > 0 ? 1 : 0);
    if (loadAgents < windows || loadAgents > dev.agentledger.node.config.LoadAgents.MAX_COUNT) {
      throw new MalformedInputException(
          "--load-agents must be in "
              + windows
              + ".."
              + dev.agentledger.node.config.LoadAgents.MAX_COUNT);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path home = Path.of(System.getProperty("agentledger.home", ".")).toAbsolutePath();
    Path data = (dataDir != null ? dataDir : home.resolve("demo-data")).toAbsolutePath();
    List<String> problems =
        DemoPreflight.problems(
            Path.of(System.getProperty("java.home")),
            data,
            DemoPreflight.ports(validators, basePort));
    if (!problems.isEmpty()) {
      throw new IOException(
          "cannot run the demo: "
              + String.join("; ", problems)
              + ". The demo runs only against a real cluster and will not simulate one.");
    }
    removePreviousRuns(data, out);
    Path run =
        data.resolve(
            "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(run);
    Files.writeString(
        run.resolve(MARKER), "made by agentledger demo; removed by the next demo run\n");

    if (nodeArgs.stream().noneMatch(a -> a.startsWith("--verify-threads"))) {
      nodeArgs.add("--verify-threads=1");
    }
    nodeArgs.add("--sig-backend=" + backend);
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        Locale.ROOT,
        "measuring the batch-verification bound: speed ed25519 (single and batch 1024), %d threads, %.1f s per row...%n",
        cores,
        boundSeconds);
    out.flush();
    double[] rates = measureVerifyRates(cores);
    double batchRate = rates[1];
    double bound = batchRate / validators;
    out.printf(
        Locale.ROOT,
        "bound: %,.0f batch verifications/s on %d cores / %d validators (each verifies every transaction) = %,.0f tps"
            + " (single verification: %,.0f/s, / %d = %,.0f tps)%n",
        batchRate,
        cores,
        validators,
        bound,
        rates[0],
        validators,
        rates[0] / validators);

    Path clusterPath = run.resolve("cluster");
    ClusterInit.Options initOptions =
        new ClusterInit.Options(
            1 + new SecureRandom().nextLong(Integer.MAX_VALUE),
            1_000_000,
            FeeSchedule.defaults(),
            List.of(),
            1_000_000_000_000L,
            false,
            SystemdUnit.Options.defaults(),
            loadAgents,
            10_000_000_000_000L);
    ClusterInit.write(
        clusterPath,
        ClusterLayout.plan(validators, ClusterLayout.localHosts(), basePort, true),
        initOptions,
        new SecureRandom());
    ClusterDir cluster = ClusterDir.read(clusterPath);
    out.printf(
        Locale.ROOT,
        "cluster init: %d validators, chain %d, %,d load agents -> %s%n",
        validators,
        cluster.chainId(),
        loadAgents,
        clusterPath);
    out.flush();

    // Sign the main run's pool before the validators compete for the CPU (find-max signs per
    // probe).
    RunContents base =
        RunContents.defaults()
            .withChainId(cluster.chainId())
            .withSeed(new SecureRandom().nextLong());
    int window = loadAgents / windows;
    PresignedPool mainPool = null;
    if (!findMax) {
      mainPool =
          pool(base, cluster, 0, window, new FixedRate(rate, (long) (durationSeconds * 1e9)), out);
    }
    // The warm-up's agents are the last window: nothing measured later reuses their nonces. Its
    // pool covers the longest warm-up (--warmup-max-s, within the pool's limit); it usually stops
    // before, once the validators' compilers are quiet under its load.
    double warmupCap = warmupCapSeconds(warmupSeconds, warmupMaxSeconds, rate);
    FixedRate warmupSchedule =
        warmupSeconds > 0 ? new FixedRate(rate, (long) (warmupCap * 1e9)) : null;
    PresignedPool warmupPool =
        warmupSchedule == null
            ? null
            : pool(base, cluster, (windows - 1) * window, window, warmupSchedule, out);

    // The validators start from the node AOT cache of this build; when there is none, validator 0
    // records it at its stop, after the report, for the next runs.
    NodeAotCache aot = NodeAotCache.ofThisBuild();
    boolean recordAot = aot != null && !aot.present();
    String aotState = aot == null ? "off" : recordAot ? "recording" : "used";
    if (aot != null) {
      err.printf(
          Locale.ROOT,
          "node AOT cache %s: %s%n",
          aot.path(),
          recordAot ? "none yet, validator 0 records it at its stop" : "used by every validator");
      err.flush();
    }
    try (ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofSeconds(10))) {
      List<BooleanSupplier> ready = new ArrayList<>();
      for (int i = 0; i < validators; i++) {
        Path nodeDir = clusterPath.resolve("v" + i);
        supervisor.start(
            "v" + i,
            NodeLauncher.nodeRun(
                nodeDir.resolve("node.yaml"),
                nodeHeap,
                recordAot && i == 0 ? aot.recordFlags() : List.of(),
                nodeArgs),
            NodeLauncher.nodeEnvironment(),
            nodeDir,
            nodeDir.resolve("node.log"));
        ready.add(
            Readiness.validator(
                cluster.clients().get(i), cluster.queries().get(i), validators - 1));
      }
      out.printf(
          Locale.ROOT,
          "started %d validator processes (logs: %s/v*/node.log); waiting for readiness...%n",
          validators,
          clusterPath);
      out.flush();
      String notReady =
          Readiness.awaitAll(ready, supervisor, Duration.ofSeconds(readyTimeoutSeconds));
      if (notReady != null) {
        throw new IOException("validators not ready: " + notReady);
      }
      out.println(
          "all validators ready (client port answers STATUS with every peer connected; GET /status answers 200)");
      out.flush();

      NodeCpu cpu = new NodeCpu(supervisor, cluster.queries());
      HardwareManifest hardware = HardwareManifest.collect();
      GitInfo git = GitInfo.collect();
      Map<String, Object> config = new LinkedHashMap<>();
      config.put(
          "command",
          "agentledger " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      config.put("validators", validators);
      config.put("backend", backend);
      config.put("runDir", run.toString());
      config.put("loadAgents", loadAgents);
      config.put("nodeHeap", nodeHeap);
      config.put("nodeArgs", String.join(" ", nodeArgs));
      config.put("nodeAotCache", aotState);
      config.put("boundBatchVerifyPerSec", batchRate);
      config.put("boundTps", bound);
      config.put("singleVerifyPerSec", rates[0]);
      LoadGenerator.Options options =
          new LoadGenerator.Options((long) (drainSeconds * 1e9), TimeUnit.MILLISECONDS.toNanos(20));

      RunReport.FindMax findMaxSection = null;
      List<String> notes = new ArrayList<>();
      config.put("warmupSeconds", warmupSeconds);
      config.put("warmupMaxSeconds", warmupCap);
      if (warmupSchedule != null) {
        boolean fixed = warmupCap <= warmupSeconds;
        out.printf(
            Locale.ROOT,
            "warm-up (not counted): %s so the validator JVMs compile their hot paths...%n",
            fixed
                ? warmupSchedule.describe()
                : String.format(
                    Locale.ROOT,
                    "%s tps for at least %s s, then until every validator's JIT compiler threads use under %.0f%% of"
                        + " a core over %d s under the load, at most %s s,",
                    plain(rate),
                    plain(warmupSeconds),
                    100 * dev.agentledger.bench.demo.WarmupEnd.QUIET_FRACTION,
                    dev.agentledger.bench.demo.WarmupEnd.WINDOW_INTERVALS,
                    plain(warmupCap)));
        out.flush();
        dev.agentledger.bench.demo.WarmupWatch watch =
            new dev.agentledger.bench.demo.WarmupWatch(
                supervisor, (long) (warmupSeconds * 1e9), (long) (warmupCap * 1e9), rate, out);
        LoadGenerator.RunResult warm;
        try {
          warm =
              LoadGenerator.run(
                  warmupSchedule,
                  warmupPool,
                  target(cluster, cpu, backend),
                  NanoClock.SYSTEM,
                  options,
                  fixed ? LoadGenerator.StopSignal.NEVER : watch::stop);
        } finally {
          watch.close();
        }
        double ranSeconds = warm.sendWindowNs() / 1e9;
        String line =
            String.format(
                Locale.ROOT,
                "warm-up (not counted): %s: submitted %,d, committed %,d, lost %d, p99 commit latency %.1f ms",
                fixed
                    ? warmupSchedule.describe()
                    : String.format(Locale.ROOT, "%s tps for %.1f s", plain(rate), ranSeconds),
                warm.tally().submitted(),
                warm.tally().committed(),
                warm.tally().lost(),
                warm.recorder().commitLatency().getValueAtPercentile(99) / 1e6);
        out.println(line);
        String end = watch.describe(ranSeconds, warmupSeconds, warmupCap, fixed);
        out.println(end);
        out.flush();
        notes.add(line);
        notes.add(end);
        config.put("warmupCommitted", warm.tally().committed());
        config.put("warmupLost", warm.tally().lost());
        config.put("warmupRanSeconds", ranSeconds);
        config.put("warmupEnd", watch.endKey(fixed));
        config.put("warmupJitCpuMs", watch.usedMs());
        config.put("warmupJitLastWindowCoreShare", watch.lastWindowShares());
        if (jitSettleSeconds > 0) {
          String settle = awaitJitQuiet(supervisor, (long) (jitSettleSeconds * 1e9));
          out.println(settle);
          out.flush();
          notes.add(settle);
        }
      }
      LoadGenerator.RunResult result;
      List<String> lostLines;
      PresignedPool pool;
      TargetInfo info;
      if (findMax) {
        FindMaxSearch search =
            new FindMaxSearch(rate, (long) (p99TargetMs * 1e6), 0.1, maxProbes, 1);
        out.printf(
            Locale.ROOT,
            "find-max: p99 <= %.0f ms with zero loss and no shedding; probes of %.1f s from %,.0f tps, fresh agents per probe%n",
            p99TargetMs,
            probeSeconds,
            rate);
        out.flush();
        int probeIndex = 0;
        while (!search.done()) {
          double probeRate = search.nextRate();
          probeIndex++;
          FixedRate schedule = new FixedRate(probeRate, (long) (probeSeconds * 1e9));
          PresignedPool probePool =
              pool(base, cluster, probeIndex * window, window, schedule, null);
          LoadGenerator.RunResult probeRun =
              LoadGenerator.run(
                  schedule, probePool, target(cluster, cpu, backend), NanoClock.SYSTEM, options);
          FindMaxSearch.Probe p = search.record(probeRate, FindMax.toProbe(probeRate, probeRun));
          out.printf(
              Locale.ROOT,
              "  probe %,8.0f tps: %-4s committed %,8.0f tps, p99 %8.1f ms, lost %d, shed %d (%s)%n",
              probeRate,
              p.pass() ? "PASS" : "FAIL",
              probeRun.committedTps(),
              p.result().p99CommitLatencyNs() / 1e6,
              p.result().lost(),
              p.result().overloadRejections(),
              p.reason());
          out.flush();
        }
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
        findMaxSection =
            new RunReport.FindMax(
                p99TargetMs, search.maxRateTps(), search.generatorBound(), probeSeconds, probes);
        double half = search.maxRateTps() > 0 ? search.maxRateTps() / 2 : rate / 2;
        out.printf(
            Locale.ROOT,
            "FIND-MAX: %,.0f tps holds p99 <= %.0f ms with zero loss; now %.0f s at half of it (%,.0f tps)%n",
            search.maxRateTps(),
            p99TargetMs,
            durationSeconds,
            half);
        out.flush();
        config.put("findMax.maxRateTps", search.maxRateTps());
        FixedRate schedule = new FixedRate(half, (long) (durationSeconds * 1e9));
        pool = pool(base, cluster, (maxProbes + 1) * window, window, schedule, null);
        notes.add(
            String.format(
                Locale.ROOT,
                "find-max: %,.0f tps max; the run in the sections above is at half of it, %,.0f tps.",
                search.maxRateTps(),
                half));
        ClusterTarget target = target(cluster, cpu, backend);
        info = target.info();
        cpu.reset();
        result = LoadGenerator.run(schedule, pool, target, NanoClock.SYSTEM, options);
        failureNote(target, notes);
        lostLines = target.describeLost(pool, result.recorder(), LOST_LISTED);
      } else {
        pool = mainPool;
        FixedRate schedule = new FixedRate(rate, (long) (durationSeconds * 1e9));
        out.printf(
            Locale.ROOT,
            "driving %s (%,d signed runs, %,d agents pinned to validators by key)%n",
            schedule.describe(),
            schedule.count(),
            window);
        out.flush();
        ClusterTarget target = target(cluster, cpu, backend);
        info = target.info();
        cpu.reset();
        result = LoadGenerator.run(schedule, pool, target, NanoClock.SYSTEM, options);
        failureNote(target, notes);
        lostLines = target.describeLost(pool, result.recorder(), LOST_LISTED);
        if (!lostLines.isEmpty()) {
          out.println("lost runs: asking their validators where they are, for up to 60 s...");
          out.flush();
          lostLines.addAll(
              target.followLost(
                  pool,
                  result.recorder(),
                  LOST_LISTED,
                  java.time.Duration.ofSeconds(60),
                  java.time.Duration.ofSeconds(2)));
        }
      }
      if (result.settleNote() != null) {
        notes.add("After the drain: " + result.settleNote() + ".");
      }
      notes.addAll(lostLines);
      org.HdrHistogram.Histogram accepted = result.recorder().acceptToCommit();
      String acceptedLine =
          String.format(
              Locale.ROOT,
              "accepted -> committed (ms, %,d runs): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f",
              accepted.getTotalCount(),
              accepted.getValueAtPercentile(50) / 1e6,
              accepted.getValueAtPercentile(90) / 1e6,
              accepted.getValueAtPercentile(99) / 1e6,
              accepted.getMaxValue() / 1e6);
      notes.add(
          "Latency of accepted runs, from the validator's ACCEPTED to the receipt on the feed"
              + " (without the time a refused run spent being resubmitted): "
              + acceptedLine
              + ".");
      List<ProcessSupervisor.Child> died = supervisor.exited();
      for (ProcessSupervisor.Child child : died) {
        notes.add(
            "validator "
                + child.name()
                + " exited during the run (status "
                + child.process().exitValue()
                + ", log "
                + child.log()
                + ")");
      }

      // Proofs: a random sample of committed runs, each from a random validator, verified offline.
      int fetched = 0;
      int verified = 0;
      List<Long> committed = result.recorder().committedSequences();
      int sample = Math.min(proofs, committed.size());
      List<String> failures = new ArrayList<>();
      String proofProblem = null;
      if (sample > 0) {
        out.printf(
            Locale.ROOT,
            "fetching %d proofs of committed runs from random validators (GET /v1/transactions/{id})...%n",
            sample);
        out.flush();
        try (ProofClient client =
            new HttpProofClient(
                cluster.queries(), cluster.genesis(), Duration.ofSeconds(15), System.nanoTime())) {
          AgentRunFlyweight flyweight = new AgentRunFlyweight();
          SplittableRandom random = new SplittableRandom();
          byte[] record = new byte[AgentRunDescriptor.ENCODED_LENGTH];
          for (int i = 0; i < sample; i++) {
            long sequence = committed.get(random.nextInt(committed.size()));
            int offset = pool.offsetOf(sequence);
            flyweight.wrap(pool.buffer(), offset);
            pool.buffer().getBytes(offset, record);
            ProofClient.Check check = client.fetchAndVerify(flyweight.transactionId(), record);
            fetched += check.fetched() ? 1 : 0;
            verified += check.verified() ? 1 : 0;
            if (!check.verified() && failures.size() < 5) {
              failures.add(check.detail());
            }
          }
        } catch (IOException e) {
          proofProblem = e.getMessage();
        }
      }
      notes.add(
          String.format(
              Locale.ROOT,
              "Proofs: %d requested, %d fetched, %d verified offline (random sample of committed runs, random validators).",
              sample,
              fetched,
              verified));
      if (proofProblem != null) {
        notes.add("proof client: " + proofProblem);
      }
      failures.forEach(f -> notes.add("proof not verified: " + f));
      notes.add(
          String.format(
              Locale.ROOT,
              "Bound: speed ed25519 batch-1024 on %d cores = %,.0f/s, / %d validators = %,.0f tps; committed %,.0f tps = %.1f%% of it.",
              cores,
              batchRate,
              validators,
              bound,
              result.committedTps(),
              100 * result.committedTps() / bound));
      dev.agentledger.bench.demo.NodeAccelProbe accel =
          new dev.agentledger.bench.demo.NodeAccelProbe(cluster.queries());
      List<String> sigverify = accel.sigverifyBackends();
      String served = sigverify.stream().distinct().count() == 1 ? sigverify.get(0) : "mixed";
      List<Long> deviceLaunches = served.equals("cpu") ? List.of() : accel.launches(served);
      config.put("sigverifyBackend", served);
      config.put("sigverifyBackends", String.join(",", sigverify));
      if (!deviceLaunches.isEmpty()) {
        config.put("sigverifyDeviceLaunches", deviceLaunches.toString());
      }
      String sigverifyLine =
          "sigverify backend: "
              + served
              + " (--backend "
              + backend
              + "; validators: "
              + String.join(", ", sigverify)
              + ")"
              + (deviceLaunches.isEmpty()
                  ? ""
                  : "; "
                      + served
                      + " kernel launches per validator (GET /metrics): "
                      + deviceLaunches);
      notes.add("Signature verification: " + sigverifyLine + ".");
      notes.add(
          "CPU per stage: each validator process's total CPU time (all its stages) during the load and drain, per committed run.");

      RunReport report =
          ReportBuilder.build(
              findMax ? "demo-find-max" : "demo",
              String.format(
                  Locale.ROOT,
                  "demo: %d validators, %,.0f committed tps",
                  validators,
                  result.committedTps()),
              info,
              result,
              pool,
              GeneratorCapacity.measure(pool, 200_000),
              config,
              hardware,
              git,
              findMaxSection,
              notes);
      ReportFiles.Written written = ReportFiles.write(report, run.resolve("report"));
      LoadgenCommand.printSummary(out, report);
      out.printf(
          Locale.ROOT,
          "proofs: %d fetched, %d verified%s%n",
          fetched,
          verified,
          proofProblem != null ? " (" + proofProblem + ")" : "");
      failures.forEach(f -> out.println("  not verified: " + f));
      out.printf(
          Locale.ROOT,
          "bound: %,.0f tps (batch verify %,.0f/s on %d cores / %d validators); committed %,.0f tps = %.1f%% of the bound%n",
          bound,
          batchRate,
          cores,
          validators,
          result.committedTps(),
          100 * result.committedTps() / bound);
      out.println(sigverifyLine);
      out.println(acceptedLine);
      if (result.settleNote() != null) {
        out.println("after the drain: " + result.settleNote());
      }
      lostLines.forEach(out::println);
      died.forEach(c -> out.println("VALIDATOR DIED: " + c.name() + " (log " + c.log() + ")"));
      out.println("report: " + written.json());
      out.println("report: " + written.html());
      out.println("stopping validators...");
      out.flush();
      boolean ok =
          report.counts().lost() == 0
              && report.counts().unanswered() == 0
              && fetched > 0
              && verified == fetched
              && died.isEmpty();
      if (recordAot) {
        // the JVM writes the cache at its exit, assembling it in a second JVM: give it time
        int status = supervisor.stop("v0", AOT_RECORD_GRACE);
        boolean installed = aot.install(status);
        err.printf(
            Locale.ROOT,
            "node AOT cache %s: %s%n",
            aot.path(),
            installed
                ? "recorded by validator 0"
                : "not recorded (validator 0 exit status "
                    + status
                    + "); the next run tries again");
        err.flush();
      }
      return ok ? 0 : 1;
    } finally {
      if (recordAot) {
        aot.discard();
      }
    }
  }

  /**
   * The longest warm-up, in seconds: {@code --warmup-max-s}, never below {@code --warmup-s} (so 0
   * makes a fixed {@code --warmup-s}), and at most what one pre-signed pool holds at {@code rate}
   * (but never below {@code --warmup-s}, which the pool check then refuses as before).
   */
  static double warmupCapSeconds(double minSeconds, double maxSeconds, double rate) {
    double poolSeconds = Math.floor(PresignedPool.MAX_SIZE / rate);
    return Math.max(minSeconds, Math.min(maxSeconds, poolSeconds));
  }

  /** A number as the schedules print it: no decimals when whole. */
  private static String plain(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.3f", value);
  }

  /** How long validator 0 may take to stop when it records the node AOT cache. */
  static final Duration AOT_RECORD_GRACE = Duration.ofMinutes(3);

  /**
   * A pool of {@code schedule.count()} runs signed by load agents {@code [first, first + count)}.
   */
  private static PresignedPool pool(
      RunContents base,
      ClusterDir cluster,
      int first,
      int count,
      FixedRate schedule,
      PrintWriter out)
      throws Exception {
    long size = schedule.count();
    if (size > PresignedPool.MAX_SIZE) {
      throw new MalformedInputException(
          "rate x duration = "
              + size
              + " runs; at most "
              + PresignedPool.MAX_SIZE
              + " per run (each is signed in advance)");
    }
    if (out != null) {
      out.printf(Locale.ROOT, "signing %,d runs for %,d agents...%n", size, count);
      out.flush();
    }
    RunContents contents = base.withAgents(count);
    return PresignedPool.build(
        contents,
        (int) Math.max(1, size),
        Runtime.getRuntime().availableProcessors(),
        i -> cluster.agents().key(first + i));
  }

  /** Most lost runs the demo names, each with where its validator holds it. */
  static final int LOST_LISTED = 20;

  private static ClusterTarget target(ClusterDir cluster, NodeCpu cpu, String backend) {
    ClusterTarget.Config d =
        ClusterTarget.Config.of(cluster.clients(), "node run --sig-backend " + backend);
    return new ClusterTarget(d.withStageCosts(cpu::costs));
  }

  private static void failureNote(ClusterTarget target, List<String> notes) {
    if (target.failure() != null) {
      notes.add("client connection failure: " + target.failure());
    }
  }

  /**
   * Offers no load until every validator's JIT compiler threads are quiet ({@link
   * dev.agentledger.bench.demo.JitQuiet}) or {@code capNs} has passed, sampling their CPU from
   * {@code /proc} once a second; returns the report line.
   */
  static String awaitJitQuiet(ProcessSupervisor supervisor, long capNs) {
    List<ProcessSupervisor.Child> children = supervisor.children();
    long start = System.nanoTime();
    dev.agentledger.bench.demo.JitQuiet quiet =
        new dev.agentledger.bench.demo.JitQuiet(
            capNs, dev.agentledger.bench.demo.NativeThreadCpu.jitNs(children));
    long last = start;
    while (quiet.state() == dev.agentledger.bench.demo.JitQuiet.State.WAITING) {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long now = System.nanoTime();
      quiet.sample(
          now - start,
          Math.max(1, now - last),
          dev.agentledger.bench.demo.NativeThreadCpu.jitNs(children));
      last = now;
    }
    StringBuilder used = new StringBuilder();
    long[] ns = quiet.usedNs();
    for (int v = 0; v < ns.length; v++) {
      used.append(v == 0 ? "" : ", ")
          .append(children.get(v).name())
          .append(' ')
          .append(String.format(Locale.ROOT, "%,d ms", ns[v] / 1_000_000));
    }
    return String.format(
        Locale.ROOT,
        "JIT settle (not counted): compiler threads %s after %.1f s (cap %.0f s); their CPU while waiting: %s",
        quiet.state() == dev.agentledger.bench.demo.JitQuiet.State.SETTLED ? "quiet" : "still busy",
        (System.nanoTime() - start) / 1e9,
        capNs / 1e9,
        used);
  }

  /** CPU time of each validator process since {@link #reset()}, as one stage per validator. */
  /**
   * CPU of the validator processes over the measured run: each whole process (from the OS), and a
   * breakdown by stage averaged over the validators, from the thread CPU times each node reports in
   * {@code GET /status} ({@code threadsCpuMs}, refreshed by the node about once a second): the
   * verify stage, the worker, consensus, execution, the commit feed, Netty I/O; then the threads
   * the JVM does not list, from {@code /proc} ({@link dev.agentledger.bench.demo.NativeThreadCpu}:
   * JIT compiler, GC, RocksDB background, JVM service threads), and the rest of the process (Java
   * threads outside the stages, and groups under 10 ms); beside each, the heap bytes its threads
   * allocated ({@code threadsAllocatedBytes}; the native kinds allocate none on the heap).
   */
  static final class NodeCpu {
    private static final String VERIFY = "verify stage (client and peer-batch signatures)";
    private static final String CONSENSUS = "consensus (primary, consensus signatures)";

    /** Under {@code --threading shared}, one thread runs these agents in turn. */
    private static final String PIPELINE = "shared pipeline (worker, primary, execution, feed)";

    /** Thread groups of a node's status JSON, and the stage each belongs to. */
    private static final Map<String, String> STAGES =
        Map.ofEntries(
            Map.entry("verify-N-N", VERIFY),
            Map.entry("worker-N", "worker (admission, batches, acknowledgements)"),
            Map.entry("primary-N", CONSENSUS),
            Map.entry("consensus-verify", CONSENSUS),
            Map.entry("execution-N", "execution (state tree, query store, commit signatures)"),
            Map.entry("feed-N", "commit feed (subscriptions)"),
            // --threading shared: the verify agents share one thread, the other agents another.
            Map.entry("validator-N-verify", VERIFY),
            Map.entry("validator-N-pipeline", PIPELINE),
            Map.entry("multiThreadIoEventLoopGroup-N-N", "network I/O (Netty)"),
            Map.entry("main", "main thread (JIT warm-up, node supervision)"),
            Map.entry("accel-calibrate", "signature backend calibration"));

    private static final String OTHER = "other threads (outside the stages; groups under 10 ms)";

    /** Thread kinds the JVM does not list as Java threads, read from {@code /proc}. */
    private static final List<String> NATIVE_KINDS =
        List.of(
            dev.agentledger.bench.demo.NativeThreadCpu.JIT,
            dev.agentledger.bench.demo.NativeThreadCpu.GC,
            dev.agentledger.bench.demo.NativeThreadCpu.ROCKSDB,
            dev.agentledger.bench.demo.NativeThreadCpu.JVM);

    private final ProcessSupervisor supervisor;
    private final List<InetSocketAddress> queries;
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Long> baseline = new LinkedHashMap<>();
    private final Map<String, ThreadReadings> threadBaseline = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> nativeBaseline = new LinkedHashMap<>();

    /**
     * One node's {@code threadsCpuMs} and {@code threadsAllocatedBytes} (with its process total);
     * empty maps when its status cannot be read.
     */
    record ThreadReadings(
        Map<String, Long> cpuMs, Map<String, Long> allocatedBytes, long allocatedTotal) {
      static final ThreadReadings NONE = new ThreadReadings(Map.of(), Map.of(), -1);
    }

    NodeCpu(ProcessSupervisor supervisor, List<InetSocketAddress> queries) {
      this.supervisor = supervisor;
      this.queries = queries;
    }

    void reset() {
      List<ProcessSupervisor.Child> children = supervisor.children();
      for (int i = 0; i < children.size(); i++) {
        ProcessSupervisor.Child child = children.get(i);
        baseline.put(child.name(), cpuNs(child));
        threadBaseline.put(child.name(), threadReadings(i));
        nativeBaseline.put(child.name(), nativeThreads(child));
      }
    }

    List<StageCost> costs() {
      List<StageCost> costs = new ArrayList<>();
      Map<String, Long> stageNs = new LinkedHashMap<>();
      Map<String, Long> stageBytes = new LinkedHashMap<>();
      List<ProcessSupervisor.Child> children = supervisor.children();
      int broken = 0;
      int allocationBroken = 0;
      for (int i = 0; i < children.size(); i++) {
        ProcessSupervisor.Child child = children.get(i);
        long processNs = cpuNs(child) - baseline.getOrDefault(child.name(), 0L);
        ThreadReadings now = threadReadings(i);
        ThreadReadings before = threadBaseline.getOrDefault(child.name(), ThreadReadings.NONE);
        long processBytes =
            now.allocatedTotal() < 0 || before.allocatedTotal() < 0
                ? -1
                : now.allocatedTotal() - before.allocatedTotal();
        costs.add(
            new StageCost(
                dev.agentledger.bench.projection.ProjectionModel.WHOLE_VALIDATOR_PREFIX
                    + child.name(),
                processNs,
                0,
                0,
                "the whole validator process (ingress, sigverify, mempool, batches, consensus, execution, storage)",
                processBytes));
        if (now.cpuMs().isEmpty() || before.cpuMs().isEmpty()) {
          broken++;
        } else {
          long threadsNs = stageDeltas(before.cpuMs(), now.cpuMs(), 1_000_000L, stageNs);
          threadsNs +=
              nativeDeltas(
                  nativeBaseline.getOrDefault(child.name(), Map.of()),
                  nativeThreads(child),
                  stageNs);
          stageNs.merge(OTHER, Math.max(0, processNs - threadsNs), Long::sum);
        }
        if (processBytes < 0) {
          allocationBroken++;
        } else {
          long threadsBytes =
              stageDeltas(before.allocatedBytes(), now.allocatedBytes(), 1L, stageBytes);
          stageBytes.merge(OTHER, Math.max(0, processBytes - threadsBytes), Long::sum);
        }
      }
      int measured = children.size() - broken;
      int allocationMeasured = children.size() - allocationBroken;
      if (measured > 0) {
        for (Map.Entry<String, Long> e : stageNs.entrySet()) {
          // A group under 1 MiB is left out of a node's status: absent means less than that.
          Long bytes =
              allocationMeasured == measured ? stageBytes.getOrDefault(e.getKey(), 0L) : null;
          costs.add(
              new StageCost(
                  STAGE_PREFIX + e.getKey(),
                  e.getValue() / measured,
                  0,
                  0,
                  "mean over "
                      + measured
                      + " validators of the threads' CPU time (GET /status threadsCpuMs) and heap"
                      + " allocation (threadsAllocatedBytes); a breakdown of the whole-process costs"
                      + " above, not in addition to them",
                  bytes == null ? -1 : bytes / measured));
        }
      }
      return costs;
    }

    /**
     * Adds {@code (now - before) * unit} of every thread group that belongs to a stage into {@code
     * into} (by stage name); a group missing before counts from 0, a negative difference (its
     * threads ended) as 0. Returns the total added.
     */
    static long stageDeltas(
        Map<String, Long> before, Map<String, Long> now, long unit, Map<String, Long> into) {
      long total = 0;
      for (Map.Entry<String, Long> e : now.entrySet()) {
        String stage = STAGES.get(e.getKey());
        if (stage == null) {
          continue;
        }
        long delta = Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L)) * unit;
        into.merge(stage, delta, Long::sum);
        total += delta;
      }
      return total;
    }

    /**
     * Adds the CPU nanoseconds of each native thread kind ({@link
     * dev.agentledger.bench.demo.NativeThreadCpu}) between two readings into {@code into}; a kind
     * missing before counts from 0, a negative difference (its threads ended) as 0, and nothing is
     * added when either reading is empty (the process was gone or {@code /proc} unreadable).
     * Returns the total added.
     */
    static long nativeDeltas(
        Map<String, Long> before, Map<String, Long> now, Map<String, Long> into) {
      if (before.isEmpty() || now.isEmpty()) {
        return 0;
      }
      long total = 0;
      for (String kind : NATIVE_KINDS) {
        long delta = Math.max(0, now.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L));
        into.merge(kind, delta, Long::sum);
        total += delta;
      }
      return total;
    }

    private static Map<String, Long> nativeThreads(ProcessSupervisor.Child child) {
      return dev.agentledger.bench.demo.NativeThreadCpu.read(child.process().pid());
    }

    /** Thread-group costs of validator {@code i}, or {@link ThreadReadings#NONE}. */
    private ThreadReadings threadReadings(int i) {
      InetSocketAddress q = queries.get(i);
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://" + q.getHostString() + ":" + q.getPort() + "/status"))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          return ThreadReadings.NONE;
        }
        JsonNode status = new ObjectMapper().readTree(r.body());
        JsonNode allocated = status.path("threadsAllocatedBytes");
        return new ThreadReadings(
            groups(status.path("threadsCpuMs")),
            groups(allocated),
            allocated.path("process").asLong(-1));
      } catch (IOException e) {
        return ThreadReadings.NONE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ThreadReadings.NONE;
      }
    }

    private static Map<String, Long> groups(JsonNode node) {
      Map<String, Long> values = new LinkedHashMap<>();
      node.fields()
          .forEachRemaining(
              e -> {
                if (!e.getKey().equals("process")) {
                  values.put(e.getKey(), e.getValue().asLong());
                }
              });
      return values;
    }

    private static long cpuNs(ProcessSupervisor.Child child) {
      return child.process().toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
  }

  /** Stage names of the per-stage breakdown (mean per validator). */
  static final String STAGE_PREFIX = "per validator: ";

  /**
   * In-process {@code speed ed25519 --only verify,batch --batches 1024 --threads CORES}: single and
   * batch-1024 verifications per second of the project's Ed25519 on all cores.
   */
  private double[] measureVerifyRates(int cores) throws IOException {
    StringWriter text = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(text),
            new PrintWriter(err),
            "speed",
            "ed25519",
            "--only",
            "verify,batch",
            "--batches",
            "1024",
            "--threads",
            Integer.toString(cores),
            "--duration-s",
            Double.toString(boundSeconds),
            "--warmup-s",
            "0.5",
            "--jit-warmup-s",
            "3",
            "--json");
    if (status != 0) {
      throw new IOException("speed ed25519 failed: " + err.toString().strip());
    }
    double single = Double.NaN;
    double batch = Double.NaN;
    for (String line : text.toString().split("\n")) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode row = JSON.readTree(line);
      if (!row.path("impl").asText().equals("project") || row.path("threads").asInt() != cores) {
        continue;
      }
      if (row.path("name").asText().equals("ed25519-verify")) {
        single = row.path("opsPerSec").asDouble();
      } else if (row.path("name").asText().equals("ed25519-verify-batch")
          && row.path("batch").asInt() == 1024) {
        batch = row.path("opsPerSec").asDouble();
      }
    }
    if (Double.isNaN(single) || Double.isNaN(batch)) {
      throw new IOException("speed ed25519 printed no project verify / batch-1024 rows: " + text);
    }
    return new double[] {single, batch};
  }

  /** Removes earlier run directories of the demo (only those carrying its marker file). */
  private static void removePreviousRuns(Path data, PrintWriter out) throws IOException {
    if (!Files.isDirectory(data)) {
      return;
    }
    try (Stream<Path> runs = Files.list(data)) {
      for (Path old :
          runs.filter(
                  p ->
                      p.getFileName().toString().startsWith("run-")
                          && Files.exists(p.resolve(MARKER)))
              .toList()) {
        try (Stream<Path> files = Files.walk(old)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(f);
          }
        }
        out.println("removed previous demo run " + old);
      }
    }
  }
}
