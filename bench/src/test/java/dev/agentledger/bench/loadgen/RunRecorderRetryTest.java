package dev.agentledger.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.bench.loadgen.core.FixedRate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecorderRetryTest {
  @Test
  void retriesAreCountedByReasonAndAreNotRejectionsNorFinal() {
    RunRecorder recorder = new RunRecorder(new FixedRate(1_000, 2_000_000L), 2);
    recorder.start(0);
    recorder.onSubmitting(0, 0, 0);
    recorder.onSubmitting(1, 1_000_000, 1_000_000);
    recorder.onRetried(0, "overload_rate_limited", 2);
    recorder.onRetried(0, "overload_rate_limited", 3);
    recorder.onRetried(1, "nonce_too_far", 3);
    assertThat(recorder.outstanding()).isEqualTo(2);

    recorder.onAccepted(0, 4);
    recorder.onAccepted(1, 4);
    recorder.onCommitted(0, 5);
    recorder.onCommitted(1, 5);

    RunRecorder.Tally tally = recorder.tally();
    assertThat(tally.rejected()).isZero();
    assertThat(tally.committed()).isEqualTo(2);
    assertThat(tally.lost()).isZero();
    assertThat(recorder.retries()).isEqualTo(3);
    assertThat(recorder.retriedByReason())
        .isEqualTo(Map.of("overload_rate_limited", 2L, "nonce_too_far", 1L));
  }
}
