package dev.agentledger.bench.cli;

import dev.agentledger.node.cli.CliExtension;
import java.util.List;

/**
 * Adds the measurement commands ({@code kernels}, {@code speed} with its {@code execution}
 * workload, {@code loadgen}, {@code project}, {@code demo}, {@code faults}, {@code soak}) to the
 * {@code agentledger} command line.
 */
public final class BenchCliExtension implements CliExtension {
  @Override
  public List<Object> commands() {
    return List.of(
        new KernelsCommand(),
        new SpeedCommand(),
        new LoadgenCommand(),
        new ProjectCommand(),
        new DemoCommand(),
        new FaultsCommand(),
        new SoakCommand());
  }
}
