package dev.agentledger.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.agentledger.bench.loadgen.core.FixedRate;
import org.junit.jupiter.api.Test;

/** {@link RunRecorder#fate} names what became of each run, as the demo's lost-run lines say it. */
class RunRecorderFateTest {
  @Test
  void eachRunsFateInWords() {
    RunRecorder recorder = new RunRecorder(new FixedRate(1_000, 6_000_000L), 2);
    recorder.start(0);
    for (int i = 0; i < 5; i++) {
      recorder.onSubmitting(i, i * 1_000_000L, i * 1_000_000L);
    }
    recorder.onAccepted(0, 10);
    recorder.onCommitted(0, 11);
    recorder.onRejected(1, "overload", 10);
    recorder.onAccepted(2, 10);
    recorder.onAccepted(3, 10);
    recorder.onRejected(3, "expired", 12);

    assertThat(recorder.fate(0)).isEqualTo("committed");
    assertThat(recorder.fate(1)).isEqualTo("refused");
    assertThat(recorder.fate(2)).isEqualTo("accepted, not committed");
    assertThat(recorder.fate(3)).isEqualTo("accepted, then refused");
    assertThat(recorder.fate(4)).isEqualTo("sent, unanswered");
    assertThat(recorder.fate(5)).isEqualTo("not sent");
    assertThat(recorder.fate(-1)).isEqualTo("not sent");
    assertThat(recorder.lostSequences()).containsExactly(2L);
    assertThat(recorder.refusedAfterAcceptanceSequences()).containsExactly(3L);
    assertThat(recorder.refusedAfterAcceptanceByReason()).containsExactly(entry("expired", 1L));
    assertThat(recorder.tally().rejectedAfterAccept()).isEqualTo(1);
  }

  /** A run refused after its acceptance that the feed then reports committed is committed only. */
  @Test
  void aCommitAfterARefusalLeavesNoRefusedAfterAcceptance() {
    RunRecorder recorder = new RunRecorder(new FixedRate(1_000, 2_000_000L), 2);
    recorder.start(0);
    recorder.onSubmitting(0, 0, 0);
    recorder.onSubmitting(1, 1_000_000L, 1_000_000L);
    recorder.onAccepted(0, 10);
    recorder.onRejected(0, "expired", 11);
    recorder.onCommitted(0, 12);
    recorder.onRejected(1, "overload", 10);

    assertThat(recorder.fate(0)).isEqualTo("committed");
    assertThat(recorder.refusedAfterAcceptanceSequences()).isEmpty();
    assertThat(recorder.lostSequences()).isEmpty();
  }
}
