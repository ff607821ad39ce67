package dev.agentledger.node.feed;

import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.query.memory.InMemoryQueryStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Commits stored in an in-memory query store and published to a feed, as execution does. */
final class FeedFixture {
  final InMemoryQueryStore store = new InMemoryQueryStore();

  static byte[] agent(int n) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) n);
    return key;
  }

  /** A 326-byte record signed (in the signer field) by {@code agent(agentByte)}. */
  static byte[] record(int agentByte, int salt) {
    byte[] r = new byte[326];
    System.arraycopy(agent(agentByte), 0, r, FeedCommit.SIGNER_OFFSET, 32);
    r[100] = (byte) salt;
    r[101] = (byte) (salt >> 8);
    return r;
  }

  static byte[] txId(long sequence, int index) {
    byte[] id = new byte[32];
    id[0] = (byte) sequence;
    id[1] = (byte) (sequence >> 8);
    id[2] = (byte) index;
    id[3] = (byte) (index >> 8);
    return id;
  }

  /** Stores commit {@code sequence} whose i-th record is signed by agent {@code agents[i]}. */
  FeedCommit store(long sequence, int... agents) {
    List<byte[]> records = new ArrayList<>();
    List<byte[]> ids = new ArrayList<>();
    List<Receipt> receipts = new ArrayList<>();
    for (int i = 0; i < agents.length; i++) {
      records.add(record(agents[i], i));
      ids.add(txId(sequence, i));
      receipts.add(
          new Receipt(
              txId(sequence, i), 1, i % 2 == 0 ? ExecutionCode.OK : ExecutionCode.BAD_NONCE, 7));
    }
    byte[] z = new byte[32];
    CommitRecord record =
        new CommitRecord(1, sequence, sequence, z, z, z, agents.length, z, z, List.of());
    StoredCommit stored = new StoredCommit(record, z, records, ids, receipts, null, null);
    store.putCommit(stored);
    return FeedCommit.of(stored);
  }

  /** Stores and publishes, as the execution stage does. */
  void commit(CommitFeed feed, long sequence, int... agents) {
    feed.publish(store(sequence, agents));
  }
}
