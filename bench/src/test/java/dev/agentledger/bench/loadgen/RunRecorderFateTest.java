package dev.agentledger.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

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
  }
}
