package dev.agentledger.node.execution;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.core.CommitExecution;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.LedgerExecutor;
import dev.agentledger.node.execution.state.SparseMerkleState;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Two validators fed the same ordered stream reach the same roots; a different order does not. */
public class DeterminismTest {
  public static List<CommittedInput> stream(long seed, int commits) {
    Random random = new Random(seed);
    Ed25519KeyPair[] signers = {AGENT, AGENT2, OPERATOR, ADMIN, AUDITOR, STRANGER};
    long[] nonces = new long[signers.length];
    List<CommittedInput> inputs = new ArrayList<>();
    for (int c = 1; c <= commits; c++) {
      List<byte[]> records = new ArrayList<>();
      int size = random.nextInt(12);
      for (int i = 0; i < size; i++) {
        int s = random.nextInt(signers.length);
        long nonce = nonces[s]++;
        byte[] record =
            switch (random.nextInt(5)) {
              case 0 ->
                  op(
                          AccountOpBuilder.transfer(
                              signers[random.nextInt(signers.length)].publicKey(),
                              random.nextInt(500)),
                          nonce)
                      .sign(signers[s]);
              case 1 ->
                  op(
                          AccountOpBuilder.authorize(
                              signers[random.nextInt(signers.length)].publicKey(), true),
                          nonce)
                      .sign(signers[s]);
              default ->
                  run(nonce)
                      .payer(random.nextBoolean() ? signers[s].publicKey() : OPERATOR.publicKey())
                      .inputTokens(random.nextInt(5000))
                      .taskId(task(random.nextInt(4)))
                      .sign(signers[s]);
            };
        records.add(record);
      }
      inputs.add(commit(c, records));
    }
    return inputs;
  }

  static List<byte[]> roots(List<CommittedInput> inputs) {
    LedgerExecutor executor = new LedgerExecutor(genesis(), new SparseMerkleState(), true);
    List<byte[]> roots = new ArrayList<>();
    for (CommittedInput input : inputs) {
      CommitExecution result = executor.execute(input);
      roots.add(result.stateRoot());
      roots.add(result.txRoot());
      roots.add(result.receiptsRoot());
    }
    return roots;
  }

  @Test
  void twoExecutorsFedTheSameStreamAgreeOnEveryRoot() {
    List<CommittedInput> inputs = stream(42, 25);
    List<byte[]> first = roots(inputs);
    List<byte[]> second = roots(inputs);
    assertThat(second).containsExactlyElementsOf(first);
    // The roots move: a run that did nothing would agree trivially.
    assertThat(first.get(first.size() - 3)).isNotEqualTo(first.get(0));

    // Swapping two records of one commit changes the outcome.
    List<CommittedInput> swapped = new ArrayList<>(inputs);
    for (int c = 0; c < swapped.size(); c++) {
      CommittedInput in = swapped.get(c);
      if (in.transactions().size() >= 2) {
        List<byte[]> records = new ArrayList<>(in.transactions());
        records.add(0, records.remove(records.size() - 1));
        swapped.set(
            c,
            new CommittedInput(in.sequence(), in.round(), in.anchor(), in.batchDigests(), records));
        break;
      }
    }
    assertThat(roots(swapped)).isNotEqualTo(first);
  }

  @Test
  void twoValidatorsSignTheSameCommitRecords() {
    List<CommittedInput> inputs = stream(7, 12);
    LedgerHarness a = new LedgerHarness();
    LedgerHarness b = new LedgerHarness();
    for (CommittedInput input : inputs) {
      var sa = a.stage.execute(input);
      var sb = b.stage.execute(input);
      byte[] ha = a.store.commit(input.sequence()).orElseThrow().hash();
      byte[] hb = b.store.commit(input.sequence()).orElseThrow().hash();
      assertThat(ha).isEqualTo(hb);
      assertThat(sa.verify(hb)).isTrue();
      assertThat(sb.verify(ha)).isTrue();
    }
    assertThat(a.stage.stateRoot()).isEqualTo(b.stage.stateRoot());
  }
}
