package dev.agentledger.bench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger speed ...}: throughput of the kernels against their anchors, in the manner of
 * {@code openssl speed}. Each workload is its own subcommand class; add one by listing it in {@code
 * subcommands} below (and, for a table like the others, printing through {@link SpeedReport}).
 */
@Command(
    name = "speed",
    mixinStandardHelpOptions = true,
    description =
        "Measure kernel throughput against the anchor implementations (same run, same machine).",
    subcommands = {
      SpeedSha256Command.class,
      SpeedMerkleCommand.class,
      SpeedEd25519Command.class,
      SpeedMsmCommand.class,
      SpeedExecutionCommand.class
    })
final class SpeedCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
