package dev.agentledger.node.cli;

import dev.agentledger.node.consensus.core.PrimaryConfig;
import dev.agentledger.node.sim.Fault;
import dev.agentledger.node.sim.SimConfig;
import dev.agentledger.node.sim.SimResult;
import dev.agentledger.node.sim.Simulator;
import dev.agentledger.node.sim.validator.ValidatorSimConfig;
import dev.agentledger.node.sim.validator.ValidatorSimResult;
import dev.agentledger.node.sim.validator.ValidatorSimulator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger sim}: runs the deterministic consensus simulator over a range of seeds, one
 * line per seed and a summary; exits 1 naming the seeds that violated an invariant.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Deterministic DAG-BFT consensus simulation (Narwhal DAG + Bullshark) over many seeds.",
      "Checks safety (honest committed sequences are prefixes of one another), durability across",
      "crash/restart, and liveness after the network heals. Same seed, same run."
    })
final class SimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--validators",
      paramLabel = "N",
      defaultValue = "4",
      description = "Committee size (default ${DEFAULT-VALUE}).")
  int validators;

  @Option(
      names = "--byzantine",
      paramLabel = "F",
      defaultValue = "-1",
      description = "Byzantine validators (default: the most tolerated, (N-1)/3).")
  int byzantine;

  @Option(
      names = "--seeds",
      paramLabel = "A..B",
      required = true,
      description = "Seed or inclusive seed range, e.g. 1..1000.")
  String seeds;

  @Option(
      names = "--faults",
      paramLabel = "LIST",
      defaultValue = "all",
      description =
          "Comma list of crash,partition,delay,loss,overload,equivocate,withhold,badsig,doublevote; 'all' or 'none' (default ${DEFAULT-VALUE}).")
  String faults;

  @Option(
      names = "--duration-ms",
      paramLabel = "MS",
      defaultValue = "12000",
      description = "Simulated time per seed (default ${DEFAULT-VALUE}).")
  long durationMs;

  @Option(
      names = "--heal-ms",
      paramLabel = "MS",
      defaultValue = "7000",
      description = "When network and crash faults stop (default ${DEFAULT-VALUE}).")
  long healMs;

  @Option(
      names = "--real-signatures",
      description = "Sign and verify with Ed25519 instead of the fake scheme (slow).")
  boolean realSignatures;

  @Option(
      names = "--no-reputation",
      description = "Stake-weighted anchors without leader reputation.")
  boolean noReputation;

  @Option(
      names = "--trace-ms",
      paramLabel = "MS",
      defaultValue = "0",
      description = "Print every validator's progress every MS of simulated time (0: off).")
  long traceMs;

  @Option(names = "--quiet", description = "Print only violations and the summary.")
  boolean quiet;

  @Option(
      names = "--whole-validators",
      description =
          "Simulate whole validators (worker, consensus, execution, feed) in invoker mode over the simulated network, with clients; times default to 8000 and 2000 ms.")
  boolean wholeValidators;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long[] range = parseSeeds(seeds);
    EnumSet<Fault> faultSet;
    try {
      faultSet = Fault.parse(faults);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("unknown fault in '" + faults + "'");
    }
    int f = byzantine < 0 ? (validators - 1) / 3 : byzantine;
    if (validators < 1 || validators > 64) {
      throw new MalformedInputException("--validators must be 1..64");
    }
    if (3 * f >= validators) {
      throw new MalformedInputException(
          "--byzantine " + f + " is not under a third of " + validators);
    }
    if (healMs <= 0 || healMs >= durationMs) {
      throw new MalformedInputException("--heal-ms must lie between 0 and --duration-ms");
    }
    if (wholeValidators) {
      return wholeValidators(out, range, faultSet, f, faultNames(faultSet));
    }
    PrimaryConfig defaults = PrimaryConfig.defaults();
    PrimaryConfig primary =
        new PrimaryConfig(
            defaults.leaderTimeoutMs(),
            defaults.resendMs(),
            defaults.fetchRetryMs(),
            defaults.gcDepth(),
            !noReputation,
            defaults.reputationWindow(),
            defaults.maxBatchesPerVertex(),
            defaults.maxFetchItems());
    SimConfig config =
        SimConfig.of(validators, f, faultSet)
            .withDuration(durationMs, healMs)
            .withRealSignatures(realSignatures)
            .withPrimary(primary);
    String faultNames = faultNames(faultSet);
    List<Long> failed = new ArrayList<>();
    long passed = 0;
    double roundsSum = 0;
    double msSum = 0;
    double p50Sum = 0;
    long p99Max = 0;
    long commitsSum = 0;
    long started = System.nanoTime();
    for (long seed = range[0]; seed <= range[1]; seed++) {
      Simulator simulator = new Simulator(config, seed);
      if (traceMs > 0) {
        simulator.trace(out, traceMs);
      }
      SimResult r = simulator.run();
      if (r.ok()) {
        passed++;
        roundsSum += r.anchorLatencyRounds();
        msSum += r.anchorLatencyMs();
        p50Sum += r.vertexLatencyP50Ms();
        p99Max = Math.max(p99Max, r.vertexLatencyP99Ms());
        commitsSum += r.minCommits();
        if (!quiet) {
          out.printf(
              Locale.ROOT,
              "seed=%d ok commits=%d rounds=%d anchor_latency_rounds=%.2f anchor_latency_ms=%.0f vertex_p50_ms=%d vertex_p99_ms=%d messages=%d invalid_dropped=%d digest=%s faults=%s%n",
              seed,
              r.minCommits(),
              r.maxRound(),
              r.anchorLatencyRounds(),
              r.anchorLatencyMs(),
              r.vertexLatencyP50Ms(),
              r.vertexLatencyP99Ms(),
              r.messages(),
              r.droppedInvalid(),
              r.runDigest().substring(0, 16),
              r.faultLog().isEmpty() ? "-" : r.faultLog().replace(' ', ';'));
        }
      } else {
        failed.add(seed);
        out.printf(
            Locale.ROOT,
            "seed=%d VIOLATION %s faults=%s%n",
            seed,
            r.violation(),
            r.faultLog().replace(' ', ';'));
      }
      out.flush();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long total = range[1] - range[0] + 1;
    out.printf(
        Locale.ROOT,
        "summary: validators=%d byzantine=%d faults=%s seeds=%d passed=%d failed=%d mean_min_commits=%.1f mean_anchor_latency_rounds=%.2f mean_anchor_latency_ms=%.0f mean_vertex_p50_ms=%.0f max_vertex_p99_ms=%d wall_s=%.1f%n",
        validators,
        f,
        faultNames,
        total,
        passed,
        failed.size(),
        passed == 0 ? 0.0 : (double) commitsSum / passed,
        passed == 0 ? 0.0 : roundsSum / passed,
        passed == 0 ? 0.0 : msSum / passed,
        passed == 0 ? 0.0 : p50Sum / passed,
        p99Max,
        seconds);
    if (!failed.isEmpty()) {
      out.println(
          "failing seeds: "
              + failed.stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse(""));
      return 1;
    }
    return 0;
  }

  private static String faultNames(EnumSet<Fault> faultSet) {
    return faultSet.isEmpty()
        ? "none"
        : faultSet
            .toString()
            .toLowerCase(Locale.ROOT)
            .replace(" ", "")
            .replace("[", "")
            .replace("]", "");
  }

  /**
   * {@code --whole-validators}: each seed runs {@link ValidatorSimulator} (real validators in
   * invoker mode, simulated network, storage and clock, signing clients); one line per seed and a
   * summary, exit 1 naming the seeds that broke an invariant.
   */
  private int wholeValidators(
      PrintWriter out, long[] range, EnumSet<Fault> faultSet, int f, String faultNames) {
    var parsed = spec.commandLine().getParseResult();
    long duration = parsed.hasMatchedOption("--duration-ms") ? durationMs : 8_000;
    long heal = parsed.hasMatchedOption("--heal-ms") ? healMs : 2_000;
    if (heal <= 0 || heal >= duration) {
      throw new MalformedInputException("--heal-ms must lie between 0 and --duration-ms");
    }
    ValidatorSimConfig config =
        ValidatorSimConfig.of(validators, f, faultSet)
            .withDuration(duration, heal, heal + Math.min(500, (duration - heal) / 4));
    List<Long> failed = new ArrayList<>();
    long passed = 0;
    long commits = 0;
    long accepted = 0;
    long executed = 0;
    long expired = 0;
    long restarts = 0;
    long started = System.nanoTime();
    for (long seed = range[0]; seed <= range[1]; seed++) {
      ValidatorSimulator simulator = new ValidatorSimulator(config, seed);
      if (traceMs > 0) {
        simulator.trace(out, traceMs);
      }
      ValidatorSimResult r = simulator.run();
      // Each validator's rings are direct buffers (tens of MiB), freed only once collected; with a
      // large default heap they would pile up over many seeds (as in ValidatorSimulatorTest).
      System.gc();
      if (r.ok()) {
        passed++;
        commits += r.commits();
        accepted += r.accepted();
        executed += r.executed();
        expired += r.expired();
        restarts += r.restarts();
        if (!quiet) {
          out.printf(
              Locale.ROOT,
              "seed=%d ok commits=%d commits_after_heal=%d runs=%d accepted=%d executed=%d expired=%d refused=%d overloaded=%d unanswered=%d restarts=%d peer_frames=%d digest=%s faults=%s%n",
              seed,
              r.commits(),
              r.commitsAfterHeal(),
              r.submitted(),
              r.accepted(),
              r.executed(),
              r.expired(),
              r.refused(),
              r.overloaded(),
              r.unanswered(),
              r.restarts(),
              r.peerFrames(),
              r.runDigest().substring(0, 16),
              r.faultLog().isEmpty() ? "-" : r.faultLog().replace(' ', ';'));
        }
      } else {
        failed.add(seed);
        out.printf(
            Locale.ROOT,
            "seed=%d VIOLATION %s faults=%s%n",
            seed,
            r.violation(),
            r.faultLog().isEmpty() ? "-" : r.faultLog().replace(' ', ';'));
      }
      out.flush();
    }
    out.printf(
        Locale.ROOT,
        "summary: whole validators=%d byzantine=%d faults=%s seeds=%d passed=%d failed=%d mean_commits=%.1f accepted=%d executed=%d expired=%d restarts=%d wall_s=%.1f%n",
        validators,
        f,
        faultNames,
        range[1] - range[0] + 1,
        passed,
        failed.size(),
        passed == 0 ? 0.0 : (double) commits / passed,
        accepted,
        executed,
        expired,
        restarts,
        (System.nanoTime() - started) / 1e9);
    if (!failed.isEmpty()) {
      out.println(
          "failing seeds: "
              + failed.stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse(""));
      return 1;
    }
    return 0;
  }

  static long[] parseSeeds(String text) {
    try {
      int dots = text.indexOf("..");
      long from = Long.parseLong(dots < 0 ? text.strip() : text.substring(0, dots).strip());
      long to = dots < 0 ? from : Long.parseLong(text.substring(dots + 2).strip());
      if (to < from) {
        throw new MalformedInputException("--seeds range is empty: " + text);
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      throw new MalformedInputException("--seeds must be A or A..B, got '" + text + "'");
    }
  }
}
