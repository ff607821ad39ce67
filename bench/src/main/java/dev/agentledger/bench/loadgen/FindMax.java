package dev.agentledger.bench.loadgen;

import dev.agentledger.bench.loadgen.core.FindMaxSearch;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.bench.loadgen.core.ProbeResult;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs {@link FindMaxSearch}: one fixed-rate probe per step, each against a fresh target from the
 * supplier (so probes do not inherit each other's backlog), until the search ends.
 */
public final class FindMax {
  private FindMax() {}

  /** The search with the run of the best passing probe (or the last probe if none passed). */
  public record Outcome(
      FindMaxSearch search, LoadGenerator.RunResult bestRun, double probeSeconds) {}

  /**
   * Runs the search. A warmup run at the first rate (discarded) comes first when {@code
   * warmupSeconds > 0}, so the first probe does not pay for JIT compilation.
   */
  public static Outcome run(
      FindMaxSearch search,
      double warmupSeconds,
      double probeSeconds,
      PresignedPool pool,
      Supplier<LoadTarget> targets,
      NanoClock clock,
      LoadGenerator.Options options,
      Consumer<FindMaxSearch.Probe> progress)
      throws Exception {
    LoadGenerator.RunResult best = null;
    LoadGenerator.RunResult last = null;
    if (warmupSeconds > 0 && !search.done()) {
      LoadGenerator.run(
          new FixedRate(search.nextRate(), (long) (warmupSeconds * 1e9)),
          pool,
          targets.get(),
          clock,
          options);
    }
    while (!search.done()) {
      double rate = search.nextRate();
      FixedRate schedule = new FixedRate(rate, (long) (probeSeconds * 1e9));
      LoadGenerator.RunResult run =
          LoadGenerator.run(schedule, pool, targets.get(), clock, options);
      last = run;
      FindMaxSearch.Probe probe = search.record(rate, toProbe(rate, run));
      if (probe.pass() && (best == null || rate >= search.maxRateTps())) {
        best = run;
      }
      progress.accept(probe);
    }
    return new Outcome(search, best != null ? best : last, probeSeconds);
  }

  public static ProbeResult toProbe(double rate, LoadGenerator.RunResult run) {
    RunRecorder.Tally t = run.tally();
    return new ProbeResult(
        rate,
        t.committed(),
        t.lost(),
        t.unanswered(),
        t.overloadRejections(),
        run.recorder().commitLatency().getTotalCount() == 0
            ? 0
            : run.recorder().commitLatency().getValueAtPercentile(99),
        run.recorder().sendLag().getValueAtPercentile(99));
  }
}
