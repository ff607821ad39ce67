package dev.agentledger.node.query;

import dev.agentledger.hash.merkle.InclusionProof;
import dev.agentledger.hash.merkle.MerkleTree;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.state.SparseMerkleProof;
import dev.agentledger.node.proof.LedgerProof;
import dev.agentledger.node.proof.StateSubject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds {@link LedgerProof}s from a {@link QueryStore}: the answers the query API serves. */
public final class ProofService {
  private final QueryStore store;

  public ProofService(QueryStore store) {
    this.store = store;
  }

  public QueryStore store() {
    return store;
  }

  /** Why a proof cannot be had yet (the answer exists but is not certified). */
  public static final class NotCertifiedException extends RuntimeException {
    public NotCertifiedException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The inclusion proof of a transaction in its commit; empty when the id is unknown.
   *
   * @throws NotCertifiedException when its commit has no certificate yet
   */
  public Optional<LedgerProof.Transaction> transaction(byte[] txId) {
    Optional<QueryStore.TxLocation> location = store.locate(txId);
    if (location.isEmpty()) {
      return Optional.empty();
    }
    StoredCommit commit = store.commit(location.get().sequence()).orElseThrow();
    if (commit.certificate() == null) {
      throw new NotCertifiedException(
          "commit " + commit.record().sequence() + " is not certified yet");
    }
    int index = location.get().index();
    List<byte[]> receiptLeaves = new ArrayList<>(commit.receipts().size());
    for (Receipt r : commit.receipts()) {
      receiptLeaves.add(r.encode());
    }
    InclusionProof txPath = MerkleTree.build(commit.txIds()).inclusionProof(index);
    InclusionProof receiptPath = MerkleTree.build(receiptLeaves).inclusionProof(index);
    return Optional.of(
        new LedgerProof.Transaction(
            commit.record().encode(),
            commit.certificate().signatures(),
            commit.transactions().get(index),
            index,
            txPath.path(),
            receiptLeaves.get(index),
            receiptPath.path()));
  }

  /**
   * A proof of what {@code subject} holds in the state of the latest certified commit.
   *
   * @throws NotCertifiedException when no commit is certified yet
   */
  public LedgerProof.State state(StateSubject subject) {
    long sequence = store.latestCertifiedSequence();
    if (sequence == 0) {
      throw new NotCertifiedException("no certified commit yet");
    }
    return state(subject, sequence);
  }

  /**
   * A proof of what {@code subject} holds in the state of certified commit {@code sequence}.
   *
   * @throws NotCertifiedException when that commit is not certified (or not executed) yet
   * @throws dev.agentledger.node.execution.state.PrunedStateException when its state version is
   *     older than the node retains
   */
  public LedgerProof.State state(StateSubject subject, long sequence) {
    StoredCommit commit =
        store
            .commit(sequence)
            .orElseThrow(
                () -> new NotCertifiedException("commit " + sequence + " is not executed yet"));
    if (commit.certificate() == null) {
      throw new NotCertifiedException("commit " + sequence + " is not certified yet");
    }
    byte[] key = subject.key();
    byte[] value = commit.state().get(key);
    SparseMerkleProof proof = commit.state().prove(key);
    return new LedgerProof.State(
        commit.record().encode(),
        commit.certificate().signatures(),
        subject,
        value,
        proof.leafKey(),
        proof.leafValueHash(),
        proof.siblings());
  }
}
