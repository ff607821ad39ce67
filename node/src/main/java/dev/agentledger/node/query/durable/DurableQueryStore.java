package dev.agentledger.node.query.durable;

import dev.agentledger.node.commit.CommitCertificate;
import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.execution.core.TransactionRecords;
import dev.agentledger.node.execution.state.ProvableState;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Serializer;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link QueryStore} in the node's {@link Store} (RocksDB on a node, {@code InMemoryStore} in
 * tests), with the semantics of {@code InMemoryQueryStore}. Commit states are versions of the
 * node's {@link SmtStateStore}: a stored commit keeps the version number, and reading it back gives
 * {@link SmtStateStore#at} of that version, provable as long as the state store keeps it.
 *
 * <p>The execution stage writes a commit with {@link #stageCommit} into the same atomic batch as
 * the commit's state version, then calls {@link #published}: the commit, its tx-index and run-index
 * entries and the executor's totals (in the state) are durable together or not at all. {@link
 * #putCommit} and {@link #appendRun} write on their own (for callers without a state batch).
 *
 * <p>One writer (the execution thread), many readers: readers only read the store and volatile
 * fields, and see a commit whole once its batch is written (a RocksDB write batch becomes visible
 * atomically).
 */
public final class DurableQueryStore implements QueryStore {
  static final Column<Long, byte[]> COMMITS =
      Column.of(ColumnFamily.LEDGER_COMMITS, Serializer.LONG, Serializer.BYTES);
  static final Column<Long, byte[]> CERTIFICATES =
      Column.of(ColumnFamily.LEDGER_CERTIFICATES, Serializer.LONG, Serializer.BYTES);
  static final Column<byte[], byte[]> TX_INDEX = Column.raw(ColumnFamily.LEDGER_TX_INDEX);
  static final Column<byte[], byte[]> RUNS = Column.raw(ColumnFamily.RUNS_BY_AGENT);
  static final Column<String, Long> META =
      Column.of(ColumnFamily.META, Serializer.STRING, Serializer.LONG);
  static final String LATEST_KEY = "ledger/latest";
  static final String CERTIFIED_KEY = "ledger/certified";
  private static final int CACHED_COMMITS = 16;

  /** A run recorded by a commit: the agent and the run's transaction id. */
  public record RecordedRun(byte[] agent, byte[] txId) {}

  private final Store store;
  private final SmtStateStore state;
  private volatile long latest;
  private volatile long latestCertified;

  /** Writer: the sequence staged and not yet published (0 when none). */
  private long staged;

  /** Writer: the certified sequence the staged commit records (0 when none). */
  private long stagedCertified;

  /**
   * Writer: the first of the commits this object published in a row up to {@link #latest} (each is
   * stored, so a certificate for one needs no read to find it); 0 when none.
   */
  private long publishedFrom;

  /** Writer: reused buffers for index and run entries. */
  private final byte[] locationKey = new byte[QueryCodec.LOCATION_KEY_BYTES];

  private final byte[] runKey = new byte[40];
  private final byte[] txId = new byte[32];
  private final byte[] count = new byte[8];
  private final byte[] agentKey = new byte[32];
  private final byte[] storedCount = new byte[8];
  private byte[] commitBuffer = new byte[1 << 16];
  private final AgentRunCounts agents = new AgentRunCounts();
  private static final byte[] NO_BYTES = new byte[0];

  /** Decoded commits (without certificate), newest use last; readers share it. */
  private final LinkedHashMap<Long, QueryCodec.DecodedCommit> cache =
      new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, QueryCodec.DecodedCommit> eldest) {
          return size() > CACHED_COMMITS;
        }
      };

  public DurableQueryStore(Store store, SmtStateStore state) {
    this.store = store;
    this.state = state;
    Long l = store.get(META, LATEST_KEY);
    Long c = store.get(META, CERTIFIED_KEY);
    this.latest = l == null ? 0 : l;
    this.latestCertified = c == null ? 0 : c;
  }

  // ---- writes (one writer) -------------------------------------------------------------------

  /**
   * Adds commit {@code commit} to {@code batch}: its entry (record, hash, transactions, ids,
   * receipts, state version), its transactions' index entries (first location wins, as in memory),
   * the recorded runs appended to their agents' run indexes, and the latest sequence. Nothing is
   * visible to readers of this store's fields until {@link #published}; the caller writes the batch
   * in between. One commit per batch.
   */
  public void stageCommit(WriteBatch batch, StoredCommit commit, List<RecordedRun> runs) {
    beginStage();
    long sequence = commit.record().sequence();
    batch.put(COMMITS, sequence, QueryCodec.encodeCommit(commit, versionOf(commit.state())));
    for (int i = 0; i < commit.txIds().size(); i++) {
      System.arraycopy(check32(commit.txIds().get(i)), 0, locationKey, 0, 32);
      stageLocation(batch, sequence, i);
    }
    stageRuns(batch, runs);
    if (commit.certificate() != null) {
      batch.put(CERTIFICATES, sequence, QueryCodec.encodeCertificate(commit.certificate()));
      if (sequence > latestCertified) {
        batch.put(META, CERTIFIED_KEY, sequence);
        stagedCertified = sequence;
      }
    }
    endStage(batch, sequence);
  }

  /**
   * {@link #stageCommit(WriteBatch, StoredCommit, List)} read from the executor's flat output (the
   * node's path, uncertified): the commit entry is encoded straight from {@code output}'s arrays
   * into a reused buffer, the index entries and run entries are written from reused key buffers (no
   * object per transaction), and the runs are the transactions whose event is {@link
   * ExecutionEvent.Type#RUN_RECORDED}, appended to their agents (the event's account). No index
   * entry is read: a transaction's locations are keyed by id and place, and a lookup takes the
   * first. The run count of each agent with runs is read once per commit.
   */
  public void stageCommit(
      WriteBatch batch,
      CommitRecord record,
      byte[] hash,
      TransactionRecords transactions,
      CommitOutput output,
      ProvableState commitState) {
    beginStage();
    long sequence = record.sequence();
    int length = QueryCodec.commitLength(record, transactions, output);
    if (length > commitBuffer.length) {
      commitBuffer = new byte[Math.max(length, 2 * commitBuffer.length)];
    }
    QueryCodec.encodeCommit(
        record, hash, transactions, output, versionOf(commitState), commitBuffer);
    byte[] key = COMMITS.keys().toBytes(sequence);
    batch.putRaw(ColumnFamily.LEDGER_COMMITS, key, 0, key.length, commitBuffer, 0, length);
    int n = output.count();
    for (int i = 0; i < n; i++) {
      output.copyTxId(i, locationKey, 0);
      stageLocation(batch, sequence, i);
    }
    agents.clear();
    for (int i = 0; i < n; i++) {
      if (output.eventType(i) == ExecutionEvent.Type.RUN_RECORDED) {
        output.copyEventAccount(i, runKey, 0);
        int slot = agents.slotOf(runKey);
        if (agents.unknown(slot)) {
          agents.start(slot, storedRunCount(slot));
        }
        QueryCodec.runNumber(runKey, agents.take(slot));
        output.copyTxId(i, txId, 0);
        batch.putRaw(ColumnFamily.RUNS_BY_AGENT, runKey, 0, 40, txId, 0, 32);
      }
    }
    for (int slot = 0; slot < agents.size(); slot++) {
      agents.copyAgent(slot, runKey, 0);
      QueryCodec.encodeCount(agents.count(slot), count);
      batch.putRaw(ColumnFamily.RUNS_BY_AGENT, runKey, 0, 32, count, 0, 8);
    }
    endStage(batch, sequence);
  }

  /**
   * The runs stored for {@code slot}'s agent before this commit ({@link #runCount}), read into
   * reused arrays.
   */
  private long storedRunCount(int slot) {
    agents.copyAgent(slot, agentKey, 0);
    int length = store.getInto(RUNS, agentKey, storedCount);
    if (length < 0) {
      return 0;
    }
    if (length != 8) {
      throw new IllegalStateException("a stored run count is 8 bytes, not " + length);
    }
    return QueryCodec.decodeCount(storedCount, 0);
  }

  private void beginStage() {
    if (staged != 0) {
      throw new IllegalStateException("commit " + staged + " was staged and not published");
    }
    stagedCertified = 0;
  }

  private void endStage(WriteBatch batch, long sequence) {
    if (sequence > latest) {
      batch.put(META, LATEST_KEY, sequence);
    }
    staged = sequence;
  }

  /** Stages the index entry of the id in {@link #locationKey} at {@code (sequence, index)}. */
  private void stageLocation(WriteBatch batch, long sequence, int index) {
    QueryCodec.locationKey(locationKey, sequence, index);
    batch.putRaw(
        ColumnFamily.LEDGER_TX_INDEX,
        locationKey,
        0,
        QueryCodec.LOCATION_KEY_BYTES,
        NO_BYTES,
        0,
        0);
  }

  private static byte[] check32(byte[] id) {
    if (id.length != 32) {
      throw new IllegalArgumentException("a transaction id must be 32 bytes");
    }
    return id;
  }

  /** The batch holding the staged commit was written: readers may see it now. */
  public void published(long sequence) {
    if (sequence != staged) {
      throw new IllegalStateException(
          "commit " + sequence + " is not the staged one (" + staged + ")");
    }
    staged = 0;
    if (stagedCertified > latestCertified) {
      latestCertified = stagedCertified;
    }
    stagedCertified = 0;
    if (sequence > latest && (publishedFrom == 0 || sequence != latest + 1)) {
      publishedFrom = sequence;
    }
    latest = Math.max(latest, sequence);
  }

  private void stageRuns(WriteBatch batch, List<RecordedRun> runs) {
    Map<ByteBuffer, Long> counts = new HashMap<>();
    for (RecordedRun run : runs) {
      ByteBuffer agent = ByteBuffer.wrap(run.agent());
      long number = counts.computeIfAbsent(agent, a -> runCount(run.agent()));
      batch.put(RUNS, QueryCodec.runKey(run.agent(), number), run.txId().clone());
      counts.put(agent, number + 1);
    }
    for (Map.Entry<ByteBuffer, Long> e : counts.entrySet()) {
      batch.put(RUNS, e.getKey().array().clone(), QueryCodec.encodeCount(e.getValue()));
    }
  }

  @Override
  public void putCommit(StoredCommit commit) {
    try (WriteBatch batch = store.newBatch()) {
      stageCommit(batch, commit, List.of());
      store.write(batch, Durability.SYNCED);
    } catch (RuntimeException e) {
      staged = 0;
      stagedCertified = 0;
      throw e;
    }
    published(commit.record().sequence());
  }

  @Override
  public void putCertificate(long sequence, CommitCertificate certificate) {
    boolean published = publishedFrom > 0 && sequence >= publishedFrom && sequence <= latest;
    if (!published && !store.contains(COMMITS, sequence)) {
      throw new IllegalArgumentException("no commit " + sequence);
    }
    try (WriteBatch batch = store.newBatch()) {
      batch.put(CERTIFICATES, sequence, QueryCodec.encodeCertificate(certificate));
      if (sequence > latestCertified) {
        batch.put(META, CERTIFIED_KEY, sequence);
      }
      store.write(batch, Durability.SYNCED);
    }
    latestCertified = Math.max(latestCertified, sequence);
  }

  @Override
  public void appendRun(byte[] agent, byte[] txId) {
    try (WriteBatch batch = store.newBatch()) {
      stageRuns(batch, List.of(new RecordedRun(agent.clone(), txId.clone())));
      store.write(batch, Durability.SYNCED);
    }
  }

  private long versionOf(ProvableState s) {
    if (!(s instanceof SmtStateStore.Version v) || !v.belongsTo(state)) {
      throw new IllegalArgumentException(
          "a stored commit's state must be a version of this store's state");
    }
    return v.version();
  }

  // ---- reads (any thread) --------------------------------------------------------------------

  @Override
  public Optional<StoredCommit> commit(long sequence) {
    QueryCodec.DecodedCommit decoded;
    synchronized (cache) {
      decoded = cache.get(sequence);
    }
    if (decoded == null) {
      byte[] encoded = store.get(COMMITS, sequence);
      if (encoded == null) {
        return Optional.empty();
      }
      decoded = QueryCodec.decodeCommit(encoded);
      synchronized (cache) {
        cache.put(sequence, decoded);
      }
    }
    byte[] certificate = store.get(CERTIFICATES, sequence);
    return Optional.of(
        new StoredCommit(
            decoded.record(),
            decoded.hash().clone(),
            copies(decoded.transactions()),
            copies(decoded.txIds()),
            decoded.receipts(),
            state.at(decoded.stateVersion()),
            certificate == null ? null : QueryCodec.decodeCertificate(certificate)));
  }

  private static List<byte[]> copies(List<byte[]> list) {
    List<byte[]> out = new ArrayList<>(list.size());
    for (byte[] b : list) {
      out.add(b.clone());
    }
    return out;
  }

  /** Whether commit {@code sequence} has a certificate (a point lookup; nothing decoded). */
  public boolean isCertified(long sequence) {
    return store.get(CERTIFICATES, sequence) != null;
  }

  /** The hash of stored commit {@code sequence}, without decoding its transactions. */
  public Optional<byte[]> commitHash(long sequence) {
    byte[] encoded = store.get(COMMITS, sequence);
    return encoded == null ? Optional.empty() : Optional.of(QueryCodec.commitHash(encoded));
  }

  @Override
  public long latestSequence() {
    return latest;
  }

  @Override
  public long latestCertifiedSequence() {
    return latestCertified;
  }

  @Override
  public Optional<TxLocation> locate(byte[] txId) {
    if (txId.length != 32) {
      return Optional.empty();
    }
    TxLocation[] first = new TxLocation[1];
    store.scan(
        TX_INDEX,
        txId,
        (key, value) -> {
          if (key.length >= 32 && java.util.Arrays.equals(key, 0, 32, txId, 0, 32)) {
            // A 32-byte key holds its location as the value (the earlier layout).
            first[0] =
                key.length == 32
                    ? QueryCodec.decodeLocation(value)
                    : QueryCodec.decodeLocationKey(key);
          }
          return false;
        });
    return Optional.ofNullable(first[0]);
  }

  @Override
  public List<byte[]> runs(byte[] agent, long from, int limit) {
    long count = runCount(agent);
    if (from < 0 || from >= count || limit <= 0) {
      return List.of();
    }
    long end = Math.min(count, from + limit);
    List<byte[]> out = new ArrayList<>((int) (end - from));
    store.scan(
        RUNS,
        QueryCodec.runKey(agent, from),
        (key, value) -> {
          if (out.size() >= end - from
              || key.length != 40
              || !java.util.Arrays.equals(key, 0, 32, agent, 0, 32)) {
            return false;
          }
          out.add(value);
          return true;
        });
    return List.copyOf(out);
  }

  @Override
  public long runCount(byte[] agent) {
    if (agent.length != 32) {
      return 0;
    }
    byte[] encoded = store.get(RUNS, agent);
    return encoded == null ? 0 : QueryCodec.decodeCount(encoded);
  }
}
