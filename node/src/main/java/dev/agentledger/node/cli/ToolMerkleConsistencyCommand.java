package dev.agentledger.node.cli;

import dev.agentledger.hash.merkle.MerkleTree;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tool merkle-consistency --old M}: the RFC 9162 consistency proof from size M. */
@Command(
    name = "merkle-consistency",
    mixinStandardHelpOptions = true,
    description = {
      "RFC 6962/9162 consistency proof from the first --old leaves to all leaves on stdin.",
      "One leaf per line, hex of the leaf data; prints one node hex per line."
    })
final class ToolMerkleConsistencyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--old",
      paramLabel = "N",
      required = true,
      description = "size of the old tree (0..number of leaves)")
  long oldSize;

  @Override
  public Integer call() {
    MerkleTree tree = MerkleLeavesInput.tree(ToolCommand.root(spec).in());
    if (oldSize < 0 || oldSize > tree.size()) {
      throw new MalformedInputException("--old " + oldSize + " outside [0, " + tree.size() + "]");
    }
    PrintWriter out = spec.commandLine().getOut();
    for (byte[] node : tree.consistencyProof((int) oldSize).path()) {
      out.println(InputLines.hex(node));
    }
    return 0;
  }
}
