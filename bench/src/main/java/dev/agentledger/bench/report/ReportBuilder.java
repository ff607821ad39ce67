package dev.agentledger.bench.report;

import dev.agentledger.bench.loadgen.GeneratorCapacity;
import dev.agentledger.bench.loadgen.LoadGenerator.RunResult;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunRecorder;
import dev.agentledger.bench.loadgen.StageCost;
import dev.agentledger.bench.loadgen.TargetInfo;
import dev.agentledger.bench.loadgen.core.CompositeSchedule;
import dev.agentledger.bench.loadgen.core.RateSchedule;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Turns a {@link RunResult} and its context into a {@link RunReport}. */
public final class ReportBuilder {
  private ReportBuilder() {}

  /** Percentiles at which the CDF is sampled (log-spaced toward the tail). */
  /** Allocated bytes per committed transaction, or -1 when not measured or nothing committed. */
  static double allocatedPerTx(long allocatedBytes, long committed) {
    return allocatedBytes < 0 || committed <= 0 ? -1 : (double) allocatedBytes / committed;
  }

  static final double[] CDF_PERCENTILES = cdfPercentiles();

  private static double[] cdfPercentiles() {
    List<Double> points = new ArrayList<>();
    for (int i = 0; i <= 50; i++) {
      points.add(i * 1.8); // 0..90
    }
    for (double tail = 10; tail > 0.0005; tail /= Math.pow(10, 1.0 / 12)) {
      points.add(100 - tail);
    }
    points.add(100.0);
    return points.stream().mapToDouble(Double::doubleValue).distinct().sorted().toArray();
  }

  public static RunReport build(
      String kind,
      String title,
      TargetInfo target,
      RunResult run,
      PresignedPool pool,
      GeneratorCapacity capacity,
      Map<String, Object> config,
      HardwareManifest hardware,
      GitInfo git,
      RunReport.FindMax findMax,
      List<String> extraNotes) {
    return build(
        kind,
        title,
        target,
        run,
        pool,
        capacity,
        config,
        hardware,
        git,
        findMax,
        extraNotes,
        List.of());
  }

  /** As above, with the labels of the schedule's rounds (a workload file's), in order. */
  public static RunReport build(
      String kind,
      String title,
      TargetInfo target,
      RunResult run,
      PresignedPool pool,
      GeneratorCapacity capacity,
      Map<String, Object> config,
      HardwareManifest hardware,
      GitInfo git,
      RunReport.FindMax findMax,
      List<String> extraNotes,
      List<String> roundLabels) {
    RunRecorder.Tally t = run.tally();
    RunReport.Counts counts =
        new RunReport.Counts(
            t.submitted(),
            t.accepted(),
            t.rejected(),
            t.rejectedByReason(),
            t.rejectedAfterAccept(),
            t.committed(),
            t.lost(),
            t.unanswered(),
            t.duplicateCommits(),
            run.drained(),
            run.recorder().retries());
    RunReport.Throughput throughput =
        new RunReport.Throughput(
            run.offeredTps(),
            run.committedTps(),
            run.schedule().durationNs() / 1e9,
            run.commitWindowNs() / 1e9,
            run.schedule().describe());
    Histogram commit = run.recorder().commitLatency();
    RunReport.Latency latency =
        new RunReport.Latency(
            percentiles(commit), percentiles(run.recorder().acceptLatency()), cdf(commit));
    RunReport.Generator generator =
        new RunReport.Generator(
            capacity.sendsPerSecond(),
            capacity.cpuNsPerSend(),
            percentiles(run.recorder().sendLag()),
            t.submitted() == 0 ? 0 : (double) run.generatorCpuNs() / t.submitted(),
            pool.size(),
            pool.buildNs() / 1e9,
            t.submitted() > pool.size());
    long committed = Math.max(1, t.committed());
    List<RunReport.Stage> stages = new ArrayList<>();
    for (StageCost s : run.stageCosts()) {
      stages.add(
          new RunReport.Stage(
              s.stage(),
              s.cpuNs(),
              s.items(),
              (double) s.cpuNs() / committed,
              s.wallNs(),
              (double) s.wallNs() / committed,
              s.what(),
              "measured",
              s.allocatedBytes(),
              allocatedPerTx(s.allocatedBytes(), t.committed())));
    }
    RunReport.Cpu cpu =
        new RunReport.Cpu(
            run.processCpuNs(),
            (double) run.processCpuNs() / committed,
            stages,
            "stage CPU: ThreadMXBean thread CPU time around each stage's work (idle excluded); process CPU: OperatingSystemMXBean.getProcessCpuTime");
    List<RunReport.TimelinePoint> timeline = new ArrayList<>();
    long lastActive = 0;
    long[][] rows = run.recorder().timeline();
    for (long[] row : rows) {
      if (row[1] + row[2] + row[3] > 0) {
        lastActive = row[0];
      }
    }
    for (long[] row : rows) {
      if (row[0] > lastActive) {
        break;
      }
      double offered =
          run.schedule()
              .rateAt(
                  Math.min(
                      row[0] * 1_000_000_000L + 500_000_000L, run.schedule().durationNs() - 1));
      if (row[0] * 1_000_000_000L >= run.schedule().durationNs()) {
        offered = 0;
      }
      timeline.add(new RunReport.TimelinePoint((int) row[0], offered, row[1], row[2], row[3]));
    }
    List<String> notes = new ArrayList<>();
    notes.add(
        "Latency is measured from each transaction's INTENDED send time (open loop): generator lag and queueing are included, nothing is coordinated away.");
    notes.add("Committed means: " + target.committedMeans() + ".");
    notes.add(
        "Lost = accepted but neither committed nor rejected when the drain ended; unanswered = never answered at all.");
    if (t.submitted() > pool.size()) {
      notes.add(
          "The pre-signed pool ("
              + pool.size()
              + ") was smaller than the run ("
              + t.submitted()
              + "): records repeated. A target with replay protection would reject the repeats.");
    }
    if (capacity.sendsPerSecond() < 2 * run.offeredTps()) {
      notes.add(
          "WARNING: offered rate is more than half the generator's measured capacity; the generator may have shaped the result (see send lag).");
    }
    notes.addAll(extraNotes);
    return new RunReport(
        RunReport.SCHEMA,
        kind,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        title,
        new RunReport.Target(
            target.name(),
            target.description(),
            target.committedMeans(),
            target.sigverifyBackend()),
        config,
        counts,
        throughput,
        latency,
        generator,
        cpu,
        timeline,
        hardware,
        git,
        findMax,
        notes,
        rounds(run, roundLabels));
  }

