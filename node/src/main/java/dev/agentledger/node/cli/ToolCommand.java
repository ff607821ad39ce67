package dev.agentledger.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger tool ...}: the conformance commands of DESIGN.md section 10. Each reads stdin
 * and writes stdout, one item per line, lower-case hex, so other implementations can be checked
 * against this one.
 */
@Command(
    name = "tool",
    mixinStandardHelpOptions = true,
    description = "Conformance tools: stdin to stdout, one item per line, lower-case hex.",
    subcommands = {
      ToolSha256Command.class,
      ToolMerkleRootCommand.class,
      ToolMerkleProofCommand.class,
      ToolMerkleConsistencyCommand.class,
      ToolCidCommand.class,
      ToolEd25519SignCommand.class,
      ToolEd25519VerifyCommand.class
    })
final class ToolCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The root command of an invocation, for its standard input. */
  static AgentLedgerCli root(CommandSpec spec) {
    return (AgentLedgerCli) spec.root().userObject();
  }
}
