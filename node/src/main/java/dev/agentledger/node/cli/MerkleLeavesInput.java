package dev.agentledger.node.cli;

import dev.agentledger.hash.merkle.MerkleTree;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the leaves of the merkle tools: one leaf per line, hex of its data (an empty line is an
 * empty leaf).
 */
final class MerkleLeavesInput {
  private MerkleLeavesInput() {}

  static List<byte[]> read(InputStream in) {
    List<String> lines = InputLines.readAll(in);
    List<byte[]> leaves = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      leaves.add(InputLines.hex(lines.get(i).strip(), i + 1, "leaf"));
    }
    return leaves;
  }

  static MerkleTree tree(InputStream in) {
    return MerkleTree.build(read(in));
  }
}
