package dev.agentledger.node.execution.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.hash.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flat, level-by-level roots of {@link CommitOutput} against {@link MerkleTree}, any size. */
class CommitOutputTest {
  @Test
  void rootsMatchTheRfc6962Tree() {
    Random random = new Random(8);
    CommitOutput out = new CommitOutput();
    for (int n = 0; n <= 140; n += n < 40 ? 1 : 13) {
      out.reset(n);
      List<byte[]> ids = new ArrayList<>();
      List<byte[]> receipts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        System.arraycopy(id, 0, out.idsArray(), 32 * i, 32);
        ExecutionCode code = random.nextBoolean() ? ExecutionCode.OK : ExecutionCode.BAD_NONCE;
        long fee = random.nextInt(100_000);
        out.receipt(i, 1, code, fee);
        ids.add(id);
        receipts.add(new Receipt(id, 1, code, fee).encode());
      }
      out.computeRoots();
      assertThat(out.txRoot()).as("n=" + n).isEqualTo(MerkleTree.build(ids).root());
      assertThat(out.receiptsRoot()).as("n=" + n).isEqualTo(MerkleTree.build(receipts).root());
    }
  }
}
