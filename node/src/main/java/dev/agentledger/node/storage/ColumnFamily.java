package dev.agentledger.node.storage;

/**
 * The kinds of data a node stores, one RocksDB column family each (DESIGN.md section 7). The
 * names are part of the on-disk format.
 */
public enum ColumnFamily {
  /** Worker batches by digest: the transaction bodies. */
  BATCHES("batches"),
  /** Batch and DAG certificates by digest. */
  CERTIFICATES("certificates"),
  /** Consensus commits by sequence number. */
  COMMITS("commits"),
  /** Sparse Merkle tree nodes of the state by node hash. */
  STATE_NODES("state_nodes"),
  /** Index: (agent, nonce) to transaction id. */
  RUNS_BY_AGENT("runs_by_agent"),
  /** The primary's DAG state: certificates, batch references, own vertices, votes cast, committed sub-DAGs. */
  CONSENSUS("consensus"),
  /** Index: transaction id to the commit sequence that ordered it. */
  TX_INDEX("tx_index"),
  /** Index: worker batch digest to the commit sequence that ordered it (a batch is ordered once). */
  COMMITTED_BATCHES("committed_batches"),
  /** Small node-local facts: schema version, last sealed batch sequence, and the like. */
  META("meta");

  private final String familyName;

  ColumnFamily(String familyName) {
    this.familyName = familyName;
  }

  /** The column family name on disk. */
  public String familyName() {
    return familyName;
  }
}
