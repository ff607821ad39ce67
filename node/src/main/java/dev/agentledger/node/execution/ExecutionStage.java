package dev.agentledger.node.execution;

import dev.agentledger.node.commit.CommitCertificate;
import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommitExecution;
import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FlatReceipts;
import dev.agentledger.node.execution.core.LedgerExecutor;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.feed.CommitFeed;
import dev.agentledger.node.feed.FeedCommit;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.query.durable.DurableQueryStore;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The execution stage of one node: takes committed input in order, runs the {@link LedgerExecutor},
 * chains and signs the {@link CommitRecord}, hands the commit to the {@link QueryStore} and its
 * events to the {@link EventLog}, and collects the other validators' signatures into a {@link
 * CommitCertificate}. Single writer: call from one thread (the stage's agent); readers use the
 * store and the log.
 *
 * <p>Two forms. The constructor keeps the state's values and the query store where the caller says
 * (memory in tests: nothing survives the process). {@link #durable} keeps everything in the node's
 * {@link Store}: each commit's state version (its log record and root, the changed values at
 * checkpoints; the executor's totals with {@code last_commit_sequence} are state like any other)
 * and its query entries (record, transactions, receipts, tx index, run index, latest sequence) go
 * into ONE write batch, written synced before the commit is signed or its events published. After a
 * crash the store holds every commit up to some sequence whole and nothing after it, so {@link
 * #lastSequence()} names exactly the last commit the query store holds, and the caller replays the
 * consensus commits after it.
 *
 * <p>The executor writes each commit into one reused {@link CommitOutput} ({@link
 * LedgerExecutor#executeInto}); the stage reads its counts and payment failures from those flat
 * arrays, and the durable query store, the event log and the commit feed copy what they keep out of
 * it flat (one array each per commit), so a commit makes no object per transaction after execution.
 * The in-memory form copies it into objects for its query store.
 */
public final class ExecutionStage {
  private final ExecutionGenesis genesis;
  private final Committee committee;
  private final Ed25519KeyPair validatorKey;
  private final QueryStore store;

  /** The node's store in the durable form (with {@link #durableStore}), else null. */
  private final Store storage;

  private final DurableQueryStore durableStore;
  private final EventLog events;
  private CommitFeed feed;
  private final LongSupplier nanoClock;
  private final SmtStateStore state;
  private final LedgerExecutor executor;
  private final CommitOutput output = new CommitOutput();
  private final Map<Long, CommitCertificate.Collector> pending = new TreeMap<>();
  private byte[] previousHash = new byte[32];

  /** The hashes of the latest {@link #RECENT_HASHES} executed commits, at sequence modulo. */
  private final byte[] recentHashes = new byte[32 * RECENT_HASHES];

  /** The first sequence executed by this stage object (its hash is in {@link #recentHashes}). */
  private long firstExecuted;

  private final MetricsRegistry.Counter commits;
  private final MetricsRegistry.Counter txOk;
  private final MetricsRegistry.Counter txFailed;
  private final MetricsRegistry.Counter paymentFailures;
  private final MetricsRegistry.Counter certificates;
  private final MetricsRegistry.Histogram commitSeconds;
  private final MetricsRegistry.Histogram commitSize;
  private final MetricsRegistry.Histogram persistSeconds;

  /**
   * On a restart, commits collect signatures again when uncertified and after the latest certified
   * commit, or at most this many commits before it (a certificate may land out of order).
   */
  static final int RESTORED_COLLECTORS = 1024;

  /** Commit hashes held in memory, for the newest commits. */
  static final int RECENT_HASHES = 4096;

  /**
   * The in-memory form: state in memory, commits in {@code store}; every commit is replayed after a
   * restart.
   *
   * @param validatorKey this node's validator key (signs each commit), or null for a non-voting
   *     replica
   * @param nanoClock a monotonic clock for latency metrics (never for results)
   */
  public ExecutionStage(
      ExecutionGenesis genesis,
      Committee committee,
      Ed25519KeyPair validatorKey,
      QueryStore store,
      EventLog events,
      MetricsRegistry metrics,
      boolean verifySignatures,
      LongSupplier nanoClock) {
    this(
        genesis,
        SmtStateStore.inMemory(),
        null,
        committee,
        validatorKey,
        store,
        events,
        metrics,
        verifySignatures,
        nanoClock);
  }

  /**
   * How the durable form keeps its state: the newest {@code retainVersions} versions stay provable,
   * the oldest of them are also pruned once they hold more than {@code retainBytes} of heap ({@link
   * SmtStateStore#UNBOUNDED_BYTES}: by count only), the state's values are written at a checkpoint
   * every {@code checkpointVersions} commits, and at most {@code stateCacheBytes} of the state's
   * pages stay in memory, the rest paged out to the store ({@link SmtStateStore#UNBOUNDED_CACHE}:
   * all in memory). {@link SmtStateStore} checks the values.
   */
  public record StateSettings(
      int retainVersions, long retainBytes, int checkpointVersions, long stateCacheBytes) {

    /** The defaults: {@link SmtStateStore}'s, nothing bounded by bytes, the state all in memory. */
    public static final StateSettings DEFAULTS =
        new StateSettings(
            SmtStateStore.DEFAULT_RETAINED_VERSIONS,
            SmtStateStore.UNBOUNDED_BYTES,
            SmtStateStore.DEFAULT_CHECKPOINT_VERSIONS,
            SmtStateStore.UNBOUNDED_CACHE);

    /** These settings keeping the newest {@code versions} state versions. */
    public StateSettings withRetainVersions(int versions) {
      return new StateSettings(versions, retainBytes, checkpointVersions, stateCacheBytes);
    }

    /** These settings pruning retained versions beyond {@code bytes} of heap. */
    public StateSettings withRetainBytes(long bytes) {
      return new StateSettings(retainVersions, bytes, checkpointVersions, stateCacheBytes);
    }

    /** These settings checkpointing every {@code versions} commits. */
    public StateSettings withCheckpointVersions(int versions) {
      return new StateSettings(retainVersions, retainBytes, versions, stateCacheBytes);
    }

    /** These settings keeping at most {@code bytes} of state pages in memory. */
    public StateSettings withStateCacheBytes(long bytes) {
      return new StateSettings(retainVersions, retainBytes, checkpointVersions, bytes);
    }
  }

  /**
   * The durable form with {@link StateSettings#DEFAULTS}: state and query store in {@code storage}
   * (RocksDB on a node), one atomic synced write per commit. Resumes at the last commit the store
   * holds: the chain continues from its hash, the {@code events} log (which must be empty) resumes
   * after it, and the uncertified commits (see {@link #RESTORED_COLLECTORS}) collect signatures
   * again, this validator's own included. The query store is {@link #queryStore()}.
   */
  public static ExecutionStage durable(
      ExecutionGenesis genesis,
      Store storage,
      Committee committee,
      Ed25519KeyPair validatorKey,
      EventLog events,
      MetricsRegistry metrics,
      boolean verifySignatures,
      LongSupplier nanoClock) {
    return durable(
        genesis,
        storage,
        StateSettings.DEFAULTS,
        committee,
        validatorKey,
        events,
        metrics,
        verifySignatures,
        nanoClock);
  }

  /**
   * {@link #durable(ExecutionGenesis, Store, Committee, Ed25519KeyPair, EventLog, MetricsRegistry,
   * boolean, LongSupplier)} keeping its state as {@code settings} say.
   */
  public static ExecutionStage durable(
      ExecutionGenesis genesis,
      Store storage,
      StateSettings settings,
      Committee committee,
      Ed25519KeyPair validatorKey,
      EventLog events,
      MetricsRegistry metrics,
      boolean verifySignatures,
      LongSupplier nanoClock) {
    SmtStateStore state =
        SmtStateStore.durable(
            storage,
            settings.retainVersions(),
            settings.retainBytes(),
            1024,
            settings.checkpointVersions(),
            settings.stateCacheBytes());
    DurableQueryStore queries = new DurableQueryStore(storage, state);
    return new ExecutionStage(
        genesis,
        state,
        storage,
        committee,
        validatorKey,
        queries,
        events,
        metrics,
        verifySignatures,
        nanoClock);
  }

  private ExecutionStage(
      ExecutionGenesis genesis,
      SmtStateStore state,
      Store storage,
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
    this.storage = storage;
    this.durableStore = storage == null ? null : (DurableQueryStore) store;
    this.events = events;
    this.nanoClock = nanoClock;
    this.state = state;
    this.executor =
        new LedgerExecutor(
            genesis, state, verifySignatures, verifySignatures ? new BatchSignatureCheck() : null);
    commits = metrics.counter("agentledger_execution_commits_total", "Commits executed.");
    txOk =
        metrics.counter(
            "agentledger_execution_transactions_total",
            "Transactions executed, by result.",
            "result",
            "ok");
    txFailed =
        metrics.counter(
            "agentledger_execution_transactions_total",
            "Transactions executed, by result.",
            "result",
            "failed");
    paymentFailures =
        metrics.counter(
            "agentledger_execution_payment_failures_total",
            "Transactions whose payer could not pay.");
    certificates =
        metrics.counter("agentledger_execution_certificates_total", "Commit certificates formed.");
    commitSeconds =
        metrics.histogram(
            "agentledger_execution_commit_seconds",
            "Time to execute one commit.",
            MetricsRegistry.LATENCY_SECONDS);
    commitSize =
        metrics.histogram(
            "agentledger_execution_commit_transactions",
            "Transactions per commit.",
            MetricsRegistry.SIZES);
    persistSeconds =
        metrics.histogram(
            "agentledger_execution_persist_seconds",
            "Time to write one commit's state version and query entries (durable form).",
            MetricsRegistry.LATENCY_SECONDS);
    metrics.gauge(
        "agentledger_execution_last_commit_sequence",
        "Sequence of the last executed commit.",
        executor::lastSequence);
    metrics.gauge(
        "agentledger_execution_certificates_pending",
        "Executed commits still collecting signatures.",
        () -> pending.size());
    if (storage != null) {
      resume();
    }
  }

  /**
   * The newest value of a state key as execution holds it (null when absent); safe from any thread.
   * Mid-commit it may show a commit not yet written, which execution will write.
   */
  public byte[] stateValue(byte[] key) {
    return state.get(key);
  }

  /**
   * Puts the retained state versions into {@code json}: how many, what they hold in heap bytes and
   * the byte bound ({@code versions}, {@code bytes}, {@code limitBytes}; -1: none). Reads without
   * the state's lock, so a status page never waits for a commit's tree update.
   */
  public void retainedStateStatus(com.fasterxml.jackson.databind.node.ObjectNode json) {
    long limit = state.retainBytesLimit();
    json.put("versions", state.retainedVersionCount())
        .put("bytes", state.retainedBytes())
        .put("limitBytes", limit == SmtStateStore.UNBOUNDED_BYTES ? -1 : limit);
  }

  /**
   * Puts the live state's size into {@code json}: keys held, the native memory (outside the heap)
   * its resident pages take ({@code offHeapBytes}), all its pages resident or paged out ({@code
   * pagedBytes}), the cache's bound ({@code cacheLimitBytes}, -1: none) and the pages read back
   * from and written to the store so far ({@code pageReads}, {@code pageWrites}). Reads without the
   * state's lock.
   */
  public void stateMemoryStatus(com.fasterxml.jackson.databind.node.ObjectNode json) {
    long limit = state.cacheLimitBytes();
    json.put("keys", state.keysHeld())
        .put("offHeapBytes", state.offHeapBytes())
        .put("pagedBytes", state.pagedBytes())
        .put("cacheLimitBytes", limit == SmtStateStore.UNBOUNDED_CACHE ? -1 : limit)
        .put("pageReads", state.pageReadsSoFar())
        .put("pageWrites", state.pageWritesSoFar());
  }

  /** Durable form, on open: check the store is whole, continue the chain, events and signatures. */
  private void resume() {
    long last = executor.lastSequence();
    if (store.latestSequence() != last) {
      throw new IllegalStateException(
          "the state is at commit " + last + " but the query store at " + store.latestSequence());
    }
    if (last == 0) {
      return;
    }
    StoredCommit lastCommit =
        store
            .commit(last)
            .orElseThrow(() -> new IllegalStateException("the query store lacks commit " + last));
    previousHash = lastCommit.hash().clone();
    if (events.lastSequence() == 0) {
      events.resumeAfter(last);
    } else if (events.lastSequence() != last) {
      throw new IllegalStateException(
          "the event log is at commit " + events.lastSequence() + ", the state at " + last);
    }
    long from =
        Math.max(1, Math.min(store.latestCertifiedSequence(), last) - RESTORED_COLLECTORS + 1);
    for (long s = from; s <= last; s++) {
      if (!durableStore.isCertified(s)) {
        byte[] hash =
            durableStore
                .commitHash(s)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "the query store lacks a commit before its latest"));
        pending.put(s, new CommitCertificate.Collector(committee, hash));
        if (validatorKey != null) {
          addSignature(s, CommitSignature.sign(validatorKey, hash));
        }
      }
    }
  }

  /**
   * Publishes the receipts of every commit executed from now on to {@code feed}, once the commit is
   * stored (durable in the durable form). Call before the first {@link #execute}.
   */
  public void publishTo(CommitFeed feed) {
    this.feed = feed;
  }

  /** The query store this stage writes (the one given, or the durable form's own). */
  public QueryStore queryStore() {
    return store;
  }

  public Committee committee() {
    return committee;
  }

  public ExecutionGenesis genesis() {
    return genesis;
  }

  /**
   * Hashes each commit's transaction and receipt roots with {@code hasher} (the node's hashing
   * backend; the CPU engine by default). Call before the stage runs.
   */
  public void hashRootsWith(dev.agentledger.hash.merkle.LevelHasher hasher) {
    executor.hashRootsWith(hasher);
  }

  /**
   * Executes one commit and stores it (uncertified). Returns this validator's signature of the
   * commit record (to broadcast), or null for a non-voting replica. In the durable form the commit
   * is on disk (synced) before this returns; a {@code StoreException} from the write leaves this
   * stage unusable (its memory is ahead of the store): reopen it from the store.
   */
  public CommitSignature execute(CommittedInput input) {
    long start = nanoClock.getAsLong();
    CommitOutput out = executor.executeInto(input, output);
    CommitRecord record = CommitRecord.of(genesis.chainId(), input, out, previousHash);
    byte[] hash = record.hash();
    int count = out.count();
    int ok = 0;
    int paymentFailed = 0;
    for (int i = 0; i < count; i++) {
      if (out.eventType(i) == ExecutionEvent.Type.PAYMENT_FAILED) {
        paymentFailed++;
      }
      if (out.code(i) == ExecutionCode.OK) {
        ok++;
      }
    }
    paymentFailures.add(paymentFailed);
    if (durableStore != null) {
      long persistStart = nanoClock.getAsLong();
      try (WriteBatch batch = storage.newBatch()) {
        long version = state.stage(batch);
        durableStore.stageCommit(batch, record, hash, input.records(), out, state.snapshot());
        storage.write(batch, Durability.SYNCED);
        state.written(version);
      }
      durableStore.published(input.sequence());
      persistSeconds.observeNanos(nanoClock.getAsLong() - persistStart);
    } else {
      storeInMemory(input, out, record, hash);
    }
    previousHash = hash;
    if (firstExecuted == 0) {
      firstExecuted = input.sequence();
    }
    System.arraycopy(hash, 0, recentHashes, 32 * (int) (input.sequence() % RECENT_HASHES), 32);
    events.append(input.sequence(), out);
    if (feed != null) {
      feed.publish(new FeedCommit(input.sequence(), FlatReceipts.of(out), input.records()));
    }
    txOk.add(ok);
    txFailed.add(count - ok);
    commits.increment();
    commitSize.observe(count);
    pending.put(input.sequence(), new CommitCertificate.Collector(committee, hash));
    CommitSignature own = null;
    if (validatorKey != null) {
      own = CommitSignature.sign(validatorKey, hash);
      addSignature(input.sequence(), own);
    }
    commitSeconds.observeNanos(nanoClock.getAsLong() - start);
    return own;
  }

  /** The in-memory form: the query store keeps the commit as objects. */
  private void storeInMemory(
      CommittedInput input, CommitOutput out, CommitRecord record, byte[] hash) {
    CommitExecution result = out.toCommitExecution(input);
    store.putCommit(
        new StoredCommit(
            record,
            hash,
            input.transactions(),
            result.txIds(),
            result.receipts(),
            state.snapshot(),
            null));
    for (ExecutionEvent e : result.events()) {
      if (e.type() == ExecutionEvent.Type.RUN_RECORDED) {
        store.appendRun(e.account(), e.txId());
      }
    }
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

  /** The hash of the last executed commit (a copy; zeros before the first). */
  public byte[] lastCommitHash() {
    return previousHash.clone();
  }

  /**
   * The hash of executed commit {@code sequence}: from memory for the newest {@link #RECENT_HASHES}
   * commits this stage executed, else from the query store; empty when it is not stored.
   */
  public Optional<byte[]> commitHash(long sequence) {
    long last = executor.lastSequence();
    if (firstExecuted != 0
        && sequence >= firstExecuted
        && sequence <= last
        && sequence > last - RECENT_HASHES) {
      int at = 32 * (int) (sequence % RECENT_HASHES);
      return Optional.of(Arrays.copyOfRange(recentHashes, at, at + 32));
    }
    return store.commit(sequence).map(StoredCommit::hash);
  }

  /** Whether commit {@code sequence} was executed and still collects signatures. */
  public boolean awaitsSignatures(long sequence) {
    return pending.containsKey(sequence);
  }

  /**
   * Whether commit {@code sequence} collects signatures and its hash is {@code hash} (false for a
   * commit that collects none: certified, not executed, or too old).
   */
  public boolean awaitsSignaturesOf(long sequence, byte[] hash) {
    CommitCertificate.Collector collector = pending.get(sequence);
    return collector != null && collector.isFor(hash);
  }

  /** The oldest executed commit still collecting signatures, or 0 when every one is certified. */
  public long oldestUncertified() {
    return pending.isEmpty()
        ? 0
        : ((TreeMap<Long, CommitCertificate.Collector>) pending).firstKey();
  }

  public long lastSequence() {
    return executor.lastSequence();
  }

  public byte[] stateRoot() {
    return state.root();
  }
}
