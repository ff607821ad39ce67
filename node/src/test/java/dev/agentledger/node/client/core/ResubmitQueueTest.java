package dev.agentledger.node.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.net.TxStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResubmitQueueTest {
  private static final long MS = 1_000_000L;
  private static final long A = 1;
  private static final long B = 2;

  private final ResubmitQueue queue = new ResubmitQueue(10 * MS, 1_000 * MS);

  private static byte[] record(long sequence) {
    return new byte[] {(byte) sequence};
  }

  private List<Long> due(long nowNs) {
    List<Long> out = new ArrayList<>();
    queue.drainDue(
        nowNs,
        100,
        (agent, sequence, rec) -> {
          assertThat(rec).containsExactly(record(sequence));
          out.add(sequence);
        });
    return out;
  }

  @Test
  void onlyLoadSheddingAndNonceTooFarAreRetryable() {
    assertThat(ResubmitQueue.retryable(TxStatus.OVERLOADED)).isTrue();
    assertThat(ResubmitQueue.retryable(TxStatus.RATE_LIMITED)).isTrue();
    assertThat(ResubmitQueue.retryable(TxStatus.AGENT_LIMIT)).isTrue();
    assertThat(ResubmitQueue.retryable(TxStatus.NONCE_TOO_FAR)).isTrue();
    for (TxStatus s :
        List.of(
            TxStatus.ACCEPTED,
            TxStatus.BAD_SIGNATURE,
            TxStatus.MALFORMED,
            TxStatus.NONCE_REPLAY,
            TxStatus.FEE_TOO_LOW,
            TxStatus.WRONG_CHAIN)) {
      assertThat(ResubmitQueue.retryable(s)).as(s.name()).isFalse();
    }
  }

  @Test
  void backoffDoublesUpToTheCap() {
    assertThat(queue.backoffNs(1)).isEqualTo(10 * MS);
    assertThat(queue.backoffNs(2)).isEqualTo(20 * MS);
    assertThat(queue.backoffNs(7)).isEqualTo(640 * MS);
    assertThat(queue.backoffNs(8)).isEqualTo(1_000 * MS);
    assertThat(queue.backoffNs(1_000)).isEqualTo(1_000 * MS);
    assertThatThrownBy(() -> new ResubmitQueue(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusedRunIsResentAfterItsBackoffAndItsAgentsLaterRunsWaitBehindIt() {
    // nonce n (sequence 5) refused: the agent is held; its later offers (6, 7) park.
    queue.refused(A, 5, record(5), TxStatus.OVERLOADED, 0);
    assertThat(queue.holds(A)).isTrue();
    assertThat(queue.holds(B)).isFalse();
    queue.park(A, 6, record(6), 1);
    queue.park(A, 7, record(7), 2);
    assertThat(queue.waiting()).isEqualTo(3);

    assertThat(due(10 * MS - 1)).isEmpty();
    assertThat(due(10 * MS)).containsExactly(5L);
    // in flight: nothing more of A until it is answered
    assertThat(due(500 * MS)).isEmpty();

    // refused again: backoff doubles
    queue.refused(A, 5, record(5), TxStatus.RATE_LIMITED, 500 * MS);
    assertThat(due(520 * MS - 1)).isEmpty();
    assertThat(due(520 * MS)).containsExactly(5L);

    // accepted: the next run of A is due at once, in nonce order, one at a time
    queue.answered(A, 5, 521 * MS);
    assertThat(due(521 * MS)).containsExactly(6L);
    queue.answered(A, 6, 522 * MS);
    assertThat(due(522 * MS)).containsExactly(7L);
    queue.answered(A, 7, 523 * MS);
    assertThat(queue.waiting()).isZero();
    assertThat(queue.holds(A)).isFalse();
    assertThat(queue.retries()).isEqualTo(2);
  }

  @Test
  void aLaterRunRefusedWhileAnEarlierOneWaitsIsSentAfterIt() {
    queue.refused(A, 8, record(8), TxStatus.AGENT_LIMIT, 0);
    queue.refused(A, 5, record(5), TxStatus.OVERLOADED, 0);
    queue.refused(B, 3, record(3), TxStatus.OVERLOADED, 0);
    assertThat(due(10 * MS)).containsExactlyInAnyOrder(5L, 3L);
    queue.answered(A, 5, 11 * MS);
    queue.answered(B, 3, 11 * MS);
    assertThat(due(11 * MS)).containsExactly(8L);
  }

  @Test
  void answersForRunsNotQueuedAreIgnored() {
    queue.answered(A, 1, 0);
    queue.refused(A, 5, record(5), TxStatus.OVERLOADED, 0);
    queue.answered(A, 4, 0); // an earlier run of A sent directly
    queue.answered(B, 5, 0);
    assertThat(queue.waiting()).isEqualTo(1);
    assertThat(due(10 * MS)).containsExactly(5L);
  }

  @Test
  void drainAllGivesUpEveryWaitingRunWithItsLastStatus() {
    queue.refused(A, 5, record(5), TxStatus.RATE_LIMITED, 0);
    queue.park(A, 6, record(6), 0);
    List<String> out = new ArrayList<>();
    queue.drainAll((sequence, status) -> out.add(sequence + ":" + status));
    assertThat(out).containsExactly("5:RATE_LIMITED", "6:OVERLOADED");
    assertThat(queue.waiting()).isZero();
    assertThat(queue.holds(A)).isFalse();
  }
}
