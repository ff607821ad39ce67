package dev.agentledger.bench.node;

import dev.agentledger.node.sim.Fault;
import dev.agentledger.node.sim.SimConfig;
import dev.agentledger.node.sim.SimResult;
import dev.agentledger.node.sim.Simulator;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The consensus core (every validator's {@code PrimaryCore} with Bullshark) driven by the seeded
 * simulator for 10 simulated seconds without faults: CPU time per simulated run, and as auxiliary
 * counters the commits and messages it processed, so the cost per commit and per message follows.
 * {@code realSignatures=true} signs and verifies every vertex and vote with Ed25519; false uses the
 * simulator's fake scheme and isolates the DAG and commit-rule logic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow"
    })
public class ConsensusSimulatorBenchmark {
  @Param({"4", "10"})
  public int validators;

  @Param({"false", "true"})
  public boolean realSignatures;

  private SimConfig config;
  private long seed;

  /** Work done per measured run (JMH reports these per operation). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Work {
    public long commits;
    public long messages;

    @Setup(Level.Iteration)
    public void clear() {
      commits = 0;
      messages = 0;
    }
  }

  @Setup(Level.Trial)
  public void configure() {
    config =
        SimConfig.of(validators, 0, EnumSet.noneOf(Fault.class))
            .withDuration(10_000, 5_000)
            .withRealSignatures(realSignatures);
  }

  @Benchmark
  public SimResult simulate(Work work) {
    SimResult r = Simulator.run(config, ++seed);
    if (!r.ok()) {
      throw new IllegalStateException("simulation violated an invariant: " + r.violation());
    }
    work.commits += r.minCommits();
    work.messages += r.messages();
    return r;
  }
}
