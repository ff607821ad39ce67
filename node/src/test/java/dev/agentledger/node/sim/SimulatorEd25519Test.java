package dev.agentledger.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The simulator with real Ed25519 signatures instead of the fake scheme, on a few seeds. */
class SimulatorEd25519Test {
  @Test
  void fourValidatorsWithByzantineFaultsAndRealSignatures() {
    SimConfig c =
        SimConfig.of(4, 1, Fault.parse("all")).withDuration(5_000, 3_000).withRealSignatures(true);
    for (long seed = 1; seed <= 2; seed++) {
      SimResult r = Simulator.run(c, seed);
      assertThat(r.violation()).as("seed %d (%s)", seed, r.faultLog()).isNull();
      assertThat(r.minCommits()).isPositive();
    }
  }
}
