package dev.agentledger.node.consensus.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.memory.InMemoryConsensusStore;
import dev.agentledger.node.sim.FakeSignatureScheme;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idle pacing: four primaries over a simulated network where every message takes one 5 ms step. An
 * idle committee proposes at the idle pace; a batch makes it switch to the fast pace until the
 * batch is committed, and then it goes back to idling.
 */
class PrimaryCoreIdlePacingTest {
  private static final long STEP_MS = 5;

  private static final class Net implements PrimaryOutbox {
    final List<Integer> targets = new ArrayList<>();
    final List<ConsensusMessage> sent = new ArrayList<>();

    @Override
    public void send(int to, ConsensusMessage message) {
      targets.add(to);
      sent.add(message);
    }

    @Override
    public void broadcast(ConsensusMessage message) {
      targets.add(-1);
      sent.add(message);
    }
  }

  private final Committee committee = TestDags.equalStake(4);
  private final FakeSignatureScheme sigs = new FakeSignatureScheme(4, 7);
  private final List<PrimaryCore> primaries = new ArrayList<>();
  private final List<Net> nets = new ArrayList<>();
  private final List<CommittedSubDag> commitsOf0 = new ArrayList<>();
  private long now;

  /** A crashed validator (-1: none): it neither ticks, sends nor receives. */
  private int crashed = -1;

  /**
   * Extra delivery delay of each validator's certificates and fetch responses, in steps (0:
   * delivered in the step).
   */
  private final int[] slowSteps = new int[4];

  /** Messages in flight: the step they arrive in, sender, target (-1: all), message. */
  private record InFlight(long arrivesStep, int from, int to, ConsensusMessage message) {}

  private final List<InFlight> inFlight = new ArrayList<>();
  private long steps;

  private PrimaryConfig config = PrimaryConfig.defaults();

  private void start(long emptyDelayMs, long idleDelayMs) {
    for (int i = 0; i < 4; i++) {
      Net net = new Net();
      List<CommittedSubDag> sink = i == 0 ? commitsOf0 : new ArrayList<>();
      PrimaryCore p =
          new PrimaryCore(
              config,
              committee,
              i,
              sigs.signer(i),
              new InMemoryConsensusStore(),
              net,
              sink::add,
              0);
      p.setEmptyProposalDelayMs(emptyDelayMs);
      p.setIdleProposalDelayMs(idleDelayMs);
      nets.add(net);
      primaries.add(p);
    }
  }

  private void runFor(long ms) {
    long end = now + ms;
    while (now < end) {
      step();
    }
  }

  private void step() {
    now += STEP_MS;
    steps++;
    for (int i = 0; i < 4; i++) {
      if (i != crashed) {
        primaries.get(i).onTick(now);
      }
    }
    for (int i = 0; i < 4; i++) {
      Net net = nets.get(i);
      if (i != crashed) {
        for (int k = 0; k < net.sent.size(); k++) {
          ConsensusMessage m = net.sent.get(k);
          long delay =
              m instanceof ConsensusMessage.CertificateMessage
                      || m instanceof ConsensusMessage.FetchResponse
                  ? slowSteps[i]
                  : 0;
          inFlight.add(new InFlight(steps + delay, i, net.targets.get(k), m));
        }
      }
      net.sent.clear();
      net.targets.clear();
    }
    List<InFlight> due = new ArrayList<>();
    inFlight.removeIf(m -> m.arrivesStep() <= steps && due.add(m));
    for (InFlight m : due) {
      for (int j = 0; j < 4; j++) {
        if (j != m.from() && j != crashed && (m.to() == -1 || m.to() == j)) {
          primaries.get(j).onMessage(m.from(), m.message(), now);
        }
      }
    }
  }

  private boolean committed(Digest batch) {
    return commitsOf0.stream()
        .flatMap(d -> d.certificates().stream())
        .anyMatch(c -> c.vertex().batches().contains(batch));
  }

