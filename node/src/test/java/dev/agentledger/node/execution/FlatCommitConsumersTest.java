package dev.agentledger.node.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommitExecution;
import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.execution.core.FlatReceipts;
import dev.agentledger.node.execution.core.LedgerExecutor;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.state.SparseMerkleState;
import dev.agentledger.node.feed.FeedCommit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event log and the commit feed fed from the executor's flat {@link CommitOutput} hold what the
 * object form ({@link CommitOutput#toCommitExecution}) holds: every event field, every receipt, in
 * order, read back, replayed to a subscriber and delivered live, including once the log has dropped
 * its oldest commits.
 */
class FlatCommitConsumersTest {
  @Test
  void eventLogAndFeedFromTheFlatOutputMatchTheObjectForm() {
    List<CommittedInput> inputs = DeterminismTest.stream(11, 40);
    LedgerExecutor executor =
        new LedgerExecutor(LedgerFixture.genesis(), new SparseMerkleState(), true);
    CommitOutput out = new CommitOutput();
    EventLog flat = new EventLog(16);
    EventLog objects = new EventLog(16);
    List<ExecutionEvent> live = new ArrayList<>();
    flat.subscribe(1, live::add);
    List<ExecutionEvent> expected = new ArrayList<>();
    for (CommittedInput input : inputs) {
      executor.executeInto(input, out);
      CommitExecution result = out.toCommitExecution(input);
      expected.addAll(result.events());
      flat.append(input.sequence(), out);
      objects.append(input.sequence(), result.events());

      FeedCommit commit = new FeedCommit(input.sequence(), FlatReceipts.of(out), input.records());
      assertThat(commit.receipts())
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactlyElementsOf(result.receipts());
      byte[] id = new byte[32];
      for (int i = 0; i < commit.size(); i++) {
        Receipt r = result.receipts().get(i);
        assertThat(commit.code(i)).isEqualTo(r.code());
        commit.copyTxId(i, id, 0);
        assertThat(id).isEqualTo(r.txId());
      }
    }
    assertThat(expected).as("the stream has events").hasSizeGreaterThan(40);
    assertThat(live)
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(expected);
    assertThat(flat.firstSequence()).as("the bound dropped old commits").isGreaterThan(1);
    assertThat(flat.firstSequence()).isEqualTo(objects.firstSequence());
    assertThat(flat.size()).isEqualTo(objects.size());
    for (long from = flat.firstSequence(); from <= flat.lastSequence() + 1; from++) {
      assertThat(flat.read(from, 7))
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactlyElementsOf(objects.read(from, 7));
    }
    List<ExecutionEvent> replayed = new ArrayList<>();
    flat.subscribe(flat.firstSequence(), replayed::add);
    assertThat(replayed)
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(objects.read(objects.firstSequence(), Integer.MAX_VALUE));
  }

  @Test
  void aFeedCommitOfReceiptObjectsReadsTheSame() {
    byte[] id = new byte[32];
    id[3] = 9;
    List<Receipt> receipts =
        List.of(
            new Receipt(id, 1, ExecutionCode.OK, 17),
            new Receipt(new byte[32], 2, ExecutionCode.BAD_NONCE, 3));
    FeedCommit commit = new FeedCommit(4, receipts, List.of(new byte[40], new byte[40]));
    assertThat(commit.receipts())
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(receipts);
    assertThat(commit.code(1)).isEqualTo(ExecutionCode.BAD_NONCE);
    byte[] copy = new byte[32];
    commit.copyTxId(0, copy, 0);
    assertThat(copy).isEqualTo(id);
  }
}
