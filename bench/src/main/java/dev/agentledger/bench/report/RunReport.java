package dev.agentledger.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The TPS validation report (schema {@value #SCHEMA}), written as JSON and rendered as HTML. Every
 * number in it was measured in the run it describes, except where a field's name or the notes say
 * otherwise; the projection model reads the per-stage costs from here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
    String schema,
    String kind,
    String createdAt,
    String title,
    Target target,
    Map<String, Object> config,
    Counts counts,
    Throughput throughput,
    Latency latency,
    Generator generator,
    Cpu cpu,
    List<TimelinePoint> timeline,
    HardwareManifest hardware,
    GitInfo git,
    FindMax findMax,
    List<String> notes,
    Rounds rounds) {
  public static final String SCHEMA = "agentledger.bench.report/v1";

  /** The system under test and what its "committed" means. */
  public record Target(
      String name, String description, String committedMeans, String sigverifyBackend) {}

  /**
   * Exact outcome counts. {@code lost}: accepted and never committed nor rejected by the end of the
   * drain; {@code unanswered}: never answered at all; {@code retries}: passing refusals (load
   * shedding) that the target resubmitted, not counted as rejections.
   */
  public record Counts(
      long submitted,
      long accepted,
      long rejected,
      Map<String, Long> rejectedByReason,
      long rejectedAfterAccept,
      long committed,
      long lost,
      long unanswered,
      long duplicateCommits,
      boolean drained,
      long retries) {
    /** Counts of a target that resubmits nothing. */
    public Counts(
        long submitted,
        long accepted,
        long rejected,
        Map<String, Long> rejectedByReason,
        long rejectedAfterAccept,
        long committed,
        long lost,
        long unanswered,
        long duplicateCommits,
        boolean drained) {
      this(
          submitted,
          accepted,
          rejected,
          rejectedByReason,
          rejectedAfterAccept,
          committed,
          lost,
          unanswered,
          duplicateCommits,
          drained,
          0);
    }
  }

  /**
   * @param offeredTps submitted / schedule duration
   * @param committedTps committed / commit window (first intended send to last commit)
   * @param scheduleSeconds the schedule's length
   * @param commitWindowSeconds first intended send to last commit
   * @param schedule the rate controller, described
   */
  public record Throughput(
      double offeredTps,
      double committedTps,
      double scheduleSeconds,
      double commitWindowSeconds,
      String schedule) {}

  /** Percentiles in milliseconds. */
  public record Percentiles(
      long count,
      double p50Ms,
      double p90Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      double meanMs) {}

  /**
   * @param commitFromIntended submit-to-commit, measured from the intended send time
   * @param acceptFromIntended submit-to-accept, from the intended send time
   * @param commitCdf points (percentile 0..100, latency ms) of the commit latency distribution
   */
  public record Latency(
      Percentiles commitFromIntended, Percentiles acceptFromIntended, List<double[]> commitCdf) {}

  /**
   * @param capacityTps measured send rate of the loop against a discarding sink, this process
   * @param capacityCpuNsPerSend sender CPU per send in that measurement
   * @param sendLag actual send time minus intended send time during the run
   * @param cpuNsPerSend sender thread CPU per submitted transaction during the run
   * @param poolSize pre-signed records
   * @param poolBuildSeconds time to build and sign the pool (before the run, off the clock)
   * @param poolReused whether records repeated because the run was longer than the pool
   */
  public record Generator(
      double capacityTps,
      double capacityCpuNsPerSend,
      Percentiles sendLag,
      double cpuNsPerSend,
      int poolSize,
      double poolBuildSeconds,
      boolean poolReused) {}

  /**
   * @param processCpuNs CPU of the whole process (target stages, generator, idle loops, GC, JIT)
   * @param processCpuNsPerCommittedTx that divided by committed transactions
   * @param stages busy CPU per stage as measured inside the target
   * @param measuredWith how CPU was measured
   */
  public record Cpu(
      long processCpuNs,
      double processCpuNsPerCommittedTx,
      List<Stage> stages,
      String measuredWith) {}

  /**
   * One stage's measured cost; {@code provenance} is always {@code measured} in a run report.
   * {@code allocatedBytes} (heap bytes its threads allocated) and its per-transaction share are -1
   * when the target did not measure them.
   */
  public record Stage(
      String name,
      long cpuNs,
      long items,
      double cpuNsPerCommittedTx,
      long wallNs,
      double wallNsPerCommittedTx,
      String what,
      String provenance,
      long allocatedBytes,
      double allocatedBytesPerCommittedTx) {}

  /** One second of the run. */
  public record TimelinePoint(
      int second, double offeredTps, long submitted, long committed, long rejected) {}

  /**
   * The summary's {@code while offered:} line when runs were refused (rejected, or resubmitted):
   * the rate committed within the schedule's seconds and what committed after it; null otherwise.
   */
  public static String whileOffered(RunReport r) {
    double schedule = r.throughput().scheduleSeconds();
    Counts c = r.counts();
    if ((c.rejected() == 0 && c.retries() == 0) || schedule <= 0) {
      return null;
    }
    long within = committedWithin(r.timeline(), schedule);
    return String.format(
        java.util.Locale.ROOT,
        "while offered: committed %,.0f tps over the schedule's %.0f s; %,d more in the %.1f s"
            + " after it (resubmitted refusals, the drain)",
        within / schedule,
        schedule,
        Math.max(0, c.committed() - within),
        Math.max(0, r.throughput().commitWindowSeconds() - schedule));
  }

  /**
   * Transactions the timeline shows committed in its first {@code seconds} seconds (the schedule,
   * while load was offered), as against those committed after it: under overload the refused runs
   * resubmitted after the schedule, and the runs of the same agents held behind them, commit in a
   * long tail that {@link Throughput#committedTps} averages in.
   */
  public static long committedWithin(List<TimelinePoint> timeline, double seconds) {
    long committed = 0;
    if (timeline != null) {
      for (TimelinePoint t : timeline) {
        if (t.second() < seconds) {
          committed += t.committed();
        }
      }
    }
    return committed;
  }

  /**
   * The run's rounds (a workload file's rounds, Caliper's {@code test.rounds[]}; one round for a
   * single schedule), in order, and the rounds after the warm-up taken together ({@code
   * afterWarmup}, null when no round is a warm-up).
   */
  public record Rounds(List<Round> rounds, Round afterWarmup) {}

  /**
   * One round: its label; whether it is the warm-up (a label of warmup or warm-up, any case), which
   * the report shows apart; its scheduled length and offered rate; what became of its transactions;
   * their commit latency from the intended send.
   */
  public record Round(
      String label,
      boolean warmup,
      double scheduleSeconds,
      double offeredTps,
      long submitted,
      long committed,
      long rejected,
      long lost,
      long unanswered,
      Percentiles commitFromIntended) {}

  /** The find-max search: every probe, and the highest passing rate. */
  public record FindMax(
      double p99TargetMs,
      double maxRateTps,
      boolean generatorBound,
      double probeSeconds,
      List<Probe> probes) {}

  /** One probe of find-max. */
  public record Probe(
      double rateTps,
      boolean pass,
      String reason,
      double committedTps,
      double p99Ms,
      long lost,
      long unanswered,
      long shed) {}
}