  @Test
  void anIdleCommitteeProposesAtTheIdlePaceAndABatchIsCommittedAtTheFastPace() {
    start(50, 500);
    runFor(10_000);
    long idleRounds = primaries.get(0).proposedRound();
    // about one round per idle delay (500 ms) rather than one per empty delay (50 ms)
    assertThat(idleRounds).isBetween(12L, 40L);
    assertThat(commitsOf0).isNotEmpty();

    Batch batch = Batch.of(new byte[] {9, 8, 7});
    primaries.get(2).onLocalBatch(batch, now);
    long submittedAt = now;
    while (!committed(batch.digest()) && now - submittedAt < 5_000) {
      step();
    }
    assertThat(committed(batch.digest())).isTrue();
    // a handful of fast rounds, not a handful of idle ones
    assertThat(now - submittedAt).isLessThan(500);

    long roundAfterCommit = primaries.get(0).proposedRound();
    runFor(10_000);
    assertThat(primaries.get(0).proposedRound() - roundAfterCommit).isBetween(12L, 40L);
  }

  private long roundsUnderLoad(long minRoundMs, List<Digest> sent) {
    for (PrimaryCore p : primaries) {
      p.setMinRoundMs(minRoundMs);
    }
    runFor(1_000);
    long before = primaries.get(0).proposedRound();
    for (int k = 0; k < 250; k++) { // a batch every 20 ms at every validator for 5 s
      for (int v = 0; v < 4; v++) {
        Batch b = Batch.of(new byte[] {(byte) v, (byte) k, (byte) (k >>> 8), 1});
        primaries.get(v).onLocalBatch(b, now);
        sent.add(b.digest());
      }
      step();
      step();
      step();
      step();
    }
    long rounds = primaries.get(0).proposedRound() - before;
    runFor(3_000);
    return rounds;
  }

  @Test
  void aMinimumRoundTimeMakesFewerFullerRoundsAndLosesNoBatch() {
    start(50, 500);
    List<Digest> sent = new ArrayList<>();
    long paced = roundsUnderLoad(200, sent);
    // 5 s at one round per 200 ms at most
    assertThat(paced).isBetween(15L, 26L);
    assertThat(sent).allMatch(this::committed);
  }

  @Test
  void withoutAMinimumRoundTimeBatchesDriveRoundsAsFastAsTheNetwork() {
    start(50, 500);
    List<Digest> sent = new ArrayList<>();
    long unpaced = roundsUnderLoad(0, sent);
    assertThat(unpaced).isGreaterThan(60L);
    assertThat(sent).allMatch(this::committed);
  }

  @Test
  void withoutAnIdleDelayTheCommitteeKeepsTheEmptyProposalPace() {
    start(50, -1);
    runFor(10_000);
    assertThat(primaries.get(0).proposedRound()).isGreaterThan(120L);
  }

  @Test
  void aTenSecondIdleDelayMakesAFewRoundsAMinuteAndStillCommitsTheFirstBatchAtTheFastPace() {
    start(50, 10_000);
    runFor(60_000);
    // about one round per 10 s after the first rounds, instead of two a second at a 500 ms delay
    assertThat(primaries.get(0).proposedRound()).isBetween(4L, 14L);
    Batch batch = Batch.of(new byte[] {4, 5, 6});
    primaries.get(1).onLocalBatch(batch, now);
    long submittedAt = now;
    while (!committed(batch.digest()) && now - submittedAt < 20_000) {
      step();
    }
    assertThat(committed(batch.digest())).isTrue();
    assertThat(now - submittedAt).isLessThan(500);
  }

  @Test
  void theAdaptiveLeaderTimeoutShrinksWhileLeadersArriveAndGrowsWhenOneHasCrashed() {
    start(50, -1);
    for (PrimaryCore p : primaries) {
      p.setLeaderTimeoutBounds(100, 3_200);
    }
    runFor(10_000);
    PrimaryCore p0 = primaries.get(0);
    assertThat(p0.leaderTimeouts()).isZero();
    assertThat(p0.leaderTimeoutMs()).isEqualTo(100);

    crashed = 3;
    int commitsBefore = commitsOf0.size();
    long maxTimeoutMs = 0;
    for (int i = 0; i < 60_000 / STEP_MS; i++) {
      step();
      maxTimeoutMs = Math.max(maxTimeoutMs, p0.leaderTimeoutMs());
    }
    assertThat(p0.leaderTimeouts()).as("waits for the crashed leader ran out").isPositive();
    assertThat(maxTimeoutMs).as("and made the timeout grow").isGreaterThan(100);
    assertThat(maxTimeoutMs).isLessThanOrEqualTo(3_200);
    assertThat(commitsOf0.size())
        .as("the three others keep committing")
        .isGreaterThan(commitsBefore);
  }