  /** Whether a round label names the warm-up round. */
  static boolean isWarmup(String label) {
    String l = label.toLowerCase(java.util.Locale.ROOT);
    return l.equals("warmup") || l.equals("warm-up");
  }

  static RunReport.Rounds rounds(RunResult run, List<String> labels) {
    RunRecorder recorder = run.recorder();
    int n = recorder.rounds();
    List<RunReport.Round> rounds = new ArrayList<>();
    Histogram afterLatency = new Histogram(3);
    long[] after = new long[5];
    double afterSeconds = 0;
    boolean anyWarmup = false;
    for (int r = 0; r < n; r++) {
      RateSchedule segment =
          run.schedule() instanceof CompositeSchedule c ? c.segment(r) : run.schedule();
      String label = r < labels.size() ? labels.get(r) : n == 1 ? "run" : "round-" + (r + 1);
      boolean warmup = isWarmup(label);
      RunRecorder.Tally t = recorder.roundTally(r);
      double seconds = segment.durationNs() / 1e9;
      Histogram latency = recorder.roundCommitLatency(r);
      rounds.add(
          new RunReport.Round(
              label,
              warmup,
              seconds,
              seconds <= 0 ? 0 : segment.count() / seconds,
              t.submitted(),
              t.committed(),
              t.rejected(),
              t.lost(),
              t.unanswered(),
              percentiles(latency)));
      if (warmup) {
        anyWarmup = true;
      } else {
        afterLatency.add(latency);
        after[0] += t.submitted();
        after[1] += t.committed();
        after[2] += t.rejected();
        after[3] += t.lost();
        after[4] += t.unanswered();
        afterSeconds += seconds;
      }
    }
    RunReport.Round afterWarmup =
        !anyWarmup || n == 1
            ? null
            : new RunReport.Round(
                "after warm-up",
                false,
                afterSeconds,
                afterSeconds <= 0 ? 0 : after[0] / afterSeconds,
                after[0],
                after[1],
                after[2],
                after[3],
                after[4],
                percentiles(afterLatency));
    return new RunReport.Rounds(rounds, afterWarmup);
  }

  static RunReport.Percentiles percentiles(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new RunReport.Percentiles(0, 0, 0, 0, 0, 0, 0);
    }
    return new RunReport.Percentiles(
        h.getTotalCount(),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()),
        h.getMean() / 1e6);
  }

  static List<double[]> cdf(Histogram h) {
    List<double[]> points = new ArrayList<>();
    if (h.getTotalCount() == 0) {
      return points;
    }
    for (double p : CDF_PERCENTILES) {
      points.add(new double[] {p, ms(p >= 100 ? h.getMaxValue() : h.getValueAtPercentile(p))});
    }
    return points;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}
