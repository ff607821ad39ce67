package dev.agentledger.node.query;

import java.util.List;
import java.util.Optional;

/**
 * The storage behind the query API: commits with their transactions, receipts, state versions and
 * certificates, a transaction-id index and each agent's run index. One writer (the execution
 * stage), many readers (query threads). {@code memory/} holds the in-memory implementation; the
 * RocksDB store backs the same interface on a real node.
 */
public interface QueryStore {
  /** Where a transaction sits: commit sequence and index in commit order. */
  record TxLocation(long sequence, int index) {}

  void putCommit(StoredCommit commit);

  /** Attaches a certificate to the stored commit of {@code sequence}. */
  void putCertificate(long sequence, dev.agentledger.node.commit.CommitCertificate certificate);

  /** Appends a recorded run to {@code agent}'s run index. */
  void appendRun(byte[] agent, byte[] txId);

  Optional<StoredCommit> commit(long sequence);

  /** The highest executed commit (0 when none). */
  long latestSequence();

  /** The highest commit that has a certificate (0 when none). */
  long latestCertifiedSequence();

  Optional<TxLocation> locate(byte[] txId);

  /** {@code agent}'s recorded runs in history order, {@code [from, from + limit)}. */
  List<byte[]> runs(byte[] agent, long from, int limit);

  long runCount(byte[] agent);
}