  /**
   * A validator that has not seen a commit its peers made still holds batches it thinks unordered,
   * so it keeps the fast pace while its peers idle; here validator 3 stands in for it with a short
   * idle delay. Its peers vote for its next vertex, and an idle primary holding a certificate of a
   * round above its own proposes at once: each of validator 3's rounds is followed within a round
   * trip, so the others' next vertices (which name every certificate they hold, including one a
   * Byzantine peer withheld from validator 3) reach it promptly. Once it idles too, so does the
   * committee: following never feeds on itself.
   */
  @Test
  void idlePrimariesFollowAPeerThatCertifiedAHigherRoundAtOnceThenIdleAgain() {
    start(50, 10_000);
    runFor(30_000);
    assertThat(primaries).allMatch(PrimaryCore::isIdlePaced);
    primaries.get(3).setIdleProposalDelayMs(500);
    long round = primaries.get(0).proposedRound();
    runFor(10_000);
    // a round every 500 ms, each followed by validator 0, not one round per 10 s idle delay
    assertThat(primaries.get(0).proposedRound() - round).isBetween(15L, 25L);
    assertThat(primaries.get(1).proposedRound()).isEqualTo(primaries.get(0).proposedRound());

    primaries.get(3).setIdleProposalDelayMs(10_000);
    runFor(10_000);
    assertThat(primaries).allMatch(PrimaryCore::isIdlePaced);
    round = primaries.get(0).proposedRound();
    runFor(60_000);
    assertThat(primaries.get(0).proposedRound() - round).isBetween(4L, 8L);
  }

  @Test
  void anOwnBatchIsProposedAtOnceWithoutWaitingForATick() {
    start(50, 10_000);
    runFor(30_000);
    PrimaryCore p2 = primaries.get(2);
    long round = p2.proposedRound();
    assertThat(p2.isIdlePaced()).isTrue();
    p2.onLocalBatch(Batch.of(new byte[] {1, 1, 2}), now);
    assertThat(p2.proposedRound()).isEqualTo(round + 1);
    assertThat(p2.isIdlePaced()).as("a batch in flight ends the idle pace").isFalse();
  }

  /**
   * The loaded-demo stall at a 10 s idle delay: a slow validator's certified vertex that no
   * next-round vertex names cannot be ordered, and its batches are proposed again only when its
   * round falls to the gc round. Until then the committee must keep the fast pace (gc depth 20 at
   * the idle pace was 200 s), and it goes back to idling once everything is committed.
   */
  @Test
  void batchesOfASlowValidatorAreAllCommittedAtTheFastPaceAfterLoadEndsThenTheCommitteeIdles() {
    config = new PrimaryConfig(600, 400, 300, 20, true, 10, 16, 256);
    start(50, 10_000);
    for (PrimaryCore p : primaries) {
      p.setStragglerWaitMs(15);
    }
    runFor(30_000);
    List<Digest> sent = new ArrayList<>();
    for (int k = 0; k < 200; k++) { // a batch every 20 ms at every validator for 4 s
      // in the last second validator 3's certificates arrive after the others moved on
      slowSteps[3] = k >= 150 ? 40 : 0;
      for (int v = 0; v < 4; v++) {
        Batch b = Batch.of(new byte[] {(byte) v, (byte) k, (byte) (k >>> 8), 2});
        primaries.get(v).onLocalBatch(b, now);
        sent.add(b.digest());
      }
      runFor(20);
    }
    slowSteps[3] = 0;
    long loadEnd = now;
    while (!sent.stream().allMatch(this::committed) && now - loadEnd < 300_000) {
      step();
    }
    assertThat(sent).allMatch(this::committed);
    assertThat(primaries.get(3).reproposedBatches())
        .as("the slow validator had vertices nobody named")
        .isPositive();
    // twenty fast rounds to the gc round, not twenty idle ones
    assertThat(now - loadEnd).isLessThan(10_000);
    runFor(30_000);
    assertThat(primaries).allMatch(PrimaryCore::isIdlePaced);
    long round = primaries.get(0).proposedRound();
    runFor(60_000);
    assertThat(primaries.get(0).proposedRound() - round).isBetween(4L, 8L);
  }
}
