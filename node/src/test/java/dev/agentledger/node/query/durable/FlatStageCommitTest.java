package dev.agentledger.node.query.durable;

import static dev.agentledger.node.execution.LedgerFixture.AGENT;
import static dev.agentledger.node.execution.LedgerFixture.AGENT2;
import static dev.agentledger.node.execution.LedgerFixture.OPERATOR;
import static dev.agentledger.node.execution.LedgerFixture.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.execution.core.CommitExecution;
import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.execution.core.LedgerExecutor;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The node's flat {@link DurableQueryStore#stageCommit(WriteBatch, CommitRecord, byte[],
 * dev.agentledger.node.execution.core.TransactionRecords, CommitOutput,
 * dev.agentledger.node.execution.state.ProvableState)} against the object form: the same executed
 * commits (runs of several agents, failures, transfers, a transaction repeated in a later commit)
 * give byte-identical commit entries and the same locations, run pages and run counts.
 */
class FlatStageCommitTest {
  @Test
  void flatAndObjectFormsStoreTheSameCommits() {
    SmtStateStore state = SmtStateStore.inMemory();
    LedgerExecutor executor = new LedgerExecutor(LedgerFixture.genesis(), state, true);
    CommitOutput out = new CommitOutput();
    Store flatStore = new InMemoryStore();
    Store objectStore = new InMemoryStore();
    DurableQueryStore flat = new DurableQueryStore(flatStore, state);
    DurableQueryStore objects = new DurableQueryStore(objectStore, state);
    Random random = new Random(5);
    Ed25519KeyPair[] signers = {AGENT, AGENT2, OPERATOR, STRANGER};
    long[] nonces = new long[signers.length];
    List<byte[]> ids = new ArrayList<>();
    byte[] previousRecord = null;
    byte[] previous = new byte[32];
    for (long sequence = 1; sequence <= 12; sequence++) {
      List<byte[]> records = new ArrayList<>();
      int size = random.nextInt(20);
      for (int i = 0; i < size; i++) {
        int s = random.nextInt(signers.length);
        records.add(
            random.nextInt(4) == 0
                ? LedgerFixture.op(
                        AccountOpBuilder.transfer(OPERATOR.publicKey(), random.nextInt(50)),
                        nonces[s]++)
                    .sign(signers[s])
                : LedgerFixture.run(nonces[s]++)
                    .inputTokens(random.nextInt(5000))
                    .sign(signers[s]));
      }
      if (previousRecord != null) {
        records.add(previousRecord); // executed again: fails, keeps its first location
        records.add(previousRecord); // twice in one commit
      }
      if (!records.isEmpty()) {
        previousRecord = records.get(0);
      }
      CommittedInput input = LedgerFixture.commit(sequence, records);
      executor.executeInto(input, out);
      CommitExecution result = out.toCommitExecution(input);
      CommitRecord record = CommitRecord.of(LedgerFixture.CHAIN, input, out, previous);
      byte[] hash = record.hash();
      previous = hash;
      ids.addAll(result.txIds());

      try (WriteBatch batch = flatStore.newBatch()) {
        flat.stageCommit(batch, record, hash, input.records(), out, state.snapshot());
        flatStore.write(batch, Durability.SYNCED);
      }
      flat.published(sequence);
      List<DurableQueryStore.RecordedRun> runs = new ArrayList<>();
      for (ExecutionEvent e : result.events()) {
        if (e.type() == ExecutionEvent.Type.RUN_RECORDED) {
          runs.add(new DurableQueryStore.RecordedRun(e.account(), e.txId()));
        }
      }
      StoredCommit stored =
          new StoredCommit(
              record,
              hash,
              input.transactions(),
              result.txIds(),
              result.receipts(),
              state.snapshot(),
              null);
      try (WriteBatch batch = objectStore.newBatch()) {
        objects.stageCommit(batch, stored, runs);
        objectStore.write(batch, Durability.SYNCED);
      }
      objects.published(sequence);

      assertThat(flatStore.get(DurableQueryStore.COMMITS, sequence))
          .isEqualTo(objectStore.get(DurableQueryStore.COMMITS, sequence));
    }
    assertThat(flat.latestSequence()).isEqualTo(12);
    for (byte[] id : ids) {
      assertThat(flat.locate(id)).isEqualTo(objects.locate(id)).isPresent();
    }
    long runs = 0;
    for (Ed25519KeyPair signer : signers) {
      byte[] agent = signer.publicKey();
      long count = objects.runCount(agent);
      runs += count;
      assertThat(flat.runCount(agent)).isEqualTo(count);
      assertThat(flat.runs(agent, 0, (int) count + 1))
          .containsExactlyElementsOf(objects.runs(agent, 0, (int) count + 1));
    }
    assertThat(runs).as("the workload records runs").isPositive();
  }
}
