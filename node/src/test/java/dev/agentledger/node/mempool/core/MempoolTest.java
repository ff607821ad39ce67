package dev.agentledger.node.mempool.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MempoolTest {
  static final long SEC = 1_000_000_000L;
  final UnsafeBuffer record = new UnsafeBuffer(new byte[AgentRunDescriptor.ENCODED_LENGTH]);
  final AgentRunFlyweight run = new AgentRunFlyweight().wrap(record, 0);

  record Tx(int agent, long nonce, int priority, long fee) {}

  static MempoolConfig config(int capacity, int perAgent, int gap) {
    return new MempoolConfig(capacity, perAgent, gap, 1024, 0, 0, 16, 0, 0);
  }

  Admission offer(Mempool pool, int agent, long nonce, int priority, long fee) {
    return offer(pool, agent, nonce, priority, fee, -1, 0);
  }

  Admission offer(
      Mempool pool, int agent, long nonce, int priority, long fee, int conn, long nowNs) {
    byte[] key = new byte[32];
    key[0] = (byte) agent;
    key[1] = (byte) (agent >> 8);
    key[31] = 1;
    run.agent(key, 0).payer(key, 0).nonce(nonce).priority(priority).maxFee(fee);
    return pool.offer(record, 0, conn, nowNs);
  }

  List<Tx> drain(Mempool pool, int max) {
    List<Tx> out = new ArrayList<>();
    AgentRunFlyweight r = new AgentRunFlyweight();
    byte[] key = new byte[32];
    pool.drain(
        max,
        (buffer, offset) -> {
          r.wrap(buffer, offset);
          r.getAgent(key, 0);
          out.add(
              new Tx((key[0] & 0xFF) | (key[1] & 0xFF) << 8, r.nonce(), r.priority(), r.maxFee()));
        });
    return out;
  }

  @Test
  void lanesThenFeeThenArrival() {
    Mempool pool = new Mempool(config(100, 10, 10));
    offer(pool, 1, 0, 3, 500);
    offer(pool, 2, 0, 1, 10);
    offer(pool, 3, 0, 1, 90);
    offer(pool, 4, 0, 0, 1);
    offer(pool, 5, 0, 1, 90);
    assertThat(drain(pool, 10))
        .containsExactly(
            new Tx(4, 0, 0, 1),
            new Tx(3, 0, 1, 90),
            new Tx(5, 0, 1, 90),
            new Tx(2, 0, 1, 10),
            new Tx(1, 0, 3, 500));
  }

  @Test
  void agentNonceOrderBeatsFee() {
    Mempool pool = new Mempool(config(100, 10, 10));
    offer(pool, 1, 0, 5, 1);
    offer(pool, 1, 1, 0, 1000);
    offer(pool, 2, 0, 2, 5);
    // Agent 1's nonce 1 is lane 0 but waits behind its nonce 0 (lane 5).
    assertThat(drain(pool, 10))
        .containsExactly(new Tx(2, 0, 2, 5), new Tx(1, 0, 5, 1), new Tx(1, 1, 0, 1000));
  }

  @Test
  void futureNoncesAreHeldUntilTheGapFills() {
    Mempool pool = new Mempool(config(100, 10, 3));
    assertThat(offer(pool, 1, 2, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 3, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 4, 0, 1)).isEqualTo(Admission.NONCE_TOO_FAR);
    assertThat(offer(pool, 1, 3, 0, 1)).isEqualTo(Admission.DUPLICATE);
    assertThat(drain(pool, 10)).isEmpty();
    assertThat(pool.heldCount()).isEqualTo(2);
    assertThat(offer(pool, 1, 1, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(drain(pool, 10)).isEmpty();
    assertThat(offer(pool, 1, 0, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(pool.heldCount()).isZero();
    assertThat(drain(pool, 10)).extracting(Tx::nonce).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void replaysAreRejectedBeforeAndAfterDrain() {
    Mempool pool = new Mempool(config(100, 10, 10));
    assertThat(offer(pool, 1, 0, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 0, 0, 1)).isEqualTo(Admission.REPLAY);
    drain(pool, 10);
    assertThat(offer(pool, 1, 0, 0, 1)).isEqualTo(Admission.REPLAY);
    assertThat(offer(pool, 1, 1, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(pool.metrics().of(Admission.REPLAY)).isEqualTo(2);
  }

  @Test
  void perAgentCapacity() {
    Mempool pool = new Mempool(config(100, 2, 10));
    offer(pool, 1, 0, 0, 1);
    offer(pool, 1, 1, 0, 1);
    assertThat(offer(pool, 1, 2, 0, 1)).isEqualTo(Admission.AGENT_FULL);
    assertThat(offer(pool, 2, 0, 0, 1)).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void fullPoolEvictsOldestHeldForReadyAndRefusesOtherwise() {
    Mempool pool = new Mempool(config(3, 10, 10));
    offer(pool, 1, 5, 0, 1); // held, oldest
    offer(pool, 2, 7, 0, 1); // held
    offer(pool, 3, 0, 0, 1); // ready
    assertThat(pool.size()).isEqualTo(3);
    assertThat(offer(pool, 4, 3, 0, 1)).as("held never evicts").isEqualTo(Admission.POOL_FULL);
    assertThat(offer(pool, 4, 0, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(pool.metrics().evicted()).isEqualTo(1);
    assertThat(pool.heldCount()).isEqualTo(1);
    // Agent 1's nonce 5 was evicted: it may be offered again later.
    assertThat(offer(pool, 5, 0, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 6, 0, 0, 1)).as("nothing held left").isEqualTo(Admission.POOL_FULL);
    assertThat(drain(pool, 10)).extracting(Tx::agent).containsExactly(3, 4, 5);
  }

  @Test
  void heldRunsExpireOldestFirstAndEachIsHandedToTheDropSink() {
    Mempool pool = new Mempool(config(100, 10, 10));
    List<Tx> dropped = new ArrayList<>();
    AgentRunFlyweight r = new AgentRunFlyweight();
    pool.onDropped(
        (buffer, offset) -> {
          r.wrap(buffer, offset);
          byte[] key = new byte[32];
          r.getAgent(key, 0);
          dropped.add(new Tx(key[0] & 0xFF, r.nonce(), r.priority(), r.maxFee()));
        });
    offer(pool, 1, 2, 0, 1, -1, 0); // held from t = 0: nonces 0 and 1 never came
    offer(pool, 2, 0, 0, 1, -1, SEC); // ready
    offer(pool, 2, 3, 0, 1, -1, 2 * SEC); // held from t = 2 s
    assertThat(pool.expireHeld(5 * SEC - 1, 5 * SEC)).isZero();
    assertThat(pool.expireHeld(5 * SEC, 5 * SEC)).isEqualTo(1);
    assertThat(dropped).containsExactly(new Tx(1, 2, 0, 1));
    assertThat(pool.heldCount()).isEqualTo(1);
    assertThat(pool.expireHeld(7 * SEC, 5 * SEC)).isEqualTo(1);
    assertThat(dropped).containsExactly(new Tx(1, 2, 0, 1), new Tx(2, 3, 0, 1));
    assertThat(pool.metrics().expired()).isEqualTo(2);
    assertThat(pool.metrics().evicted()).isZero();
    assertThat(pool.heldCount()).isZero();
    assertThat(pool.size()).as("the ready run is never expired").isEqualTo(1);
    // An expired nonce may be offered again, and is held anew once its gap is still open.
    assertThat(offer(pool, 1, 2, 0, 1, -1, 8 * SEC)).isEqualTo(Admission.ADMITTED);
    assertThat(pool.heldCount()).isEqualTo(1);
    // Once its predecessors arrive it is batched in nonce order.
    offer(pool, 1, 0, 0, 1, -1, 9 * SEC);
    offer(pool, 1, 1, 0, 1, -1, 9 * SEC);
    assertThat(pool.expireHeld(100 * SEC, 5 * SEC)).as("nothing held").isZero();
    assertThat(drain(pool, 10)).extracting(Tx::nonce).containsExactly(0L, 0L, 1L, 2L);
  }

  @Test
  void anEvictedHeldRunIsHandedToTheDropSinkToo() {
    Mempool pool = new Mempool(config(2, 10, 10));
    List<Long> dropped = new ArrayList<>();
    AgentRunFlyweight r = new AgentRunFlyweight();
    pool.onDropped((buffer, offset) -> dropped.add(r.wrap(buffer, offset).nonce()));
    offer(pool, 1, 5, 0, 1); // held
    offer(pool, 2, 0, 0, 1); // ready
    assertThat(offer(pool, 3, 0, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(dropped).containsExactly(5L);
    assertThat(pool.metrics().evicted()).isEqualTo(1);
    assertThat(pool.metrics().expired()).isZero();
  }

  @Test
  void rateLimitsPerAgentAndPerConnection() {
    Mempool pool = new Mempool(new MempoolConfig(100, 100, 100, 16, 10, 2, 4, 100, 3));
    assertThat(offer(pool, 1, 0, 0, 1, 0, 0)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 1, 0, 1, 0, 0)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 2, 0, 1, 0, 0)).isEqualTo(Admission.RATE_LIMITED_AGENT);
    assertThat(offer(pool, 2, 0, 0, 1, 0, 0)).isEqualTo(Admission.RATE_LIMITED_CONNECTION);
    assertThat(offer(pool, 2, 0, 0, 1, 1, 0)).isEqualTo(Admission.ADMITTED);
    // 100 ms later agent 1 has one token again (10/s); connection 0 has 10.
    assertThat(offer(pool, 1, 2, 0, 1, 0, SEC / 10)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 3, 0, 1, 0, SEC / 10)).isEqualTo(Admission.RATE_LIMITED_AGENT);
  }

  /**
   * A pipelining client: nonce 2 is refused for the agent's rate, a token comes back before nonce 3
   * arrives. Nonce 3 must not be admitted as held behind the gap the pool made (its client may
   * never get nonce 2 through); it is refused as retryable, without taking the token, until nonce 2
   * is back, and then both go in order.
   */
  @Test
  void aLaterNonceIsNotHeldBehindANonceThePoolRefused() {
    Mempool pool = new Mempool(new MempoolConfig(100, 100, 100, 16, 10, 2, 4, 0, 0));
    assertThat(offer(pool, 1, 0, 0, 1, 0, 0)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 1, 0, 1, 0, 0)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 2, 0, 1, 0, 0)).isEqualTo(Admission.RATE_LIMITED_AGENT);
    // 100 ms later the agent has one token again (10/s)
    assertThat(offer(pool, 1, 3, 0, 1, 0, SEC / 10)).isEqualTo(Admission.AFTER_REFUSED);
    assertThat(offer(pool, 1, 7, 0, 1, 0, SEC / 10)).isEqualTo(Admission.AFTER_REFUSED);
    assertThat(pool.heldCount()).as("nothing held behind the refused nonce").isZero();
    assertThat(offer(pool, 2, 5, 0, 1, 0, SEC / 10))
        .as("another agent's gap is its own")
        .isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 2, 0, 1, 0, SEC / 10))
        .as("the token is still there")
        .isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 3, 0, 1, 0, SEC / 5)).isEqualTo(Admission.ADMITTED);
    assertThat(drain(pool, 10))
        .filteredOn(tx -> tx.agent() == 1)
        .extracting(Tx::nonce)
        .containsExactly(0L, 1L, 2L, 3L);
  }

  /** A nonce refused as too far ahead leaves no gap for the nonces after it either. */
  @Test
  void aNonceTooFarAheadIsAGapTooAndClearsWhenTheAgentPassesIt() {
    Mempool pool = new Mempool(new MempoolConfig(100, 100, 4, 16, 0, 0, 4, 0, 0));
    assertThat(offer(pool, 1, 9, 0, 1)).isEqualTo(Admission.NONCE_TOO_FAR);
    assertThat(offer(pool, 1, 3, 0, 1))
        .as("below the refused nonce: held")
        .isEqualTo(Admission.ADMITTED);
    assertThat(pool.heldCount()).isEqualTo(1);
    for (long n = 0; n < 3; n++) {
      assertThat(offer(pool, 1, n, 0, 1)).isEqualTo(Admission.ADMITTED);
    }
    // next nonce 4: 10 is within the gap bound now, but 9 was refused and has not come back
    assertThat(offer(pool, 1, 10, 0, 1)).isEqualTo(Admission.AFTER_REFUSED);
    for (long n = 4; n <= 9; n++) {
      assertThat(offer(pool, 1, n, 0, 1)).as("nonce %s", n).isEqualTo(Admission.ADMITTED);
    }
    assertThat(offer(pool, 1, 11, 0, 1)).as("the refusal is passed").isEqualTo(Admission.ADMITTED);
    assertThat(pool.heldCount()).isEqualTo(1);
  }

  /** Random offers and drains: bounds hold, every agent's nonces come out consecutive from 0. */
  @Property(tries = 200)
  void randomWorkloadKeepsInvariants(@ForAll long seed) {
    Random random = new Random(seed);
    int capacity = 1 + random.nextInt(40);
    int perAgent = 1 + random.nextInt(10);
    Mempool pool = new Mempool(config(capacity, perAgent, 1 + random.nextInt(6)));
    Map<Integer, Long> nextOut = new HashMap<>();
    for (int step = 0; step < 400; step++) {
      if (random.nextInt(4) == 0) {
        for (Tx tx : drain(pool, random.nextInt(5))) {
          long expected = nextOut.getOrDefault(tx.agent(), 0L);
          assertThat(tx.nonce()).as("seed %d agent %d", seed, tx.agent()).isEqualTo(expected);
          nextOut.put(tx.agent(), expected + 1);
        }
      } else {
        offer(pool, random.nextInt(6), random.nextInt(12), random.nextInt(8), random.nextInt(5));
      }
      assertThat(pool.size()).isBetween(0, capacity);
      assertThat(pool.heldCount()).isBetween(0, pool.size());
    }
    long admitted = pool.metrics().admitted();
    assertThat(admitted)
        .isEqualTo(pool.metrics().drained() + pool.size() + pool.metrics().evicted());
  }

  static UnsafeBuffer key(int agent) {
    byte[] key = new byte[32];
    key[0] = (byte) agent;
    key[1] = (byte) (agent >> 8);
    key[31] = 1;
    return new UnsafeBuffer(key);
  }

  @Test
  void aNewlySeenAgentStartsAtItsCommittedNonce() {
    Map<Integer, Long> committed = Map.of(7, 5L);
    Mempool pool =
        new Mempool(config(100, 10, 10))
            .seedNoncesFrom(
                (buffer, offset) ->
                    committed.getOrDefault(
                        (buffer.getByte(offset) & 0xFF) | (buffer.getByte(offset + 1) & 0xFF) << 8,
                        0L));
    // Nonces the state has executed are replays; the next one is ready at once.
    assertThat(offer(pool, 7, 4, 0, 1)).isEqualTo(Admission.REPLAY);
    assertThat(offer(pool, 7, 0, 0, 1)).isEqualTo(Admission.REPLAY);
    assertThat(offer(pool, 7, 5, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 8, 0, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(drain(pool, 10)).containsExactly(new Tx(7, 5, 0, 1), new Tx(8, 0, 0, 1));
  }

  @Test
  void withoutASourceEveryAgentStartsAtZero() {
    Mempool pool = new Mempool(config(100, 10, 10));
    assertThat(offer(pool, 7, 5, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(pool.heldCount()).isEqualTo(1);
  }

  @Test
  void aCommitRaisesTheNonceDropsWhatItPassedAndReleasesHeldSuccessors() {
    Mempool pool = new Mempool(config(100, 10, 10));
    offer(pool, 1, 0, 0, 1);
    offer(pool, 1, 1, 0, 1);
    offer(pool, 1, 4, 0, 1); // held: 2 and 3 went to another validator
    offer(pool, 2, 0, 0, 1);
    assertThat(pool.heldCount()).isEqualTo(1);

    // Another validator's batch with agent 1's nonces 0..3 was executed.
    assertThat(pool.onCommitted(key(1), 0, 3)).isEqualTo(2);
    assertThat(pool.expectedNonce(key(1), 0)).isEqualTo(5);
    assertThat(pool.heldCount()).isZero();
    assertThat(pool.size()).isEqualTo(2);
    assertThat(offer(pool, 1, 3, 0, 1)).isEqualTo(Admission.REPLAY);
    assertThat(drain(pool, 10)).containsExactly(new Tx(1, 4, 0, 1), new Tx(2, 0, 0, 1));
    assertThat(pool.metrics().committedDropped()).isEqualTo(2);
  }

  Admission requeue(Mempool pool, int agent, long nonce, long ledgerNext) {
    byte[] key = new byte[32];
    key[0] = (byte) agent;
    key[1] = (byte) (agent >> 8);
    key[31] = 1;
    run.agent(key, 0).payer(key, 0).nonce(nonce).priority(0).maxFee(1);
    return pool.requeue(record, 0, ledgerNext);
  }

  /**
   * A ledger of next nonces that executes drained batches in a given order: a run at its signer's
   * next nonce consumes it, any other is refused (BAD_NONCE) and handed to {@link Mempool#requeue},
   * as the validator that accepted it does; a consumed one is reported through {@link
   * Mempool#onCommitted}.
   */
  static final class Ledger {
    final Map<Integer, Long> next = new HashMap<>();
    final List<Tx> refused = new ArrayList<>();

    void execute(MempoolTest t, Mempool pool, List<Tx> batch) {
      for (Tx tx : batch) {
        long expected = next.getOrDefault(tx.agent(), 0L);
        if (tx.nonce() == expected) {
          next.put(tx.agent(), expected + 1);
          pool.onCommitted(key(tx.agent()), 0, tx.nonce());
        } else {
          refused.add(tx);
          t.requeue(pool, tx.agent(), tx.nonce(), next.getOrDefault(tx.agent(), 0L));
        }
      }
    }
  }

  @Test
  void runsOrderedAheadOfTheirSignersEarlierBatchAreTakenBackAndExecutedInNonceOrder() {
    Mempool pool = new Mempool(config(100, 20, 20));
    for (long n = 0; n < 8; n++) {
      assertThat(offer(pool, 1, n, 0, 1)).isEqualTo(Admission.ADMITTED);
    }
    List<Tx> batchA = drain(pool, 4); // nonces 0..3
    List<Tx> batchB = drain(pool, 4); // nonces 4..7
    Ledger ledger = new Ledger();

    // A's vertex was left out and A is proposed again later: B is ordered first.
    ledger.execute(this, pool, batchB);
    assertThat(ledger.refused).hasSize(4);
    assertThat(pool.size()).as("B's runs are back, waiting for the ledger").isEqualTo(4);
    assertThat(pool.returnedCount()).isEqualTo(4);
    assertThat(pool.readyCount()).as("a worker seals no empty batch for them").isZero();
    assertThat(drain(pool, 10)).as("not batched before the ledger reaches them").isEmpty();
    // What the client sends next is accepted and waits behind them.
    assertThat(offer(pool, 1, 8, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(offer(pool, 1, 3, 0, 1)).isEqualTo(Admission.REPLAY);

    assertThat(pool.readyCount()).isEqualTo(1);
    ledger.execute(this, pool, batchA);
    assertThat(pool.returnedCount()).isZero();
    assertThat(pool.readyCount()).isEqualTo(5);
    List<Tx> again = drain(pool, 10);
    assertThat(again).extracting(Tx::nonce).containsExactly(4L, 5L, 6L, 7L, 8L);
    ledger.execute(this, pool, again);
    assertThat(ledger.next.get(1)).as("every accepted run executed").isEqualTo(9L);
    assertThat(pool.size()).isZero();
    assertThat(pool.metrics().requeued()).isEqualTo(4);
  }

  @Test
  void aRefusedRunIsBackAtOnceWhenTheLedgerIsAtItsNonceAndDroppedWhenItPassedIt() {
    Mempool pool = new Mempool(config(100, 20, 20));
    for (long n = 0; n < 4; n++) {
      offer(pool, 1, n, 0, 1);
    }
    offer(pool, 2, 0, 0, 1);
    drain(pool, 10);
    offer(pool, 1, 4, 0, 1);
    assertThat(requeue(pool, 1, 2, 2)).isEqualTo(Admission.ADMITTED);
    assertThat(requeue(pool, 1, 2, 2)).isEqualTo(Admission.DUPLICATE);
    assertThat(requeue(pool, 1, 4, 2)).as("still pending").isEqualTo(Admission.DUPLICATE);
    assertThat(requeue(pool, 1, 1, 2)).as("the ledger passed it").isEqualTo(Admission.REPLAY);
    assertThat(requeue(pool, 1, 3, 2)).isEqualTo(Admission.ADMITTED);
    offer(pool, 2, 1, 0, 1);
    assertThat(drain(pool, 10))
        .containsExactly(
            new Tx(1, 2, 0, 1), new Tx(1, 3, 0, 1), new Tx(1, 4, 0, 1), new Tx(2, 1, 0, 1));

    // Returned runs another transaction's commit passes are dropped.
    offer(pool, 3, 0, 0, 1);
    offer(pool, 3, 1, 0, 1);
    drain(pool, 10);
    assertThat(requeue(pool, 3, 1, 0)).isEqualTo(Admission.ADMITTED);
    assertThat(pool.readyCount()).isZero();
    assertThat(pool.onCommitted(key(3), 0, 1)).isEqualTo(1);
    assertThat(pool.size()).isZero();
    assertThat(pool.returnedCount()).isZero();
    assertThat(drain(pool, 10)).isEmpty();
  }

  @Test
  void aForgottenAgentsRefusedRunIsAnOrdinaryPendingOne() {
    Mempool pool = new Mempool(config(100, 20, 20));
    assertThat(requeue(pool, 5, 3, 3)).isEqualTo(Admission.ADMITTED);
    assertThat(requeue(pool, 5, 5, 3)).isEqualTo(Admission.ADMITTED);
    assertThat(pool.heldCount()).isEqualTo(1);
    assertThat(offer(pool, 5, 4, 0, 1)).isEqualTo(Admission.ADMITTED);
    assertThat(drain(pool, 10)).extracting(Tx::nonce).containsExactly(3L, 4L, 5L);
  }

  @Test
  void aCommitOfAnUnknownAgentOrAnOldNonceChangesNothing() {
    Mempool pool = new Mempool(config(100, 10, 10));
    offer(pool, 1, 0, 0, 1);
    offer(pool, 1, 1, 0, 1);
    assertThat(pool.onCommitted(key(9), 0, 50)).isZero();
    assertThat(pool.expectedNonce(key(9), 0)).isEqualTo(-1);
    assertThat(pool.onCommitted(key(1), 0, 0)).isEqualTo(1);
    assertThat(pool.expectedNonce(key(1), 0)).isEqualTo(2);
    assertThat(drain(pool, 10)).containsExactly(new Tx(1, 1, 0, 1));
  }

  @Test
  void droppingCommittedHeadsKeepsTheHeapOrderOfEveryOtherAgent() {
    Random random = new Random(23);
    Mempool pool = new Mempool(config(4096, 64, 64));
    Map<Integer, Long> next = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      int agent = random.nextInt(40);
      long n = next.getOrDefault(agent, 0L);
      if (offer(pool, agent, n, random.nextInt(4), random.nextInt(1000)) == Admission.ADMITTED) {
        next.put(agent, n + 1);
      }
      if (i % 7 == 0) {
        int a = random.nextInt(40);
        pool.onCommitted(key(a), 0, random.nextInt(8));
      }
    }
    int pendingBefore = pool.size();
    List<Tx> drained = drain(pool, 5000);
    assertThat(drained).hasSize(pendingBefore);
    // Each agent's nonces come out strictly increasing and the pool is empty afterwards.
    Map<Integer, Long> last = new HashMap<>();
    for (Tx t : drained) {
      Long prev = last.put(t.agent(), t.nonce());
      assertThat(prev == null || prev < t.nonce()).isTrue();
    }
    assertThat(pool.size()).isZero();
  }

  @Test
  void aRemoteAddressSharesOneBucketOverAllItsConnections() {
    Mempool pool = new Mempool(new MempoolConfig(1000, 1000, 100, 1024, 0, 0, 16, 0, 0, 64, 10, 3));
    byte[] key = new byte[32];
    int address = pool.addressSlot(0xABCDE);
    int other = pool.addressSlot(0xABCDF);
    int[] accepted = new int[2];
    for (int i = 0; i < 6; i++) {
      key[0] = (byte) i;
      key[31] = 1;
      run.agent(key, 0).payer(key, 0).nonce(0).priority(0).maxFee(1);
      // Alternate connections 1 and 2 of the same address: 3 pass (the burst), then none.
      Admission a = pool.offer(record, 0, pool.connectionSlot(1 + (i & 1)), address, 0);
      accepted[0] += a == Admission.ADMITTED ? 1 : 0;
      if (i >= 3) {
        assertThat(a).isEqualTo(Admission.RATE_LIMITED_ADDRESS);
      }
    }
    key[0] = 9;
    run.agent(key, 0).payer(key, 0).nonce(0);
    assertThat(pool.offer(record, 0, pool.connectionSlot(3), other, 0))
        .as("another address has its own bucket")
        .isEqualTo(Admission.ADMITTED);
    key[0] = 10;
    run.agent(key, 0).payer(key, 0).nonce(0);
    assertThat(pool.offer(record, 0, pool.connectionSlot(1), address, SEC / 10))
        .as("one token back after 100 ms at 10 per second")
        .isEqualTo(Admission.ADMITTED);
    assertThat(accepted[0]).isEqualTo(3);
  }

  @Test
  void aNewPoolTakesLittleOfItsBoundsAndGrowsToThemAndNoFurther() {
    assertThat(new Mempool(MempoolConfig.defaults()).slotsAllocated())
        .isEqualTo(Mempool.INITIAL_SLOTS);
    assertThat(new Mempool(MempoolConfig.defaults()).agentRoom()).isEqualTo(Mempool.INITIAL_AGENTS);
    int agents = 3 * Mempool.INITIAL_AGENTS;
    int capacity = 3 * Mempool.INITIAL_SLOTS + 5;
    Mempool pool = new Mempool(new MempoolConfig(capacity, 16, 16, agents, 0, 0, 16, 0, 0));
    // Nonces 0 and 2 of every agent: the second is held for nonce 1.
    for (int a = 0; a < agents; a++) {
      assertThat(offer(pool, a, 0, a % 3, 10)).as("agent %d", a).isEqualTo(Admission.ADMITTED);
      assertThat(offer(pool, a, 2, a % 3, 10)).isEqualTo(Admission.ADMITTED);
    }
    assertThat(pool.agentRoom()).isEqualTo(agents);
    assertThat(pool.agentCount()).isEqualTo(agents);
    assertThat(offer(pool, agents, 0, 0, 10))
        .as("one agent over the bound")
        .isEqualTo(Admission.POOL_FULL);
    // Every agent is still found after the table was rebuilt twice.
    for (int a = 0; a < agents; a++) {
      assertThat(offer(pool, a, 0, 0, 10)).as("agent %d", a).isEqualTo(Admission.REPLAY);
      assertThat(offer(pool, a, 2, 0, 10)).isEqualTo(Admission.DUPLICATE);
    }
    assertThat(pool.size()).isEqualTo(2 * agents);
    assertThat(pool.heldCount()).isEqualTo(agents);
    // Fill to the capacity with each agent's next nonces (nonce 1 also readies the held 2).
    long nonce = 1;
    while (pool.size() < capacity) {
      for (int a = 0; a < agents && pool.size() < capacity; a++) {
        assertThat(offer(pool, a, nonce, 0, 10)).isEqualTo(Admission.ADMITTED);
      }
      nonce += nonce == 1 ? 2 : 1;
    }
    assertThat(pool.slotsAllocated()).isEqualTo(capacity);
    assertThat(pool.heldCount()).isZero();
    assertThat(offer(pool, agents - 1, nonce, 0, 10)).as("full").isEqualTo(Admission.POOL_FULL);
    assertThat(pool.slotsAllocated()).isEqualTo(capacity);
    // Everything drains, each agent's nonces in order.
    Map<Integer, Long> nextNonce = new HashMap<>();
    List<Tx> drained = drain(pool, Integer.MAX_VALUE);
    for (Tx tx : drained) {
      long expected = nextNonce.getOrDefault(tx.agent(), 0L);
      assertThat(tx.nonce()).as("agent %d", tx.agent()).isEqualTo(expected);
      nextNonce.put(tx.agent(), expected + 1);
    }
    assertThat(drained).hasSize(capacity);
  }

  @Test
  void agentsAddedByGrowthHaveTheirOwnFullBucket() {
    Mempool pool =
        new Mempool(new MempoolConfig(100_000, 16, 16, 4 * Mempool.INITIAL_AGENTS, 1, 1, 16, 0, 0));
    int agents = 2 * Mempool.INITIAL_AGENTS + 1;
    for (int a = 0; a < agents; a++) {
      assertThat(offer(pool, a, 0, 0, 10, -1, 0)).as("agent %d", a).isEqualTo(Admission.ADMITTED);
      assertThat(offer(pool, a, 1, 0, 10, -1, 0)).isEqualTo(Admission.RATE_LIMITED_AGENT);
    }
    assertThat(offer(pool, agents - 1, 1, 0, 10, -1, SEC)).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void theHeapOfAFullPoolIsItsSlotsAndAgents() {
    MempoolConfig small = new MempoolConfig(1000, 16, 16, 100, 0, 0, 16, 0, 0);
    assertThat(Mempool.maxHeapBytes(small))
        .isEqualTo(1000 * Mempool.SLOT_BYTES + 100 * Mempool.AGENT_BYTES);
    assertThat(Mempool.SLOT_BYTES).isGreaterThan(AgentRunDescriptor.ENCODED_LENGTH);
  }
}
