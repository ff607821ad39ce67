package dev.agentledger.node.query;

import dev.agentledger.node.commit.CommitCertificate;
import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.state.ProvableState;
import java.util.List;

/**
 * What the query side keeps of one executed commit: the record and its hash, the transactions and
 * receipts in commit order, the state version after it, and the certificate once one is known.
 */
public record StoredCommit(
    CommitRecord record,
    byte[] hash,
    List<byte[]> transactions,
    List<byte[]> txIds,
    List<Receipt> receipts,
    ProvableState state,
    CommitCertificate certificate) {
  public StoredCommit withCertificate(CommitCertificate certificate) {
    return new StoredCommit(record, hash, transactions, txIds, receipts, state, certificate);
  }
}
