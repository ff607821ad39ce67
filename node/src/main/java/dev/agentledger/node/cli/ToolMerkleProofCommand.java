package dev.agentledger.node.cli;

import dev.agentledger.hash.merkle.MerkleTree;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tool merkle-proof --index I}: the RFC 9162 audit path of leaf I. */
@Command(
    name = "merkle-proof",
    mixinStandardHelpOptions = true,
    description = {
      "RFC 6962/9162 inclusion proof (audit path) of leaf --index of the leaves on stdin.",
      "One leaf per line, hex of the leaf data; prints one node hex per line, leaf side first."
    })
final class ToolMerkleProofCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, description = "0-based index of the leaf")
  long index;

  @Override
  public Integer call() {
    MerkleTree tree = MerkleLeavesInput.tree(ToolCommand.root(spec).in());
    if (index < 0 || index >= tree.size()) {
      throw new MalformedInputException(
          "--index " + index + " outside a tree of " + tree.size() + " leaves");
    }
    PrintWriter out = spec.commandLine().getOut();
    for (byte[] node : tree.inclusionProof((int) index).path()) {
      out.println(InputLines.hex(node));
    }
    return 0;
  }
}
