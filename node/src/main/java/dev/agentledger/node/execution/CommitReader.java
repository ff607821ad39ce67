package dev.agentledger.node.execution;

import dev.agentledger.node.commitlog.CommitLog;
import dev.agentledger.node.commitlog.CommitLogFlyweight;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.TransactionRecords;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.tx.TransactionSlot;
import dev.agentledger.node.worker.core.Worker;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads ledger commits back from the commit log and the worker batches they name, for execution:
 * ledger commit {@code s} is consensus commit {@code s - 1}, its records the named batches' records
 * in order. Each batch is read into one reused buffer ({@link Store#getInto}) and its records
 * appended in place to a reused {@link TransactionRecords.Builder}, so a commit's records are
 * copied once, into the commit's own two arrays: no array per batch body and none per record. One
 * reader per thread.
 */
public final class CommitReader {
  private final Store store;
  private final CommitLogFlyweight entry = new CommitLogFlyweight();
  private final TransactionRecords.Builder records = new TransactionRecords.Builder();
  private final UnsafeBuffer view = new UnsafeBuffer(new byte[1]);
  private byte[] body = new byte[Wire.BATCH_RECORDS + 512 * Wire.RECORD];

  public CommitReader(Store store) {
    this.store = store;
  }

  /**
   * Ledger commit {@code sequence}: the same input on every validator, in the order the consensus
   * committer wrote it. The input owns its arrays (nothing of this reader's is shared with it).
   *
   * @throws IllegalStateException when the commit log lacks the commit or a batch it names
   */
  public CommittedInput read(long sequence) {
    CommitLog.read(store, sequence - 1, entry);
    byte[] anchor = entry.anchor();
    long round = entry.anchorRound();
    int batches = entry.batchCount();
    List<byte[]> digests = new ArrayList<>(batches);
    records.clear();
    for (int i = 0; i < batches; i++) {
      byte[] digest = entry.batchDigest(i);
      digests.add(digest);
      int length = store.getInto(Worker.BATCHES, digest, body);
      if (length > body.length) {
        body = new byte[Math.max(length, 2 * body.length)];
        length = store.getInto(Worker.BATCHES, digest, body);
      }
      if (length < 0) {
        throw new IllegalStateException(
            "commit " + (sequence - 1) + " names a batch this node does not hold");
      }
      view.wrap(body, 0, length);
      int count = view.getInt(Wire.BATCH_COUNT, ByteOrder.LITTLE_ENDIAN);
      for (int t = 0; t < count; t++) {
        int at = Wire.BATCH_RECORDS + t * Wire.RECORD;
        int recordLength = TransactionSlot.recordLength(view, at);
        if (at + recordLength > length) {
          throw new IllegalStateException(
              "batch " + i + " of commit " + (sequence - 1) + " is shorter than its count");
        }
        records.add(body, at, recordLength);
      }
    }
    return new CommittedInput(sequence, round, anchor, digests, records.build());
  }
}
