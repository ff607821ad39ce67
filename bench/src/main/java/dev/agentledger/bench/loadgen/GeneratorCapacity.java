package dev.agentledger.bench.loadgen;

import dev.agentledger.bench.loadgen.core.FixedRate;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * Measures how fast the generator itself can go: the send loop at a rate far above what it can
 * reach, against a target that only reads one byte of each record and answers nothing. The result
 * (sends per second, CPU per send) is printed beside every run so a reader can tell whether the
 * generator or the system under test was the limit.
 *
 * @param sendsPerSecond measured send rate of the loop (bookkeeping included)
 * @param cpuNsPerSend sender thread CPU per send
 * @param sends sends in the measurement
 */
public record GeneratorCapacity(double sendsPerSecond, double cpuNsPerSend, long sends) {
  /** Runs the send loop for {@code sends} transactions (at least 10,000) as fast as it goes. */
  public static GeneratorCapacity measure(PresignedPool pool, int sends) {
    int n = Math.max(10_000, sends);
    // All n transactions are due within 1 ms of a start that lies 1 ms in the past: the loop never
    // sleeps.
    FixedRate schedule = new FixedRate(n * 1e3, 1_000_000L);
    RunRecorder recorder = new RunRecorder(schedule, 1);
    Sink sink = new Sink();
    var threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    recorder.start(t0 - 1_000_000L);
    LoadGenerator.sendAll(
        schedule,
        pool,
        sink,
        NanoClock.SYSTEM,
        recorder,
        t0 - 1_000_000L,
        LoadGenerator.StopSignal.NEVER);
    long wall = System.nanoTime() - t0;
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    if (sink.checksum == Long.MIN_VALUE) {
      throw new AssertionError("unreachable; keeps the reads alive");
    }
    return new GeneratorCapacity(sink.count * 1e9 / wall, (double) cpu / sink.count, sink.count);
  }

  /** Reads one byte per record (so the copy cannot be skipped) and answers nothing. */
  private static final class Sink implements LoadTarget {
    long count;
    long checksum;

    @Override
    public TargetInfo info() {
      return new TargetInfo("sink", "discards records", "nothing", "none");
    }

    @Override
    public void start(CompletionListener listener) {}

    @Override
    public void submit(
        DirectBuffer buffer, int offset, int length, long sequence, long intendedSendNs) {
      checksum += buffer.getByte(offset + (int) (sequence & 255));
      count++;
    }

    @Override
    public List<StageCost> stageCosts() {
      return List.of();
    }

    @Override
    public void close() {}
  }
}
