package dev.agentledger.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CI set of simulations: a fixed set of seeds for 4, 7 and 10 validators with the most
 * Byzantine validators tolerated and every fault; the full sweep runs from {@code agentledger sim}.
 */
class SimulatorTest {
  private static SimConfig config(int n, String faults) {
    return SimConfig.of(n, (n - 1) / 3, Fault.parse(faults)).withDuration(10_000, 6_000);
  }

  @ParameterizedTest(name = "n={0} faults={1} seeds {2}..{3}")
  @CsvSource(
      delimiter = ';',
      value = {
        "4;all;1;12",
        "4;crash,partition,delay,equivocate;100;105",
        "4;none;200;201",
        "7;all;1;4",
        "7;crash,partition,delay,equivocate;100;101",
        "10;all;1;2"
      })
  void invariantsHoldOnTheFixedSeeds(int n, String faults, long from, long to) {
    for (long seed = from; seed <= to; seed++) {
      SimResult r = Simulator.run(config(n, faults), seed);
      assertThat(r.violation()).as("seed %d (%s)", seed, r.faultLog()).isNull();
      assertThat(r.minCommits()).as("seed %d", seed).isGreaterThan(3);
    }
  }

  /**
   * Every certificate an honest validator held is ordered before it falls below the gc round, and
   * every honest batch of those is ordered once: a vertex no next-round vertex named is reached
   * through a weak link instead of being left behind (its batches proposed again, or lost).
   */
  @ParameterizedTest(name = "n={0} faults={1} seeds {2}..{3}")
  @CsvSource(
      delimiter = ';',
      value = {
        "4;none;1;20",
        "4;delay,loss;1;20",
        "4;all;300;319",
        "7;delay,loss,crash;1;8",
        "7;all;300;305"
      })
  void everyCertifiedVertexIsOrderedExactlyOnce(int n, String faults, long from, long to) {
    long weak = 0;
    for (long seed = from; seed <= to; seed++) {
      SimResult r = Simulator.run(config(n, faults), seed);
      assertThat(r.violation()).as("seed %d (%s)", seed, r.faultLog()).isNull();
      assertThat(r.orphaned()).as("orphaned certificates, seed %d", seed).isZero();
      assertThat(r.orphanedBatches()).as("orphaned batches, seed %d", seed).isZero();
      weak += r.weaklyOrdered();
    }
    System.out.printf(
        "n=%d faults=%s: %d certificates ordered through weak links%n", n, faults, weak);
  }

  /**
   * One validator overloaded for the whole run (every link 100-600 ms slower, batches five times as
   * often): its certificates keep arriving after the next round was built, and every honest batch
   * must still end ordered or held by its author, never dropped.
   */
  @ParameterizedTest(name = "n={0} byzantine={1} faults={2} seeds {3}..{4}")
  @CsvSource(
      delimiter = ';',
      value = {
        "4;0;overload;1;15",
        "4;0;overload,delay,loss,partition;1;15",
        "4;0;overload,crash;1;10",
        "7;1;overload,delay,loss,equivocate;1;6"
      })
  void anOverloadedValidatorLosesNoBatch(int n, int byzantine, String faults, long from, long to) {
    for (long seed = from; seed <= to; seed++) {
      SimResult r =
          Simulator.run(
              SimConfig.of(n, byzantine, Fault.parse(faults)).withDuration(10_000, 6_000), seed);
      assertThat(r.violation()).as("seed %d (%s)", seed, r.faultLog()).isNull();
    }
  }

  @Test
  void sameSeedReplaysTheSameRunAndOtherSeedsDiffer() {
    SimConfig c = config(7, "all");
    SimResult a = Simulator.run(c, 31);
    SimResult b = Simulator.run(c, 31);
    SimResult other = Simulator.run(c, 32);
    assertThat(a.runDigest()).isEqualTo(b.runDigest());
    assertThat(a.messages()).isEqualTo(b.messages());
    assertThat(a.faultLog()).isEqualTo(b.faultLog());
    assertThat(other.runDigest()).isNotEqualTo(a.runDigest());
  }

  @Test
  void byzantineBadSignaturesAreDroppedBeforeTheCore() {
    SimConfig c = SimConfig.of(4, 1, EnumSet.of(Fault.BADSIG)).withDuration(6_000, 3_000);
    SimResult r = Simulator.run(c, 3);
    assertThat(r.ok()).isTrue();
    assertThat(r.droppedInvalid()).isPositive();
  }

  @Test
  void livenessCheckFlagsAClusterThatCannotMakeTheRequiredProgress() {
    SimConfig base = config(4, "crash,partition");
    SimConfig impossible =
        new SimConfig(
            base.validators(),
            base.byzantine(),
            base.faults(),
            base.durationMs(),
            base.healAtMs(),
            1_000_000,
            false,
            base.primary());
    SimResult r = Simulator.run(impossible, 1);
    assertThat(r.violation()).startsWith("liveness:");
  }

  @Test
  void withoutAnyFaultEveryHonestValidatorCommitsEveryFewRounds() {
    SimResult r = Simulator.run(config(4, "none").withDuration(5_000, 1_000), 9);
    assertThat(r.ok()).isTrue();
    assertThat(r.anchorLatencyRounds()).isBetween(0.5, 2.0);
    assertThat(r.minCommits()).isGreaterThan(r.maxRound() / 4);
  }
}
