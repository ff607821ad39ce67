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
    // Accepted and committed in the same instant: no time between acceptance and commit.
    assertThat(run.recorder().acceptToCommit().getTotalCount()).isEqualTo(100);
    assertThat(run.recorder().acceptToCommit().getMaxValue()).isZero();
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

  /**
   * A stop signal ends the sending before the schedule does (the demo's warm-up): what was sent is
   * drained and counted, what was not is neither submitted nor lost.
   */
  @Test
  void aStopSignalEndsTheSendingEarlyAndCountsOnlyWhatWasSent() throws Exception {
    FakeClock clock = new FakeClock(0);
    ScriptedTarget fast =
        new ScriptedTarget(
            clock,
            (sequence, listener, c) -> {
              listener.onAccepted(sequence, c.nanoTime());
              listener.onCommitted(sequence, c.nanoTime() + MS);
            });
    // 1000 tps for 100 ms; stop once 40 were sent
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            new FixedRate(1000, 100 * MS),
            pool,
            fast,
            clock,
            new LoadGenerator.Options(50 * MS, 0),
            (sent, outstanding) -> {
              assertThat(outstanding).isZero(); // this target answers at once
              return sent == 40;
            });
    assertThat(run.tally().submitted()).isEqualTo(40);
    assertThat(run.tally().committed()).isEqualTo(40);
    assertThat(run.tally().lost()).isZero();
    assertThat(run.tally().unanswered()).isZero();
    assertThat(run.drained()).isTrue();
    assertThat(run.sendWindowNs()).isEqualTo(40 * MS);
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

  /**
   * A target that accepts every run and commits the even ones at once; the odd ones stay accepted
   * until its third {@link LoadTarget#settle}, which answers them refused as {@code expired} (a
   * validator that dropped them unbatched).
   */
  static final class ExpiringTarget implements LoadTarget {
    private CompletionListener listener;
    private final java.util.List<Long> accepted = new java.util.ArrayList<>();
    int settles;
    boolean stoppedRetrying;

    @Override
    public TargetInfo info() {
      return new TargetInfo("expiring", "test target", "even runs at once", "none");
    }

    @Override
    public void start(CompletionListener completions) {
      this.listener = completions;
    }

    @Override
    public void submit(
        org.agrona.DirectBuffer buffer, int offset, int length, long sequence, long intendedNs) {
      listener.onAccepted(sequence, intendedNs);
      if (sequence % 2 == 0) {
        listener.onCommitted(sequence, intendedNs + MS);
      } else {
        accepted.add(sequence);
      }
    }

    @Override
    public void stopRetrying() {
      stoppedRetrying = true;
    }

    @Override
    public long settleNs() {
      return 15_000 * MS;
    }

    @Override
    public String settle() {
      if (++settles == 3) {
        accepted.forEach(sequence -> listener.onRejected(sequence, "expired", 0));
        return accepted.size() + " expired";
      }
      return settles + " asked";
    }

    @Override
    public java.util.List<StageCost> stageCosts() {
      return java.util.List.of();
    }

    @Override
    public void close() {}
  }

  @Test
  void acceptedRunsTheTargetAnswersAsDroppedAfterTheDrainAreRefusedNotLost() throws Exception {
    FakeClock clock = new FakeClock(0);
    ExpiringTarget target = new ExpiringTarget();
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            new FixedRate(1000, 100 * MS), pool, target, clock, new LoadGenerator.Options(MS, 0));
    assertThat(target.stoppedRetrying).isTrue();
    assertThat(target.settles).isEqualTo(3);
    RunRecorder.Tally t = run.tally();
    assertThat(t.lost()).isZero();
    assertThat(t.committed()).isEqualTo(50);
    assertThat(t.rejectedByReason()).containsEntry("expired", 50L);
    assertThat(t.rejectedAfterAccept()).isEqualTo(50);
    assertThat(run.recorder().acceptToCommit().getTotalCount()).isEqualTo(50);
    assertThat(run.recorder().acceptToCommit().getMaxValue()).isCloseTo(MS, within(MS / 500));
    assertThat(run.drained()).isTrue();
    assertThat(run.settleNote()).isEqualTo("first ask: 1 asked; last ask: 50 expired");
  }

  @Test
  void aTargetThatCannotSettleKeepsItsOutstandingRunsLost() throws Exception {
    FakeClock clock = new FakeClock(0);
    ScriptedTarget silent =
        new ScriptedTarget(clock, (sequence, listener, c) -> listener.onAccepted(sequence, 0));
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            new FixedRate(1000, 10 * MS), pool, silent, clock, new LoadGenerator.Options(MS, 0));
    assertThat(run.tally().lost()).isEqualTo(10);
    assertThat(run.settleNote()).isNull();
    assertThat(run.drained()).isFalse();
  }

  /** A clock whose every wait of the drain may complete one outstanding run. */
  static final class CommittingClock implements NanoClock {
    long now;
    long everyNs;
    long nextCommitNs;
    long nextSequence;
    long last;
    RunRecorder recorder;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepUntil(long deadlineNs) {
      now = Math.max(now, deadlineNs);
      while (nextSequence <= last && now >= nextCommitNs) {
        recorder.onCommitted(nextSequence++, now);
        nextCommitNs += everyNs;
      }
    }
  }

  @Test
  void theDrainGoesOnPastItsTimeoutWhileRunsKeepCommitting() {
    RunRecorder recorder = new RunRecorder(new FixedRate(10, 1_000 * MS), 60);
    recorder.start(0);
    for (int i = 0; i < 10; i++) {
      recorder.onSubmitting(i, 0, 0);
      recorder.onAccepted(i, 0);
    }
    CommittingClock clock = new CommittingClock();
    clock.recorder = recorder;
    clock.everyNs = 500 * MS; // one commit every 0.5 s: the last at 5 s, the timeout is 2 s
    clock.nextCommitNs = 500 * MS;
    clock.last = 9;
    LoadGenerator.drain(recorder, clock, 2_000 * MS);
    assertThat(recorder.outstanding()).isZero();
    assertThat(clock.now).isEqualTo(5_000 * MS);

    // Commits every 2.5 s are too slow to count as progress: the drain ends at its timeout ...
    RunRecorder stalled = new RunRecorder(new FixedRate(10, 1_000 * MS), 60);
    stalled.start(0);
    for (int i = 0; i < 10; i++) {
      stalled.onSubmitting(i, 0, 0);
      stalled.onAccepted(i, 0);
    }
    CommittingClock slow = new CommittingClock();
    slow.recorder = stalled;
    slow.everyNs = 2_500 * MS;
    slow.nextCommitNs = 2_500 * MS;
    slow.last = 9;
    LoadGenerator.drain(stalled, slow, 1_000 * MS);
    assertThat(slow.now).isEqualTo(1_000 * MS);
    assertThat(stalled.outstanding()).isEqualTo(10);

    // ... and one that keeps progressing stops at three timeouts.
    RunRecorder endless = new RunRecorder(new FixedRate(10_000, 1_000 * MS), 60);
    endless.start(0);
    for (int i = 0; i < 10_000; i++) {
      endless.onSubmitting(i, 0, 0);
      endless.onAccepted(i, 0);
    }
    CommittingClock steady = new CommittingClock();
    steady.recorder = endless;
    steady.everyNs = 100 * MS;
    steady.nextCommitNs = 100 * MS;
    steady.last = 9_999;
    LoadGenerator.drain(endless, steady, 1_000 * MS);
    assertThat(steady.now).isEqualTo(3_000 * MS);
    assertThat(endless.outstanding()).isEqualTo(10_000 - 30);
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
