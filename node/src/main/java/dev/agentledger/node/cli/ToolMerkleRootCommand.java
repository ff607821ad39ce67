package dev.agentledger.node.cli;

import dev.agentledger.accel.Backends;
import dev.agentledger.accel.Capability;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tool merkle-root}: the RFC 6962 tree head of the leaves on stdin. */
@Command(
    name = "merkle-root",
    mixinStandardHelpOptions = true,
    description = {
      "RFC 6962 tree head of the leaves on stdin (one leaf per line, hex of the leaf data).",
      "Empty input: SHA-256 of the empty string.",
      "--backend computes the tree on an accel-kernels backend (cpu, opencl, cuda, cpu-simd);",
      "the answer is the same. Unknown backend: exit 2; unavailable here: exit 1 with the reason."
    })
final class ToolMerkleRootCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--backend",
      paramLabel = "B",
      description =
          "Backend for the tree: cpu, opencl, cuda, ... (default: the built-in CPU tree).")
  String backend;

  @Override
  public Integer call() {
    byte[] root;
    if (backend == null) {
      root = MerkleLeavesInput.tree(ToolCommand.root(spec).in()).root();
    } else {
      var outcome =
          AccelBackendOption.run(
              spec,
              backend,
              Capability.MERKLE_ROOT,
              b -> {
                List<byte[]> leaves = MerkleLeavesInput.read(ToolCommand.root(spec).in());
                return Backends.merkleRootOfLeaves(b, leaves);
              });
      if (!outcome.ok()) {
        return outcome.status();
      }
      root = outcome.value();
    }
    spec.commandLine().getOut().println(InputLines.hex(root));
    return 0;
  }
}
