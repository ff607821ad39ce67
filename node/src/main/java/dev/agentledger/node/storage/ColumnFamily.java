package dev.agentledger.node.storage;

/**
 * The kinds of data a node stores, one RocksDB column family each (DESIGN.md section 7). The names
 * are part of the on-disk format: never rename one; new kinds are appended (a store created before
 * them gains the empty family when opened).
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
  /**
   * Index: each agent's recorded runs, (agent, run number) to transaction id, and agent to its run
   * count (see {@code query.durable}).
   */
  RUNS_BY_AGENT("runs_by_agent"),
  /**
   * The primary's DAG state: certificates, batch references, own vertices, votes cast, committed
   * sub-DAGs.
   */
  CONSENSUS("consensus"),
  /** Index: transaction id to the commit sequence that ordered it. */
  TX_INDEX("tx_index"),
  /**
   * Index: worker batch digest to the commit sequence that ordered it (a batch is ordered once).
   */
  COMMITTED_BATCHES("committed_batches"),
  /** Small node-local facts: schema version, last sealed batch sequence, and the like. */
  META("meta"),
  /** State values by state key: the newest written value of each key ({@link StateLayout}). */
  STATE_VALUES("state_values"),
  /** Executed commits by ledger sequence: record, transactions, receipts, state version. */
  LEDGER_COMMITS("ledger_commits"),
  /** Commit certificates (validators' signatures of a commit record) by ledger sequence. */
  LEDGER_CERTIFICATES("ledger_certificates"),
  /** Index: transaction id to (ledger sequence, index in the commit) of its first execution. */
  LEDGER_TX_INDEX("ledger_tx_index"),
  /**
   * Transactions a client was told ACCEPTED and whose commit this node has not yet executed, by
   * (signer, nonce): replayed into the mempool after a restart ({@code ingress.IngressLog}).
   */
  INGRESS_LOG("ingress_log"),
  /**
   * Ids of transactions this node accepted and then dropped unbatched (held for a nonce gap past
   * the bound), a ring of the newest ones by slot ({@code ingress.IngressLog#rememberExpired}).
   */
  EXPIRED_IDS("expired_ids"),
  /**
   * The execution state's pages paged out of memory, by page id: this process's page images only,
   * never read across a restart ({@code SmtStateStore}, {@code PageCache}).
   */
  STATE_PAGES("state_pages");

  private final String familyName;

  ColumnFamily(String familyName) {
    this.familyName = familyName;
  }

  /** The column family name on disk. */
  public String familyName() {
    return familyName;
  }
}
