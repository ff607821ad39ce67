package dev.agentledger.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentledger.bench.loadgen.core.FixedRate;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
  private static final long MS = 1_000_000;
  static PresignedPool pool;

  @BeforeAll
  static void pool() throws Exception {
    pool = PresignedPool.build(RunContents.defaults().withAgents(8), 16, 1);
  }

  /**
   * A target that blocks the sender for 10 ms per submission, at an offered 1000 tps: a closed-loop
   * generator would report 10 ms for everyone. Measured from the intended send time, transaction i
   * (due at i ms, committed at 10(i+1) ms) has latency exactly 9i + 10 ms.
   */
  @Test
  void latencyIsMeasuredFromTheIntendedSendTimeNotTheActualOne() throws Exception {
    FakeClock clock = new FakeClock(5_000 * MS);
    ScriptedTarget slow =
        new ScriptedTarget(
            clock,
            (sequence, listener, c) -> {
              c.advance(10 * MS);
              listener.onAccepted(sequence, c.nanoTime());
              listener.onCommitted(sequence, c.nanoTime());
            });
    FixedRate schedule = new FixedRate(1000, 100 * MS);
    LoadGenerator.RunResult run =
        LoadGenerator.run(schedule, pool, slow, clock, new LoadGenerator.Options(1000 * MS, 0));

    Histogram latency = run.recorder().commitLatency();
    assertThat(latency.getTotalCount()).isEqualTo(100);
    assertThat(latency.getMinValue()).isCloseTo(10 * MS, within(10 * MS / 500));
    assertThat(latency.getMaxValue()).isCloseTo(901 * MS, within(901 * MS / 500));
    assertThat(latency.getValueAtPercentile(50)).isCloseTo(451 * MS, within(451 * MS / 500));
    assertThat(latency.getMean()).isCloseTo((9 * 49.5 + 10) * MS, within(0.01 * 455 * MS));
    // The sender's lag is visible too: transaction i went out 9i ms late.
    assertThat(run.recorder().sendLag().getMaxValue()).isCloseTo(891 * MS, within(891 * MS / 500));
    // Committed TPS is what the target did (100 in 1 s), not what was offered (1000/s).
    assertThat(run.committedTps()).isCloseTo(100, within(0.01));
    assertThat(run.tally().lost()).isZero();
    assertThat(run.drained()).isTrue();
    assertThat(slow.closed).isTrue();
  }

  @Test
  void aFastTargetShowsOnlyItsOwnDelay() throws Exception {
    FakeClock clock = new FakeClock(0);
    ScriptedTarget fast =
        new ScriptedTarget(
            clock,
            (sequence, listener, c) -> listener.onCommitted(sequence, c.nanoTime() + 2 * MS));
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            new FixedRate(1000, 100 * MS), pool, fast, clock, new LoadGenerator.Options(MS, 0));
    assertThat(run.recorder().commitLatency().getMaxValue())
        .isCloseTo(2 * MS, within(2 * MS / 500));
    assertThat(run.recorder().sendLag().getMaxValue()).isZero();
  }

  @Test
  void everyOutcomeIsCountedExactly() throws Exception {
    FakeClock clock = new FakeClock(0);
    ScriptedTarget scripted =
        new ScriptedTarget(
            clock,
            (sequence, listener, c) -> {
              long now = c.nanoTime();
              switch ((int) (sequence % 10)) {
                case 0 -> listener.onRejected(sequence, "bad_signature", now);
                case 1 -> listener.onAccepted(sequence, now); // accepted, never committed: lost
                case 2 -> {} // never answered
                case 3 -> {
                  listener.onAccepted(sequence, now);
                  listener.onCommitted(sequence, now + MS);
                  listener.onCommitted(sequence, now + 2 * MS); // duplicate
                }
                case 4 ->
                    listener.onCommitted(
                        sequence, now + MS); // commit without an acceptance callback
                case 5 -> {
                  listener.onAccepted(sequence, now);
                  listener.onRejected(sequence, "overload:verify", now); // shed after admission
                }
                default -> {
                  listener.onAccepted(sequence, now);
                  listener.onCommitted(sequence, now + MS);
                }
              }
            });
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            new FixedRate(1000, 100 * MS),
            pool,
            scripted,
            clock,
            new LoadGenerator.Options(50 * MS, 0));
    RunRecorder.Tally t = run.tally();
    assertThat(t.submitted()).isEqualTo(100);
    assertThat(t.rejected()).isEqualTo(20);
    assertThat(t.rejectedByReason())
        .containsEntry("bad_signature", 10L)
        .containsEntry("overload:verify", 10L);
    assertThat(t.rejectedAfterAccept()).isEqualTo(10);
    assertThat(t.overloadRejections()).isEqualTo(10);
    assertThat(t.lost()).isEqualTo(10);
    assertThat(t.unanswered()).isEqualTo(10);
    assertThat(t.committed()).isEqualTo(60);
    assertThat(t.duplicateCommits()).isEqualTo(10);
    assertThat(t.accepted()).isEqualTo(10 + 10 + 10 + 10 + 40);
    assertThat(run.drained()).isFalse();
    assertThat(run.recorder().commitLatency().getTotalCount()).isEqualTo(60);
    assertThat(FindMax.toProbe(1000, run).lost()).isEqualTo(10);
  }

  @Test
  void callbacksForUnknownSequencesAreIgnored() {
    RunRecorder recorder = new RunRecorder(new FixedRate(10, 1_000 * MS), 2);
    recorder.start(0);
    recorder.onSubmitting(0, 0, 0);
    recorder.onCommitted(5, 10);
    recorder.onCommitted(-1, 10);
    recorder.onCommitted(0, 10);
    assertThat(recorder.tally().committed()).isEqualTo(1);
    assertThat(recorder.outstanding()).isZero();
  }
}
