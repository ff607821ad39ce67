package dev.agentledger.node.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tool merkle-root}: the RFC 6962 tree head of the leaves on stdin. */
@Command(
    name = "merkle-root",
    mixinStandardHelpOptions = true,
    description = {
      "RFC 6962 tree head of the leaves on stdin (one leaf per line, hex of the leaf data).",
      "Empty input: SHA-256 of the empty string."
    })
final class ToolMerkleRootCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    byte[] root = MerkleLeavesInput.tree(ToolCommand.root(spec).in()).root();
    spec.commandLine().getOut().println(InputLines.hex(root));
    return 0;
  }
}
