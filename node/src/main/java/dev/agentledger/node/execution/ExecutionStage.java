package dev.agentledger.node.execution;

import dev.agentledger.node.commit.CommitCertificate;
import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.commit.Committee;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommitExecution;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.LedgerExecutor;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The execution stage of one node: takes committed input in order, runs the {@link
 * LedgerExecutor}, chains and signs the {@link CommitRecord}, hands the commit to the {@link
 * QueryStore} and its events to the {@link EventLog}, and collects the other validators'
 * signatures into a {@link CommitCertificate}. Single writer: call from one thread (the stage's
 * agent); readers use the store and the log.
 */
public final class ExecutionStage {
  private final ExecutionGenesis genesis;
  private final Committee committee;
  private final Ed25519KeyPair validatorKey;
  private final QueryStore store;
  private final EventLog events;
  private final LongSupplier nanoClock;
  private final SmtStateStore state;
  private final LedgerExecutor executor;
  private final Map<Long, CommitCertificate.Collector> pending = new TreeMap<>();
  private byte[] previousHash = new byte[32];

  private final MetricsRegistry.Counter commits;
  private final MetricsRegistry.Counter txOk;
  private final MetricsRegistry.Counter txFailed;
  private final MetricsRegistry.Counter paymentFailures;
  private final MetricsRegistry.Counter certificates;
  private final MetricsRegistry.Histogram commitSeconds;
  private final MetricsRegistry.Histogram commitSize;

  /**
   * @param stateNodes where the state tree keeps its nodes (RocksDB on a node, memory in tests)
   * @param validatorKey this node's validator key (signs each commit), or null for a non-voting
   *     replica
   * @param nanoClock a monotonic clock for latency metrics only (never for execution)
   */
  public ExecutionStage(
      ExecutionGenesis genesis,
      NodeStore stateNodes,
      Committee committee,
      Ed25519KeyPair validatorKey,
      QueryStore store,
      EventLog events,
      MetricsRegistry metrics,
      boolean verifySignatures,
      LongSupplier nanoClock) {
    if (genesis.chainId() != committee.chainId()) {
      throw new IllegalArgumentException("genesis and committee name different chains");
    }
    this.genesis = genesis;
    this.committee = committee;
    this.validatorKey = validatorKey;
    this.store = store;
    this.events = events;
    this.nanoClock = nanoClock;
    this.state = new SmtStateStore(stateNodes);
    this.executor = new LedgerExecutor(genesis, state, verifySignatures);
    commits = metrics.counter("agentledger_execution_commits_total", "Commits executed.");
    txOk = metrics.counter("agentledger_execution_transactions_total", "Transactions executed, by result.", "result", "ok");
    txFailed = metrics.counter("agentledger_execution_transactions_total", "Transactions executed, by result.", "result", "failed");
    paymentFailures = metrics.counter("agentledger_execution_payment_failures_total", "Transactions whose payer could not pay.");
    certificates = metrics.counter("agentledger_execution_certificates_total", "Commit certificates formed.");
    commitSeconds = metrics.histogram("agentledger_execution_commit_seconds", "Time to execute one commit.",
        MetricsRegistry.LATENCY_SECONDS);
    commitSize = metrics.histogram("agentledger_execution_commit_transactions", "Transactions per commit.",
        MetricsRegistry.SIZES);
    metrics.gauge("agentledger_execution_last_commit_sequence", "Sequence of the last executed commit.",
        executor::lastSequence);
    metrics.gauge("agentledger_execution_certificates_pending", "Executed commits still collecting signatures.",
        () -> pending.size());
  }

  public Committee committee() {
    return committee;
  }

  public ExecutionGenesis genesis() {
    return genesis;
  }

  /**
   * Executes one commit and stores it (uncertified). Returns this validator's signature of the
   * commit record (to broadcast), or null for a non-voting replica.
   */
  public CommitSignature execute(CommittedInput input) {
    long start = nanoClock.getAsLong();
    CommitExecution result = executor.execute(input);
    CommitRecord record = CommitRecord.of(genesis.chainId(), result, previousHash);
    byte[] hash = record.hash();
    previousHash = hash;
    store.putCommit(new StoredCommit(record, hash, input.transactions(), result.txIds(), result.receipts(),
        state.snapshot(), null));
    for (ExecutionEvent e : result.events()) {
      if (e.type() == ExecutionEvent.Type.RUN_RECORDED) {
        store.appendRun(e.account(), e.txId());
      } else if (e.type() == ExecutionEvent.Type.PAYMENT_FAILED) {
        paymentFailures.increment();
      }
    }
    events.append(input.sequence(), result.events());
    for (Receipt r : result.receipts()) {
      (r.code() == ExecutionCode.OK ? txOk : txFailed).increment();
    }
    commits.increment();
    commitSize.observe(result.receipts().size());
    pending.put(input.sequence(), new CommitCertificate.Collector(committee, hash));
    CommitSignature own = null;
    if (validatorKey != null) {
      own = CommitSignature.sign(validatorKey, hash);
      addSignature(input.sequence(), own);
    }
    commitSeconds.observeNanos(nanoClock.getAsLong() - start);
    return own;
  }

  /**
   * Adds a validator's signature of commit {@code sequence}; certifies the commit when the
   * signatures reach a quorum. Returns false for a refused signature (unknown signer, bad
   * signature, duplicate) or a commit not awaiting signatures.
   */
  public boolean addSignature(long sequence, CommitSignature signature) {
    CommitCertificate.Collector collector = pending.get(sequence);
    if (collector == null || !collector.add(signature)) {
      return false;
    }
    if (collector.isComplete()) {
      pending.remove(sequence);
      store.putCertificate(sequence, collector.certificate());
      certificates.increment();
    }
    return true;
  }

  /** The oldest executed commit still collecting signatures, or 0 when every one is certified. */
  public long oldestUncertified() {
    return pending.isEmpty() ? 0 : ((TreeMap<Long, CommitCertificate.Collector>) pending).firstKey();
  }

  public long lastSequence() {
    return executor.lastSequence();
  }

  public byte[] stateRoot() {
    return state.root();
  }
}
