package dev.agentledger.bench.cli;

import dev.agentledger.node.cli.CliExtension;
import java.util.List;

/**
 * Adds {@code loadgen}, {@code project} and {@code demo} to the {@code agentledger} command line,
 * and {@code execution} under {@code speed}.
 */
public final class BenchCliExtension implements CliExtension {
  @Override
  public List<Object> commands() {
    return List.of(new LoadgenCommand(), new ProjectCommand(), new DemoCommand());
  }

  @Override
  public java.util.Map<String, List<Object>> subcommands() {
    return java.util.Map.of("speed", List.of(new SpeedExecutionCommand()));
  }
}
