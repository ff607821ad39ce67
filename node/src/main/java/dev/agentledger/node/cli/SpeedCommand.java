package dev.agentledger.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger speed ...}: quick throughput measurements of the kernels against their
 * anchors in the same run (benchmarks, never tests). Each subcommand prints a table, or one JSON
 * object per line with {@code --json}.
 */
@Command(
    name = "speed",
    mixinStandardHelpOptions = true,
    description = "Measure kernel throughput against anchors in the same run.",
    subcommands = {SpeedEd25519Command.class})
final class SpeedCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
