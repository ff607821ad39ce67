package dev.agentledger.node.feed;

import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.FlatReceipts;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.core.TransactionRecords;
import dev.agentledger.node.query.StoredCommit;
import java.util.List;

/**
 * What the feed carries of one executed commit: its sequence, the receipt of every transaction in
 * commit order (tx id, execution code) and the records themselves (the agent key a filter matches
 * is read from them in place). One object per commit, shared by every subscriber: the receipts and
 * the records are held flat ({@link FlatReceipts}, {@link TransactionRecords}: one array each,
 * execution's own records shared, not copied), so a commit makes no object per transaction; read
 * them in place with {@link #code}, {@link #copyTxId} and {@link #passes}.
 */
public record FeedCommit(long sequence, List<Receipt> receipts, TransactionRecords records) {
  /** Where a record keeps its signer: the agent of a run, the signer of an account operation. */
  public static final int SIGNER_OFFSET = 8;

  public static final int KEY_LENGTH = 32;

  public FeedCommit {
    if (receipts.size() != records.size()) {
      throw new IllegalArgumentException(
          "commit " + sequence + ": " + receipts.size() + " receipts for " + records.size());
    }
    receipts = FlatReceipts.copyOf(receipts);
  }

  /** A commit whose records are {@code records} (copied into one array). */
  public FeedCommit(long sequence, List<Receipt> receipts, List<byte[]> records) {
    this(sequence, receipts, TransactionRecords.copyOf(records));
  }

  /** The feed form of a commit the query store holds. */
  public static FeedCommit of(StoredCommit commit) {
    return new FeedCommit(commit.record().sequence(), commit.receipts(), commit.transactions());
  }

  public int size() {
    return receipts.size();
  }

  /**
   * Whether transaction {@code index}'s receipt passes {@code filter} (its record read in place).
   */
  public boolean passes(FeedFilter filter, int index) {
    return filter.matches(records.bytes(), records.offset(index), records.length(index));
  }

  /** The execution code of transaction {@code index}. */
  public ExecutionCode code(int index) {
    return ((FlatReceipts) receipts).code(index);
  }

  /** Copies transaction {@code index}'s id (32 B) into {@code dst} at {@code offset}. */
  public void copyTxId(int index, byte[] dst, int offset) {
    ((FlatReceipts) receipts).copyTxId(index, dst, offset);
  }
}
