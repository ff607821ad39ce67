package dev.agentledger.bench.loadgen;

import dev.agentledger.bench.loadgen.core.RateSchedule;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The open-loop driver. One sender thread (the caller's) walks the schedule: it waits for each
 * transaction's intended send time, submits the pre-signed record, and never waits for an answer;
 * if it falls behind it sends the late ones at once, still stamped with their intended times, so
 * the lag shows in the latencies instead of silently lowering the offered load.
 *
 * <p>After the schedule it drains: it waits up to the drain timeout for outstanding transactions,
 * and past it for as long as they keep completing ({@link #PROGRESS_NS}), up to three times the
 * timeout, so nothing the system still commits during its drain is counted lost. If some are still
 * outstanding then, the target stops resubmitting ({@link LoadTarget#stopRetrying}) and, for up to
 * {@link LoadTarget#settleNs}, is asked once a second about the accepted ones ({@link
 * LoadTarget#settle}), which turns explicit refusals (a run dropped unbatched) into rejections.
 * Whatever was accepted and is still not committed then is reported as lost.
 */
public final class LoadGenerator {
  /** Past the drain timeout, the drain goes on while something completed within this long. */
  public static final long PROGRESS_NS = TimeUnit.SECONDS.toNanos(2);

  /** Knobs of one run. */
  public record Options(long drainTimeoutNs, long startDelayNs) {
    public static Options defaults() {
      return new Options(TimeUnit.SECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /**
   * Everything one run measured.
   *
   * @param recorder per-transaction outcomes, histograms and timeline
   * @param tally exact counts
   * @param wallNs from the first intended send to the end of the drain
   * @param commitWindowNs from the first intended send to the last commit (0 if none)
   * @param sendWindowNs from the first intended send to the last actual send
   * @param drained whether every transaction was answered before the drain timeout
   * @param stageCosts the target's per-stage costs at the end
   * @param processCpuNs CPU time of the whole process during the run (generator included)
   * @param generatorCpuNs CPU time of the sender thread during the send loop
   * @param settleNote what {@link LoadTarget#settle} said of the outstanding accepted transactions
   *     at its first ask and, when it asked again, at its last, or null
   */
  public record RunResult(
      RateSchedule schedule,
      RunRecorder recorder,
      RunRecorder.Tally tally,
      long wallNs,
      long commitWindowNs,
      long sendWindowNs,
      boolean drained,
      List<StageCost> stageCosts,
      long processCpuNs,
      long generatorCpuNs,
      String settleNote) {
    /** Committed transactions per second over the commit window. */
    public double committedTps() {
      return commitWindowNs <= 0 ? 0 : tally.committed() * 1e9 / commitWindowNs;
    }

    /** Submitted transactions per second over the schedule's duration. */
    public double offeredTps() {
      return tally.submitted() * 1e9 / schedule.durationNs();
    }
  }

  private LoadGenerator() {}

  /** Runs {@code schedule} against {@code target} (started here, closed before returning). */
  public static RunResult run(
      RateSchedule schedule,
      PresignedPool pool,
      LoadTarget target,
      NanoClock clock,
      Options options)
      throws Exception {
    return run(schedule, pool, target, clock, options, StopSignal.NEVER);
  }

  /** Asked before each send whether to stop sending early. */
  @FunctionalInterface
  public interface StopSignal {
    /** Sends the whole schedule. */
    StopSignal NEVER = (sent, outstanding) -> false;

    /**
     * @param sent transactions sent so far
     * @param outstanding of those, the ones not answered yet (neither committed nor rejected)
     * @return whether to send no more
     */
    boolean stop(long sent, long outstanding);
  }

  /**
   * Runs {@code schedule} against {@code target} like {@link #run(RateSchedule, PresignedPool,
   * LoadTarget, NanoClock, Options)}, but stops sending before the schedule's end once {@code stop}
   * says so (asked before each send; the demo's warm-up, which ends on evidence): what was sent is
   * drained and counted as usual, what was not is neither submitted nor lost.
   */
  public static RunResult run(
      RateSchedule schedule,
      PresignedPool pool,
      LoadTarget target,
      NanoClock clock,
      Options options,
      StopSignal stop)
      throws Exception {
    int timelineSeconds =
        (int) ((schedule.durationNs() + options.drainTimeoutNs()) / 1_000_000_000L) + 2;
    RunRecorder recorder = new RunRecorder(schedule, timelineSeconds);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long processCpu0 = processCpuNs();
    boolean drained;
    long start;
    long sendEnd;
    long end;
    long generatorCpu;
    List<StageCost> costs;
    String settleNote = null;
    try (target) {
      target.start(recorder);
      start = clock.nanoTime() + options.startDelayNs();
      recorder.start(start);
      long cpu0 = threads.getCurrentThreadCpuTime();
      sendEnd = sendAll(schedule, pool, target, clock, recorder, start, stop);
      generatorCpu = threads.getCurrentThreadCpuTime() - cpu0;
      drain(recorder, clock, options.drainTimeoutNs());
      if (recorder.outstanding() > 0 && target.settleNs() > 0) {
        target.stopRetrying();
        long settleEnd = clock.nanoTime() + target.settleNs();
        String first = null;
        while (true) {
          String note = target.settle();
          if (first == null) {
            first = note;
            settleNote = note;
          } else if (note != null) {
            settleNote = "first ask: " + first + "; last ask: " + note;
          }
          long now = clock.nanoTime();
          if (recorder.outstanding() == 0 || now >= settleEnd) {
            break;
          }
          clock.sleepUntil(Math.min(settleEnd, now + TimeUnit.SECONDS.toNanos(1)));
        }
      }
      drained = recorder.outstanding() == 0;
      end = clock.nanoTime();
      costs = target.stageCosts();
    }
    long processCpu = processCpuNs() - processCpu0;
    long lastCommit = recorder.lastCommitNs();
    long commitWindow = lastCommit == Long.MIN_VALUE ? 0 : Math.max(1, lastCommit - start);
    return new RunResult(
        schedule,
        recorder,
        recorder.tally(),
        end - start,
        commitWindow,
        sendEnd - start,
        drained,
        costs,
        processCpu,
        generatorCpu,
        settleNote);
  }

  /**
   * Waits until nothing is outstanding, or the drain timeout has passed and nothing completed
   * within {@link #PROGRESS_NS} (or at most three timeouts).
   */
  static void drain(RunRecorder recorder, NanoClock clock, long drainTimeoutNs) {
    long start = clock.nanoTime();
    long deadline = start + drainTimeoutNs;
    long cap = start + 3 * drainTimeoutNs;
    long lastOutstanding = recorder.outstanding();
    long lastProgressNs = Long.MIN_VALUE;
    while (true) {
      long now = clock.nanoTime();
      long outstanding = recorder.outstanding();
      if (outstanding == 0) {
        return;
      }
      if (outstanding < lastOutstanding) {
        lastOutstanding = outstanding;
        lastProgressNs = now;
      }
      boolean progressing = lastProgressNs != Long.MIN_VALUE && now - lastProgressNs < PROGRESS_NS;
      if (now >= cap || (now >= deadline && !progressing)) {
        return;
      }
      clock.sleepUntil(now + TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /**
   * The send loop: allocation-free, one submit per scheduled transaction, until the schedule ends
   * or {@code stop} says so.
   */
  static long sendAll(
      RateSchedule schedule,
      PresignedPool pool,
      LoadTarget target,
      NanoClock clock,
      RunRecorder recorder,
      long start,
      StopSignal stop) {
    long count = schedule.count();
    long now = clock.nanoTime();
    for (long i = 0; i < count; i++) {
      long intended = start + schedule.offsetNs(i);
      if (now < intended) {
        clock.sleepUntil(intended);
      }
      if (stop.stop(i, recorder.outstanding())) {
        break;
      }
      now = clock.nanoTime();
      recorder.onSubmitting(i, intended, now);
      target.submit(
          pool.buffer(), pool.offsetOf(i), AgentRunDescriptor.ENCODED_LENGTH, i, intended);
    }
    return clock.nanoTime();
  }

  /** Process CPU time (all threads) from the platform MXBean, or -1 where unsupported. */
  public static long processCpuNs() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
