package dev.agentledger.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agentledger node ...}: run one validator, or ask a running one for its status. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run a validator node or query a running one.",
    subcommands = {NodeRunCommand.class, NodeStatusCommand.class})
final class NodeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
