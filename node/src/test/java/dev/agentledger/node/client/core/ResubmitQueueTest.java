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
  void aRefusedRunIsResentAfterItsBackoffWithItsAgentsLaterRunsBehindItInOneGo() {
    // nonce n (sequence 5) refused: the agent is held; its later offers (6, 7) park.
    queue.refused(A, 5, record(5), TxStatus.OVERLOADED, 0);
    assertThat(queue.holds(A)).isTrue();
    assertThat(queue.holds(B)).isFalse();
    queue.park(A, 6, record(6), 1);
    queue.park(A, 7, record(7), 2);
    assertThat(queue.waiting()).isEqualTo(3);

    assertThat(due(10 * MS - 1)).isEmpty();
    // due: the refused run and the runs parked behind it go out together, in nonce order
    assertThat(due(10 * MS)).containsExactly(5L, 6L, 7L);
    assertThat(due(500 * MS)).isEmpty();

    // 5 refused again, and the validator refuses 6 and 7 behind it: backoff doubles for 5, and
    // the three go out together again once it is due
    queue.refused(A, 5, record(5), TxStatus.RATE_LIMITED, 500 * MS);
    queue.refused(A, 6, record(6), TxStatus.NONCE_TOO_FAR, 500 * MS);
    queue.refused(A, 7, record(7), TxStatus.NONCE_TOO_FAR, 500 * MS);
    assertThat(due(520 * MS - 1)).isEmpty();
    assertThat(due(520 * MS)).containsExactly(5L, 6L, 7L);

    queue.answered(A, 5, 521 * MS);
    queue.answered(A, 6, 521 * MS);
    assertThat(queue.holds(A)).isTrue(); // 7 still in flight
    queue.answered(A, 7, 523 * MS);
    assertThat(queue.waiting()).isZero();
    assertThat(queue.holds(A)).isFalse();
    assertThat(queue.retries()).isEqualTo(4);
  }

  @Test
  void runsParkedWhileTheAgentsResentRunsAreInFlightGoOutAtOnceBehindThem() {
    queue.refused(A, 5, record(5), TxStatus.OVERLOADED, 0);
    assertThat(due(10 * MS)).containsExactly(5L);
    // 5 is in flight: 6 and 7 are offered meanwhile; they follow it without waiting for its answer
    queue.park(A, 6, record(6), 11 * MS);
    queue.park(A, 7, record(7), 11 * MS);
    assertThat(due(11 * MS)).containsExactly(6L, 7L);
    queue.answered(A, 5, 12 * MS);
    queue.answered(A, 6, 12 * MS);
    queue.answered(A, 7, 12 * MS);
    assertThat(queue.holds(A)).isFalse();
  }

  @Test
  void aRunRefusedWhileLaterOnesAreInFlightWaitsForAllTheirAnswers() {
    queue.refused(A, 5, record(5), TxStatus.OVERLOADED, 0);
    queue.park(A, 6, record(6), 0);
    queue.park(A, 7, record(7), 0);
    assertThat(due(10 * MS)).containsExactly(5L, 6L, 7L);
    queue.refused(A, 5, record(5), TxStatus.OVERLOADED, 11 * MS);
    // 6 and 7 are still in flight: resending 5 now would put it behind them on the wire
    assertThat(due(1_000 * MS)).isEmpty();
    queue.refused(A, 6, record(6), TxStatus.NONCE_TOO_FAR, 12 * MS);
    assertThat(due(1_000 * MS)).isEmpty();
    queue.answered(A, 7, 13 * MS); // held by the validator: accepted
    assertThat(due(1_000 * MS)).containsExactly(5L, 6L);
  }

  @Test
  void aRunAnsweredAheadOfTheFirstWaitingOneMakesItDueAtOnce() {
    queue.refused(A, 8, record(8), TxStatus.AGENT_LIMIT, 0);
    queue.refused(A, 5, record(5), TxStatus.OVERLOADED, 0);
    queue.refused(B, 3, record(3), TxStatus.OVERLOADED, 0);
    assertThat(due(10 * MS)).containsExactlyInAnyOrder(5L, 8L, 3L);
    queue.refused(A, 8, record(8), TxStatus.AGENT_LIMIT, 11 * MS); // backoff 20 ms
    assertThat(due(12 * MS)).isEmpty(); // 5 still in flight ahead of it
    queue.answered(A, 5, 12 * MS);
    assertThat(due(12 * MS)).containsExactly(8L);
  }

  @Test
  void anAgentsRunsInFlightFromHereAreBoundedAndTheRestFollowAsAnswersArrive() {
    ResubmitQueue q = new ResubmitQueue(10 * MS, 1_000 * MS, 3);
    q.refused(A, 0, record(0), TxStatus.RATE_LIMITED, 0);
    for (long s = 1; s < 6; s++) {
      q.park(A, s, record(s), 0);
    }
    List<Long> out = new ArrayList<>();
    ResubmitQueue.Sink sink = (agent, sequence, rec) -> out.add(sequence);
    assertThat(q.drainDue(10 * MS, 100, sink)).isEqualTo(3);
    assertThat(q.drainDue(10 * MS, 100, sink)).isZero();
    q.answered(A, 0, 11 * MS);
    assertThat(q.drainDue(11 * MS, 100, sink)).isEqualTo(1);
    q.answered(A, 1, 11 * MS);
    q.answered(A, 2, 11 * MS);
    assertThat(q.drainDue(11 * MS, 100, sink)).isEqualTo(2);
    assertThat(out).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThatThrownBy(() -> new ResubmitQueue(1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAgentCutOffByTheFrameLimitContinuesOnTheNextDrainInOrder() {
    queue.refused(A, 0, record(0), TxStatus.OVERLOADED, 0);
    for (long s = 1; s < 10; s++) {
      queue.park(A, s, record(s), 0);
    }
    List<Long> out = new ArrayList<>();
    ResubmitQueue.Sink sink = (agent, sequence, rec) -> out.add(sequence);
    assertThat(queue.drainDue(10 * MS, 4, sink)).isEqualTo(4);
    assertThat(queue.drainDue(10 * MS, 4, sink)).isEqualTo(4);
    assertThat(queue.drainDue(10 * MS, 4, sink)).isEqualTo(2);
    assertThat(out).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(queue.waiting()).isEqualTo(10);
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
    queue.park(A, 7, record(7), 0);
    assertThat(due(10 * MS)).containsExactly(5L, 6L, 7L);
    queue.refused(A, 6, record(6), TxStatus.NONCE_TOO_FAR, 10 * MS);
    queue.answered(A, 7, 10 * MS);
    queue.park(A, 8, record(8), 10 * MS);
    // 5 in flight, 6 waiting, 8 parked (never sent): all given up, in order
    List<String> out = new ArrayList<>();
    queue.drainAll((sequence, status) -> out.add(sequence + ":" + status));
    assertThat(out).containsExactly("5:RATE_LIMITED", "6:NONCE_TOO_FAR", "8:OVERLOADED");
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
  void randomOperationsHandOutWhatAScanOfEveryAgentWouldAndNeverOvertakeOnTheWire() {
    java.util.Random random = new java.util.Random(19);
    int window = 4;
    ResubmitQueue q = new ResubmitQueue(10 * MS, 80 * MS, window);
    // The model: per agent its waiting sequences with their due times, and those in flight.
    java.util.Map<Long, java.util.TreeMap<Long, Long>> unsent = new java.util.HashMap<>();
    java.util.Map<Long, java.util.TreeSet<Long>> inFlight = new java.util.HashMap<>();
    java.util.Map<Long, Integer> attempts = new java.util.HashMap<>();
    long now = 0;
    long nextSequence = 0;
    for (int step = 0; step < 20_000; step++) {
      now += random.nextInt(3 * (int) MS);
      long agent = random.nextInt(40);
      int op = random.nextInt(4);
      java.util.TreeMap<Long, Long> u =
          unsent.computeIfAbsent(agent, a -> new java.util.TreeMap<>());
      java.util.TreeSet<Long> f = inFlight.computeIfAbsent(agent, a -> new java.util.TreeSet<>());
      assertThat(q.holds(agent)).isEqualTo(!u.isEmpty() || !f.isEmpty());
      if (op == 0 && q.holds(agent)) {
        long seq = nextSequence++;
        q.park(agent, seq, record(seq), now);
        u.put(seq, now);
      } else if (op == 1 && !q.holds(agent)) {
        long seq = nextSequence++; // a first refusal of a run the sender sent itself
        q.refused(agent, seq, record(seq), TxStatus.OVERLOADED, now);
        attempts.put(seq, 1);
        u.put(seq, now + q.backoffNs(1));
      } else if (op == 2 && !f.isEmpty()) {
        java.util.List<Long> sent = new java.util.ArrayList<>(f);
        long seq = sent.get(random.nextInt(sent.size()));
        f.remove(seq);
        if (random.nextBoolean()) {
          int n = attempts.merge(seq, 1, Integer::sum);
          q.refused(agent, seq, record(seq), TxStatus.OVERLOADED, now);
          u.put(seq, now + q.backoffNs(n));
        } else {
          q.answered(agent, seq, now);
          if (!u.isEmpty() && seq < u.firstKey()) {
            u.put(u.firstKey(), Math.min(u.firstEntry().getValue(), now));
          }
        }
      } else if (op == 3) {
        java.util.Map<Long, List<Long>> expected = new java.util.HashMap<>();
        for (var e : unsent.entrySet()) {
          java.util.TreeMap<Long, Long> w = e.getValue();
          java.util.TreeSet<Long> sent = inFlight.get(e.getKey());
          if (!w.isEmpty()
              && sent.size() < window
              && (sent.isEmpty() || sent.last() < w.firstKey())
              && w.firstEntry().getValue() <= now) {
            expected.put(e.getKey(), w.keySet().stream().limit(window - sent.size()).toList());
          }
        }
        java.util.Map<Long, List<Long>> got = new java.util.HashMap<>();
        q.drainDue(
            now,
            Integer.MAX_VALUE,
            (a, seq, rec) -> {
              java.util.TreeSet<Long> sent = inFlight.get(a);
              // never ahead of a run of its agent already on the wire, never sent twice
              assertThat(sent.isEmpty() || sent.last() < seq).isTrue();
              sent.add(seq);
              unsent.get(a).remove(seq);
              got.computeIfAbsent(a, k -> new ArrayList<>()).add(seq);
            });
        assertThat(got).as("step %d", step).isEqualTo(expected);
      }
      assertThat(q.waiting())
          .isEqualTo(
              unsent.values().stream().mapToInt(java.util.Map::size).sum()
                  + inFlight.values().stream().mapToInt(java.util.Set::size).sum());
    }
  }
}
