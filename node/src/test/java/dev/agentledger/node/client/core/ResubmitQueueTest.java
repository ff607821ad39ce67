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

  @Test
  void onlyDueRunsAreHandedOutEarliestFirstWhateverHowManyAgentsWait() {
    // 10,000 agents refused at once with their backoffs spread over a second; one is due early.
    ResubmitQueue q = new ResubmitQueue(10 * MS, 1_000 * MS);
    for (long agent = 0; agent < 10_000; agent++) {
      q.refused(agent, agent, record(agent), TxStatus.OVERLOADED, (agent % 100) * MS);
    }
    q.refused(77_777, 77_777, record(77_777), TxStatus.OVERLOADED, 0);
    List<Long> out = new ArrayList<>();
    ResubmitQueue.Sink sink = (agent, sequence, rec) -> out.add(sequence);
    assertThat(q.drainDue(10 * MS - 1, Integer.MAX_VALUE, sink)).isZero();
    // due at 10 ms: the agents refused at 0 (every hundredth and the extra one)
    assertThat(q.drainDue(10 * MS, 3, sink)).isEqualTo(3);
    assertThat(q.drainDue(10 * MS, Integer.MAX_VALUE, sink)).isEqualTo(98);
    assertThat(out).hasSize(101).contains(77_777L).allMatch(seq -> seq == 77_777 || seq % 100 == 0);
    out.clear();
    // at 50 ms the ones refused at 0..40 ms, earliest first
    q.drainDue(50 * MS, Integer.MAX_VALUE, sink);
    assertThat(out).hasSize(4_000);
    for (int i = 1; i < out.size(); i++) {
      assertThat(out.get(i) % 100).isGreaterThanOrEqualTo(out.get(i - 1) % 100);
    }
  }

  @Test
  void randomOperationsHandOutWhatAScanOfEveryAgentWould() {
    java.util.Random random = new java.util.Random(19);
    ResubmitQueue q = new ResubmitQueue(10 * MS, 80 * MS);
    // The model: per agent its waiting sequences with their due times, and what is in flight.
    java.util.Map<Long, java.util.TreeMap<Long, Long>> waiting = new java.util.HashMap<>();
    java.util.Map<Long, Long> inFlight = new java.util.HashMap<>();
    java.util.Map<Long, Integer> attempts = new java.util.HashMap<>();
    long now = 0;
    long nextSequence = 0;
    for (int step = 0; step < 20_000; step++) {
      now += random.nextInt(3 * (int) MS);
      long agent = random.nextInt(40);
      int op = random.nextInt(4);
      if (op == 0 && q.holds(agent)) {
        long seq = nextSequence++;
        q.park(agent, seq, record(seq), now);
        waiting.get(agent).put(seq, now);
      } else if (op == 1 && !q.holds(agent)) {
        long seq = nextSequence++; // a first refusal of a run the sender sent itself
        q.refused(agent, seq, record(seq), TxStatus.OVERLOADED, now);
        attempts.put(seq, 1);
        waiting
            .computeIfAbsent(agent, a -> new java.util.TreeMap<>())
            .put(seq, now + q.backoffNs(1));
      } else if (op == 2 && inFlight.containsKey(agent)) {
        long seq = inFlight.remove(agent);
        if (random.nextBoolean()) {
          int n = attempts.merge(seq, 1, Integer::sum);
          q.refused(agent, seq, record(seq), TxStatus.OVERLOADED, now);
          waiting.get(agent).put(seq, now + q.backoffNs(n));
        } else {
          q.answered(agent, seq, now);
          java.util.TreeMap<Long, Long> w = waiting.get(agent);
          w.remove(seq);
          if (w.isEmpty()) {
            waiting.remove(agent);
          } else {
            w.put(w.firstKey(), Math.min(w.firstEntry().getValue(), now));
          }
        }
      } else if (op == 3) {
        java.util.Set<Long> expected = new java.util.HashSet<>();
        for (var e : waiting.entrySet()) {
          if (!inFlight.containsKey(e.getKey()) && e.getValue().firstEntry().getValue() <= now) {
            expected.add(e.getValue().firstKey());
          }
        }
        java.util.Set<Long> got = new java.util.HashSet<>();
        final long at = now;
        q.drainDue(
            at,
            Integer.MAX_VALUE,
            (a, seq, rec) -> {
              got.add(seq);
              inFlight.put(a, seq);
            });
        assertThat(got).as("step %d", step).isEqualTo(expected);
      }
      assertThat(q.waiting())
          .isEqualTo(waiting.values().stream().mapToInt(java.util.Map::size).sum());
    }
  }
}
