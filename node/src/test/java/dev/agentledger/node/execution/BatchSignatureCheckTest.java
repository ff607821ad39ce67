package dev.agentledger.node.execution;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.core.CommitExecution;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.LedgerExecutor;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.core.SignatureCheck;
import dev.agentledger.node.execution.core.TransactionRecords;
import dev.agentledger.node.execution.state.SparseMerkleState;
import dev.agentledger.node.ingress.CpuBatchSignatureVerifier;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class BatchSignatureCheckTest {
  /** A seeded DRBG for the random linear combination (never a non-cryptographic RNG). */
  private static BatchSignatureCheck check(int chunk) throws Exception {
    SecureRandom drbg = SecureRandom.getInstance("SHA1PRNG");
    drbg.setSeed(99);
    return new BatchSignatureCheck(new CpuBatchSignatureVerifier(drbg, chunk), chunk);
  }

  private static byte[] forge(byte[] record, int bit) {
    byte[] copy = record.clone();
    int at =
        record.length - 64 + (bit / 8) % 64; // the signature is the last 64 bytes of both kinds
    copy[at] ^= (byte) (1 << (bit & 7));
    return copy;
  }

  @Test
  void verdictsEqualSingleVerificationRecordByRecord() throws Exception {
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] r = run(i).inputTokens(i).sign(AGENT);
      records.add(i % 7 == 3 ? forge(r, 13 * i) : r);
    }
    records.add(
        op(AccountOpBuilder.transfer(AGENT2.publicKey(), 5), 40)
            .sign(OPERATOR)); // account op: left to the executor
    records.add(new byte[] {1, 1, 2, 3}); // malformed: left to the executor
    byte[] verdicts = new byte[records.size()];
    check(8)
        .check(
            TransactionRecords.copyOf(records),
            verdicts); // chunks of 8: several flushes, forged items in some of them

    AgentRunFlyweight flyweight = new AgentRunFlyweight();
    for (int i = 0; i < 40; i++) {
      flyweight.wrap(new UnsafeBuffer(records.get(i)), 0);
      byte expected = flyweight.verifySignature() ? SignatureCheck.VALID : SignatureCheck.INVALID;
      assertThat(verdicts[i]).as("record %d", i).isEqualTo(expected);
    }
    assertThat(verdicts[3]).isEqualTo(SignatureCheck.INVALID);
    assertThat(verdicts[0]).isEqualTo(SignatureCheck.VALID);
    assertThat(verdicts[40]).isEqualTo(SignatureCheck.UNCHECKED);
    assertThat(verdicts[41]).isEqualTo(SignatureCheck.UNCHECKED);
  }

  @Test
  void executorsWithAndWithoutTheBatchCheckAgreeOnEveryRootAndReceipt() throws Exception {
    // The determinism workload (runs, transfers, authorisations) with forged signatures mixed in.
    Random random = new Random(7);
    List<CommittedInput> inputs = new ArrayList<>();
    for (CommittedInput in : DeterminismTest.stream(11, 30)) {
      List<byte[]> records = new ArrayList<>();
      for (byte[] r : in.transactions()) {
        records.add(random.nextInt(6) == 0 ? forge(r, random.nextInt(512)) : r);
      }
      inputs.add(
          new CommittedInput(in.sequence(), in.round(), in.anchor(), in.batchDigests(), records));
    }
    LedgerExecutor single = new LedgerExecutor(genesis(), new SparseMerkleState(), true);
    LedgerExecutor batched = new LedgerExecutor(genesis(), new SparseMerkleState(), true, check(4));
    int badSignatures = 0;
    for (CommittedInput input : inputs) {
      CommitExecution a = single.execute(input);
      CommitExecution b = batched.execute(input);
      assertThat(b.stateRoot()).isEqualTo(a.stateRoot());
      assertThat(b.txRoot()).isEqualTo(a.txRoot());
      assertThat(b.receiptsRoot()).isEqualTo(a.receiptsRoot());
      assertThat(b.receipts())
          .usingRecursiveFieldByFieldElementComparator()
          .isEqualTo(a.receipts());
      for (Receipt r : a.receipts()) {
        if (r.code() == ExecutionCode.BAD_SIGNATURE) {
          badSignatures++;
        }
      }
    }
    // The forged records really reached the signature check (not refused earlier for another
    // reason).
    assertThat(badSignatures).isGreaterThan(3);
  }
}
