package dev.agentledger.node.execution.state;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.simd.MultiBufferSha256;
import dev.agentledger.hash.simd.WarmSha256;
import dev.agentledger.hash.smt.ArenaSparseMerkleTree;
import dev.agentledger.hash.smt.PageCache;
import dev.agentledger.hash.smt.SmtProof;
import dev.agentledger.node.execution.core.StateStore;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.StateLayout;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The state behind execution: the newest value of every key in memory ({@link LatestValues}), the
 * sparse Merkle tree over them in memory ({@link ArenaSparseMerkleTree}), and, in the durable form,
 * the newest values on disk.
 *
 * <p>A commit's writes go straight into the newest values; the first write of a key in a version
 * saves the value it replaces in that version's {@link VersionDelta}. When the root is asked for,
 * the version is closed: its keys are sorted once, their values hashed, and the tree updated in one
 * batch ({@link ArenaSparseMerkleTree#update}). A key written many times in a commit (a usage
 * total, an account) costs one leaf and, on disk, one put per commit.
 *
 * <p>Versions: the newest {@code retainVersions} stay readable and provable ({@link #at}), as long
 * as what the older ones keep in memory fits {@code retainBytes}; older ones are pruned as new ones
 * close (tree nodes and before-images return to pools, so memory stays bounded), and reading them
 * throws {@link PrunedStateException} with the horizon. A retained version costs its {@link
 * VersionDelta}'s arrays (before-images: {@link VersionDelta#ENTRY_BYTES} per key it wrote) and the
 * tree nodes it replaced ({@link #STALE_NODE_BYTES} each); once the retained versions together cost
 * more than {@code retainBytes}, the oldest are pruned until they fit (the newest is always kept,
 * and in the durable form a version is pruned only once written). The horizon is the same on disk:
 * {@link #stage} deletes the roots and log records before it, and reopening rebuilds only the
 * versions whose roots remain, within the same byte bound.
 *
 * <p>Two forms:
 *
 * <ul>
 *   <li>{@link #inMemory}: nothing persists (tests, the simulator, benchmarks).
 *   <li>{@link #durable}: {@link #stage} adds what the versions not yet written changed to the
 *       caller's write batch: per version one log record (each written key's value before and
 *       after) and its root, and the latest pointer ({@code meta}); see {@link StateLayout}. Every
 *       {@code checkpointVersions} versions, or once {@link #CHECKPOINT_KEYS} keys changed, the
 *       batch is a checkpoint: it also carries the newest value of every key changed since the
 *       previous one ({@code state_values}, one put per key however many versions wrote it, put in
 *       the keys' order so that RocksDB's memtable search for each finds the previous one's nodes
 *       in the caches; keys new to the store written through {@link #writeOnce} are packed into a
 *       few records instead, in the order they were written, {@link StateLayout#onceKey}). A key
 *       written by many commits between checkpoints (an account, a usage total) costs one put per
 *       checkpoint instead of one per commit. On open the checkpoint's values are read back, the
 *       log records after it redone, and the tree rebuilt (one batch, checked against the stored
 *       root). A crash before a batch is written loses its versions whole.
 * </ul>
 *
 * <p>Single writer ({@link #put}, {@link #read}, {@link #root}, {@link #stage}, {@link #written}:
 * the executor's thread); {@link Version} views are read from any thread. Every method holds this
 * object's lock (uncontended on the writer's path).
 */
public final class SmtStateStore implements StateStore {
  /** Versions kept readable and provable when the caller does not say. */
  public static final int DEFAULT_RETAINED_VERSIONS = 256;

  /** Versions between checkpoints of the durable form when the caller does not say. */
  public static final int DEFAULT_CHECKPOINT_VERSIONS = 64;

  /** Changed keys at which the durable form checkpoints early (bounds the log records after it). */
  public static final int CHECKPOINT_KEYS = 1 << 16;

  /** No byte bound on the retained versions (only their count bounds them). */
  public static final long UNBOUNDED_BYTES = Long.MAX_VALUE;

  /**
   * Bytes one tree node replaced by a retained version keeps: its hash (32) and links (8) in the
   * tree's native pages, its stale-index entry (12) on the heap, and the leaf slots (64) of the
   * leaves among them (about one in eight).
   */
  static final int STALE_NODE_BYTES = 64;

  private static final int H = 32;

  /**
   * Pruned versions' deltas kept for reuse, at most (each of {@link VersionDelta#POOLED_ENTRIES}).
   */
  static final int SPARE_DELTAS = 4;

  /** Values of one length hashed with the multi-buffer engine at once, at least. */
  static final int SIMD_GROUP = Math.max(2, MultiBufferSha256.LANES / 2);

  /**
   * Keys of a closing version whose key and value lines are loaded together before they are copied
   * ({@link LatestValues#touchEntries}): their misses overlap, as the tree's descent does its own.
   */
  static final int TOUCH_CHUNK = 64;

  private final Store store;
  private final int retainVersions;
  private final long retainBytes;
  private final int checkpointVersions;
  private final PageCache pages;
  private final ArenaSparseMerkleTree tree;
  private final LatestValues latest;
  private VersionDelta[] deltas;
  private final Sha256 sha = new Sha256();

  /** The version being written (the tree's newest plus one). */
  private long current;

  private VersionDelta open;
  private long writtenUpTo;
  private long loggedBytes;
  private long rootsKeptFrom;

  /**
   * Versions before this are pruned, in memory once written (the durable form) and on disk at the
   * next {@link #stage}: the newer of the count bound and the byte bound.
   */
  private long horizon;

  /**
   * What the versions from the tree's oldest to its newest cost ({@link
   * VersionDelta#retainedBytes}); written under the lock, read without it ({@link
   * #retainedBytes()}).
   */
  private volatile long retainedBytes;

  /** The oldest and newest retained versions as of the last close, for readers without the lock. */
  private volatile long retainedFrom;

  private volatile long retainedTo = -1;

  /**
   * Native memory of the tree's and the newest values' pages as of the last close; read without the
   * lock ({@link #offHeapBytes()}).
   */
  private volatile long offHeapBytes;

  /**
   * Bytes of all the state's pages, resident or not, as of the last close; read without the lock.
   */
  private volatile long pagedBytes;

  private volatile long pageReadsClosed;
  private volatile long pageWritesClosed;

  /** Keys held as of the last close (entries of the newest-value table); read without the lock. */
  private volatile int keysHeld;

  /** The version whose values {@code state_values} holds (-1: none yet). */
  private long checkpoint = -1;

  /** The checkpoint the staged, not yet written batch makes (-1: it makes none). */
  private long stagedCheckpoint = -1;

  /** The oldest version whose log record may still be on disk. */
  private long deltasKeptFrom;

  /** The entries changed since {@link #checkpoint} (each once; {@link LatestValues#dirty}). */
  private int[] dirtyEntries = new int[1024];

  /** A checkpoint's ordinary keys in key order (prefix and position; see {@link #stage}). */
  private long[] checkpointOrder = new long[1024];

  private int dirtyCount;

  private byte[] batchKeys = new byte[H * 64];
  private byte[] batchHashes = new byte[H * 64];
  private boolean[] batchRemoved = new boolean[64];
  private final byte[] valueScratch = new byte[1 + LatestValues.MAX_VALUE_BYTES];
  private final byte[] keyScratch = new byte[H];

  /** Pruned versions' deltas kept for reuse ({@link #spare}). */
  private final VersionDelta[] spares = new VersionDelta[SPARE_DELTAS];

  private int spareCount;
  private final int[] lengthStart = new int[LatestValues.MAX_VALUE_BYTES + 2];
  private final int[] lengthFill = new int[LatestValues.MAX_VALUE_BYTES + 2];
  private int[] byLength = new int[64];
  private byte[] valuePack = new byte[0];
  private byte[] packDigests = new byte[0];
  private final byte[] deltaKey = new byte[StateLayout.DELTA_KEY_BYTES];
  private byte[] deltaBlob = new byte[4096];
  private byte[] onceBlob = new byte[0];
  private final byte[] onceKey = new byte[StateLayout.ONCE_KEY_BYTES];
  private static final byte[] REMOVED = {0};

  /** Set in a log record's after-value length field: the value is given as changes. */
  private static final int CHANGES = 0x4000;

  /** No bound on the state's resident pages (all stay in memory). */
  public static final long UNBOUNDED_CACHE = Long.MAX_VALUE;

  private SmtStateStore(
      Store store, int retainVersions, long retainBytes, int expectedKeys, int checkpointVersions) {
    this(store, retainVersions, retainBytes, expectedKeys, checkpointVersions, UNBOUNDED_CACHE);
  }

  private SmtStateStore(
      Store store,
      int retainVersions,
      long retainBytes,
      int expectedKeys,
      int checkpointVersions,
      long cacheBytes) {
    if (retainVersions < 1) {
      throw new IllegalArgumentException("retain at least one state version: " + retainVersions);
    }
    if (retainBytes < 0) {
      throw new IllegalArgumentException("a negative byte bound on state versions: " + retainBytes);
    }
    if (checkpointVersions < 1) {
      throw new IllegalArgumentException(
          "checkpoint at least every version, not every " + checkpointVersions);
    }
    this.store = store;
    this.retainVersions = retainVersions;
    this.retainBytes = retainBytes;
    this.checkpointVersions = checkpointVersions;
    if (cacheBytes != UNBOUNDED_CACHE && store == null) {
      throw new IllegalArgumentException("a bounded state cache pages out to a store: none given");
    }
    this.pages =
        cacheBytes == UNBOUNDED_CACHE
            ? PageCache.unbounded()
            : PageCache.bounded(new StorePages(store), cacheBytes);
    this.tree = new ArenaSparseMerkleTree(pages);
    this.latest = new LatestValues(expectedKeys, pages);
    this.deltas = new VersionDelta[retainVersions + 2];
    writtenUpTo = -1;
    current = 0;
    open = delta(current);
    long resumed = store == null ? -1 : load();
    horizon = tree.oldestVersion();
    retainedFrom = horizon;
    retainedTo = tree.latestVersion();
    offHeapBytes = pages.residentBytes();
    pagedBytes = tree.offHeapBytes() + latest.offHeapBytes();
    keysHeld = latest.size();
    rootsKeptFrom = Math.max(0, resumed - retainVersions + 1);
    deltasKeptFrom = Math.max(0, Math.min(rootsKeptFrom, checkpoint + 1));
  }

  /** State in memory only, keeping the newest {@code retainVersions} versions provable. */
  public static SmtStateStore inMemory(int retainVersions) {
    return new SmtStateStore(null, retainVersions, UNBOUNDED_BYTES, 1024, 1);
  }

  /**
   * State in memory only, keeping the newest {@code retainVersions} versions provable while they
   * cost at most {@code retainBytes} of heap (see the class comment).
   */
  public static SmtStateStore inMemoryWithin(int retainVersions, long retainBytes) {
    return new SmtStateStore(null, retainVersions, retainBytes, 1024, 1);
  }

  /**
   * {@link #inMemory(int)} with room for {@code expectedKeys} keys before its tables grow (a state
   * pre-filled with many accounts).
   */
  public static SmtStateStore inMemory(int retainVersions, int expectedKeys) {
    return new SmtStateStore(null, retainVersions, UNBOUNDED_BYTES, expectedKeys, 1);
  }

  /** {@link #durable(Store, int)} with room for {@code expectedKeys} keys before tables grow. */
  public static SmtStateStore durable(Store store, int retainVersions, int expectedKeys) {
    return new SmtStateStore(
        store, retainVersions, UNBOUNDED_BYTES, expectedKeys, DEFAULT_CHECKPOINT_VERSIONS);
  }

  /**
   * {@link #durable(Store, int, int)} checkpointing the values every {@code checkpointVersions}
   * versions (1: every written batch carries every changed value).
   */
  public static SmtStateStore durable(
      Store store, int retainVersions, int expectedKeys, int checkpointVersions) {
    return new SmtStateStore(
        store, retainVersions, UNBOUNDED_BYTES, expectedKeys, checkpointVersions);
  }

  /**
   * {@link #durable(Store, int, int, int)} keeping the retained versions within {@code retainBytes}
   * of heap ({@link #UNBOUNDED_BYTES}: by count only).
   */
  public static SmtStateStore durable(
      Store store, int retainVersions, long retainBytes, int expectedKeys, int checkpointVersions) {
    return new SmtStateStore(store, retainVersions, retainBytes, expectedKeys, checkpointVersions);
  }

  /**
   * {@link #durable(Store, int, long, int, int)} holding at most {@code cacheBytes} of the state's
   * pages in memory ({@link #UNBOUNDED_CACHE}: all): the others are paged out to the store's {@code
   * state_pages} and read back, one read a page, when touched (see the class comment).
   */
  public static SmtStateStore durable(
      Store store,
      int retainVersions,
      long retainBytes,
      int expectedKeys,
      int checkpointVersions,
      long cacheBytes) {
    return new SmtStateStore(
        store, retainVersions, retainBytes, expectedKeys, checkpointVersions, cacheBytes);
  }

  /** {@link #inMemory(int)} with {@link #DEFAULT_RETAINED_VERSIONS}. */
  public static SmtStateStore inMemory() {
    return inMemory(DEFAULT_RETAINED_VERSIONS);
  }

  /**
   * The state kept in {@code store}, resuming at its newest written version (empty when the store
   * holds none). New versions reach the store through {@link #stage} and the caller's write.
   */
  public static SmtStateStore durable(Store store, int retainVersions) {
    return new SmtStateStore(
        store, retainVersions, UNBOUNDED_BYTES, 1024, DEFAULT_CHECKPOINT_VERSIONS);
  }

  /** {@link #durable(Store, int)} with {@link #DEFAULT_RETAINED_VERSIONS}. */
  public static SmtStateStore durable(Store store) {
    return durable(store, DEFAULT_RETAINED_VERSIONS);
  }

  // ---- the writer's view (StateStore) ---------------------------------------------------------

  @Override
  public synchronized byte[] get(byte[] key) {
    checkKey(key);
    int e = latest.find(key, 0);
    return e < 0 ? null : latest.value(e);
  }

  @Override
  public synchronized void prefetch(byte[] keys, int offset, int count) {
    latest.touch(keys, offset, count);
  }

  @Override
  public synchronized int read(byte[] key, byte[] out) {
    int e = latest.find(key, 0);
    return e < 0 ? -1 : latest.copy(e, out);
  }

  @Override
  public synchronized void put(byte[] key, byte[] value) {
    checkKey(key);
    write(key, value, value == null ? -1 : value.length);
  }

  @Override
  public synchronized void write(byte[] key, byte[] value, int length) {
    int e = latest.findOrAdd(key, 0);
    latest.once[e] = false;
    writeEntry(e, value, length);
  }

  /**
   * {@link #write}; in the durable form a key new to the store (no entry in memory, so none on
   * disk) goes at the next checkpoint into a packed record with the other such keys instead of a
   * put of its own ({@link StateLayout#onceKey}).
   */
  @Override
  public synchronized void writeOnce(byte[] key, byte[] value, int length) {
    int size = latest.size();
    int e = latest.findOrAdd(key, 0);
    latest.once[e] = store != null && length >= 0 && latest.size() > size;
    writeEntry(e, value, length);
  }

  private void writeEntry(int e, byte[] value, int length) {
    if (latest.versions[e] != current) {
      latest.pendingPositions[e] = open.add(e, latest);
      latest.versions[e] = current;
      if (!latest.dirty[e] && store != null) {
        markDirty(e);
      }
    }
    latest.set(e, value, 0, length);
  }

  @Override
  public synchronized byte[] root() {
    close();
    return tree.root(tree.latestVersion());
  }

  @Override
  public synchronized void root(byte[] out) {
    close();
    tree.latestRoot(out, 0);
  }

  /** The newest version (after closing pending writes), readable while retained. */
  public synchronized Version snapshot() {
    close();
    return new Version(tree.latestVersion());
  }

  /** A view of {@code version} (-1: the empty state before the first version). */
  public synchronized Version at(long version) {
    if (version < -1 || version > tree.latestVersion()) {
      throw new IllegalArgumentException("no state version " + version);
    }
    return new Version(version);
  }

  /** The newest version, -1 when none; writes not yet closed by {@link #root} do not count. */
  public synchronized long latestVersion() {
    return tree.latestVersion();
  }

  /** The oldest version still readable and provable. */
  public synchronized long oldestRetainedVersion() {
    return tree.oldestVersion();
  }

  /**
   * What the retained versions cost in bytes: their before-images' arrays (heap) and the tree nodes
   * only they reach (native pages; an estimate, {@link VersionDelta#ENTRY_BYTES} and {@link
   * #STALE_NODE_BYTES}).
   */
  public long retainedBytes() {
    return retainedBytes;
  }

  /**
   * Versions retained as of the last closed one (read without the lock: for status pages, which
   * must not wait for a commit's tree update).
   */
  public long retainedVersionCount() {
    return Math.max(0, retainedTo - retainedFrom + 1);
  }

  /** The byte bound on the retained versions ({@link #UNBOUNDED_BYTES}: none). */
  public long retainBytesLimit() {
    return retainBytes;
  }

  /** SHA-256 compressions the tree did so far (leaves and internal nodes). */
  public synchronized long treeHashes() {
    return tree.hashCount();
  }

  /**
   * Native memory (outside the Java heap) the live state takes as of the last closed version: the
   * tree's node and leaf pages and the newest values' key and value pages, about 300 bytes a key.
   * It grows with the state, within the page cache's bound (on Linux in anonymous mappings outside
   * the JVM's direct-memory limit, elsewhere counted against it; {@link PageCache}). Read without
   * the lock.
   */
  public long offHeapBytes() {
    return offHeapBytes;
  }

  /**
   * Bytes of all the state's pages (tree and newest values), resident or paged out, as of the last
   * closed version: what {@link #offHeapBytes} would be with an unbounded cache. Read without the
   * lock.
   */
  public long pagedBytes() {
    return pagedBytes;
  }

  /** The bound on the state's resident pages in bytes ({@link #UNBOUNDED_CACHE}: none). */
  public long cacheLimitBytes() {
    return pages.frameLimit() == Integer.MAX_VALUE
        ? UNBOUNDED_CACHE
        : (long) pages.frameLimit() * PageCache.PAGE_BYTES;
  }

  /** Pages read back from the store so far (one RocksDB read each). */
  public synchronized long pageReads() {
    return pages.reads();
  }

  /** Pages written to the store so far (dirty pages evicted; one RocksDB put each). */
  public synchronized long pageWrites() {
    return pages.writes();
  }

  /** {@link #pageReads} as of the last closed version, read without the lock. */
  public long pageReadsSoFar() {
    return pageReadsClosed;
  }

  /** {@link #pageWrites} as of the last closed version, read without the lock. */
  public long pageWritesSoFar() {
    return pageWritesClosed;
  }

  /** {@link #keyCount()} as of the last closed version, read without the lock. */
  public int keysHeld() {
    return keysHeld;
  }

  /** Deltas held: the retained and open versions' and the spares kept for reuse (tests). */
  synchronized int heldDeltas() {
    int held = spareCount;
    for (VersionDelta d : deltas) {
      if (d != null) {
        held++;
      }
    }
    return held;
  }

  /** Keys the state holds or held (entries of the newest-value table). */
  public synchronized int keyCount() {
    return latest.size();
  }

  /**
   * Receives one key and its value ({@code length < 0}: removed) from {@link #forEachWrite}; the
   * arrays are valid only during the call.
   */
  @FunctionalInterface
  public interface WriteVisitor {
    void accept(byte[] key, int keyOffset, byte[] value, int valueOffset, int length);
  }

  /**
   * Visits each key the newest version wrote, with its value now (what {@link #stage} would write
   * for it): benchmarks replay these writes without the tree.
   */
  public synchronized void forEachWrite(WriteVisitor visitor) {
    close();
    long newest = tree.latestVersion();
    if (newest < tree.oldestVersion() || newest < 0) {
      return;
    }
    VersionDelta d = deltaOf(newest);
    for (int i = 0; i < d.count; i++) {
      int e = d.entries[i];
      latest.copyKey(e, keyScratch, 0);
      latest.copyValue(e, valueScratch, 1);
      visitor.accept(keyScratch, 0, valueScratch, 1, latest.lengths[e]);
    }
  }

  /** Bytes of the log records {@link #stage} put into write batches so far. */
  public synchronized long loggedBytes() {
    return loggedBytes;
  }

  /** Keys changed since the last checkpoint (durable form; what the next one writes). */
  public synchronized int keysSinceCheckpoint() {
    return dirtyCount;
  }

  /** The version whose values the store's {@code state_values} holds (-1: none). */
  public synchronized long checkpointVersion() {
    return checkpoint;
  }

  private void markDirty(int e) {
    latest.dirty[e] = true;
    if (dirtyCount == dirtyEntries.length) {
      dirtyEntries = Arrays.copyOf(dirtyEntries, 2 * dirtyCount);
    }
    dirtyEntries[dirtyCount++] = e;
  }

  // ---- closing a version ----------------------------------------------------------------------

  private void close() {
    if (open.count == 0) {
      return;
    }
    VersionDelta d = open;
    d.sortByKey(latest);
    int n = d.count;
    if (batchRemoved.length < n) {
      int size = Math.max(n, 2 * batchRemoved.length);
      batchKeys = new byte[H * size];
      batchHashes = new byte[H * size];
      batchRemoved = new boolean[size];
    }
    for (int c = 0; c < n; c += TOUCH_CHUNK) {
      int end = Math.min(n, c + TOUCH_CHUNK);
      latest.touchEntries(d.entries, d.order, c, end);
      for (int i = c; i < end; i++) {
        int e = d.entries[d.order[i]];
        latest.copyKey(e, batchKeys, H * i);
        batchRemoved[i] = latest.lengths[e] < 0;
      }
    }
    int staleBefore = tree.staleNodes();
    hashValues(d, n);
    long version = tree.update(batchKeys, batchHashes, batchRemoved, n);
    if (version != current) {
      throw new IllegalStateException("tree version " + version + " is not " + current);
    }
    d.retainedBytes =
        d.capacityBytes() + (long) (tree.staleNodes() - staleBefore) * STALE_NODE_BYTES;
    offHeapBytes = pages.residentBytes();
    pagedBytes = tree.offHeapBytes() + latest.offHeapBytes();
    pageReadsClosed = pages.reads();
    pageWritesClosed = pages.writes();
    keysHeld = latest.size();
    retainedBytes += d.retainedBytes;
    current++;
    open = delta(current);
    advanceHorizon(version);
    // The durable form prunes only written versions: the others' deltas are still to be staged.
    long pruneTo = store == null ? horizon : Math.min(horizon, writtenUpTo + 1);
    if (pruneTo > tree.oldestVersion()) {
      for (long v = tree.oldestVersion(); v < pruneTo; v++) {
        int slot = (int) Math.floorMod(v, (long) deltas.length);
        VersionDelta pruned = deltas[slot];
        if (pruned != null && pruned.version == v) {
          retire(pruned);
          deltas[slot] = null;
          spare(pruned);
        }
      }
      tree.prune(pruneTo);
    }
    retainedFrom = tree.oldestVersion();
    retainedTo = version;
  }

  /**
   * Moves {@link #horizon} past the versions the count bound drops, then past the oldest versions
   * until what the rest cost fits {@link #retainBytes}; never past {@code newest}.
   */
  private void advanceHorizon(long newest) {
    long from = Math.max(horizon, tree.oldestVersion());
    long to = Math.max(from, newest - retainVersions + 1);
    long kept = retainedBytes;
    for (long v = tree.oldestVersion(); v < to; v++) {
      kept -= costOf(v);
    }
    while (kept > retainBytes && to < newest) {
      kept -= costOf(to++);
    }
    horizon = to;
  }

  /** What retained version {@code version} costs (0 when its delta is gone). */
  private long costOf(long version) {
    VersionDelta d = deltas[(int) Math.floorMod(version, (long) deltas.length)];
    return d != null && d.version == version ? d.retainedBytes : 0;
  }

  /** Takes a pruned or reused version's cost off {@link #retainedBytes}. */
  private void retire(VersionDelta d) {
    retainedBytes -= d.retainedBytes;
    d.retainedBytes = 0;
  }

  /**
   * The value hashes of the batch being closed ({@code batchHashes[32i]} for its i-th key in key
   * order), grouped by value length: a group of at least {@link #SIMD_GROUP} values of one length
   * (a commit's accounts, usage totals, run entries) is packed back to back and hashed with the
   * multi-buffer engine ({@link WarmSha256#digestFixed}, one message per lane, the JDK's SHA-256
   * while the engine is cold); smaller groups use the JDK's SHA-256 (SHA-NI where the CPU has it),
   * which needs no warm-up, so a node at a low rate with small commits never runs a rarely used
   * vector path uncompiled.
   */
  private void hashValues(VersionDelta d, int n) {
    int[] start = lengthStart;
    Arrays.fill(start, 0);
    for (int i = 0; i < n; i++) {
      int length = latest.lengths[d.entries[d.order[i]]];
      if (length >= 0) {
        start[length + 1]++;
      }
    }
    for (int length = 1; length < start.length; length++) {
      start[length] += start[length - 1];
    }
    if (byLength.length < n) {
      byLength = new int[Math.max(n, 2 * byLength.length)];
    }
    int[] fill = lengthFill;
    System.arraycopy(start, 0, fill, 0, start.length);
    for (int i = 0; i < n; i++) {
      int length = latest.lengths[d.entries[d.order[i]]];
      if (length >= 0) {
        byLength[fill[length]++] = i;
      }
    }
    for (int length = 0; length <= LatestValues.MAX_VALUE_BYTES; length++) {
      int from = start[length];
      int count = fill[length] - from;
      if (count >= SIMD_GROUP && length > 0) {
        if (valuePack.length < count * length) {
          valuePack = new byte[Math.max(count * length, 2 * valuePack.length)];
          packDigests = new byte[H * Math.max(count, valuePack.length / length)];
        } else if (packDigests.length < H * count) {
          packDigests = new byte[Math.max(H * count, 2 * packDigests.length)];
        }
        for (int j = 0; j < count; j++) {
          int e = d.entries[d.order[byLength[from + j]]];
          latest.copyValue(e, valuePack, j * length);
        }
        WarmSha256.digestFixed(valuePack, 0, length, count, packDigests, 0);
        for (int j = 0; j < count; j++) {
          System.arraycopy(packDigests, H * j, batchHashes, H * byLength[from + j], H);
        }
      } else {
        for (int j = 0; j < count; j++) {
          int i = byLength[from + j];
          int e = d.entries[d.order[i]];
          latest.copyValue(e, valueScratch, 0);
          sha.reset().update(valueScratch, 0, length).digest(batchHashes, H * i);
        }
      }
    }
  }

  /** The pooled delta of {@code version}, reset (its slot's previous version is pruned). */
  private VersionDelta delta(long version) {
    int slot = (int) Math.floorMod(version, (long) deltas.length);
    VersionDelta d = deltas[slot];
    if (d != null
        && (d.version > tree.oldestVersion() || store != null && d.version > writtenUpTo)) {
      // Versions wait to be written (or pruning waits for them): more deltas, none reused.
      VersionDelta[] grown = new VersionDelta[2 * deltas.length];
      for (VersionDelta old : deltas) {
        if (old == null) {
          continue;
        }
        grown[(int) Math.floorMod(old.version, (long) grown.length)] = old;
      }
      deltas = grown;
      slot = (int) Math.floorMod(version, (long) deltas.length);
      d = deltas[slot];
    }
    if (d != null) {
      retire(d);
      spare(d);
    }
    d = deltas[slot] = spareCount > 0 ? spares[--spareCount] : new VersionDelta();
    d.reset(version);
    return d;
  }

  /**
   * Keeps a pruned version's delta for reuse by a later version, unless {@link #SPARE_DELTAS} are
   * kept already or it is a very large commit's: what pruned versions leave behind is bounded by a
   * few deltas, not one per slot.
   */
  private void spare(VersionDelta d) {
    if (spareCount < SPARE_DELTAS && d.entries.length <= VersionDelta.POOLED_ENTRIES) {
      spares[spareCount++] = d;
    }
  }

  /** The delta of a retained closed version, or of the open one. */
  private VersionDelta deltaOf(long version) {
    VersionDelta d = deltas[(int) Math.floorMod(version, (long) deltas.length)];
    if (d == null || d.version != version) {
      throw new IllegalStateException("no delta for state version " + version);
    }
    return d;
  }

  /** What {@code key} held at retained version {@code version}: walks before-images back. */
  private byte[] valueAt(long version, byte[] key) {
    checkKey(key);
    if (!tree.isRetained(version)) {
      throw new PrunedStateException(version, tree.oldestVersion());
    }
    int e = latest.find(key, 0);
    if (e < 0) {
      return null;
    }
    long writtenBy = latest.versions[e];
    if (writtenBy <= version) {
      return latest.value(e);
    }
    int p = latest.pendingPositions[e];
    VersionDelta d = deltaOf(writtenBy);
    if (writtenBy != current) {
      p = d.find(latest, key);
    }
    while (true) {
      if (p < 0) {
        throw new IllegalStateException("state version " + d.version + " lost a key it wrote");
      }
      long before = d.beforeVersions[p];
      if (before <= version) {
        return d.before(p);
      }
      d = deltaOf(before);
      p = d.find(latest, key);
    }
  }

  // ---- persistence ----------------------------------------------------------------------------

  /**
   * Adds every version not yet written (closing pending writes first) to {@code batch}: the newest
   * value of each key they changed, their roots, the latest pointer, and the removal of roots that
   * fell behind the horizon. Returns the newest version staged, or -1 when nothing needs writing
   * (always so for the in-memory form). After the caller wrote the batch it calls {@link #written}
   * with that version.
   */
  public synchronized long stage(WriteBatch batch) {
    close();
    long newest = tree.latestVersion();
    if (store == null || newest <= writtenUpTo) {
      return -1;
    }
    boolean checkpointing =
        newest - checkpoint >= checkpointVersions || dirtyCount >= CHECKPOINT_KEYS;
    for (long v = writtenUpTo + 1; v <= newest; v++) {
      VersionDelta d = deltaOf(v);
      batch.put(StateLayout.META, StateLayout.rootKey(v), tree.root(v));
      // A version at or before the checkpoint this batch makes is never redone: no after-images.
      int blobLength = encodeDelta(d, !checkpointing);
      loggedBytes += blobLength;
      StateLayout.deltaKey(v, deltaKey);
      batch.putRaw(ColumnFamily.META, deltaKey, 0, deltaKey.length, deltaBlob, 0, blobLength);
    }
    batch.put(StateLayout.META, StateLayout.LATEST_KEY, StateLayout.rootKey(newest));
    if (writtenUpTo < 0) {
      batch.put(StateLayout.META, StateLayout.FORMAT_KEY, StateLayout.FORMAT);
    }
    long keptCheckpoint = checkpoint;
    stagedCheckpoint = -1;
    if (checkpointing) {
      valueScratch[0] = 1;
      int packed = 0;
      int part = 0;
      int o = 0;
      // Keys written once go into the packed records in the order they were written; the others
      // are put in their keys' order (below).
      int ordinary = 0;
      int indexBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, dirtyCount));
      if (checkpointOrder.length < dirtyCount) {
        checkpointOrder = new long[dirtyEntries.length]; // grown with the list, not to the count
      }
      for (int i = 0; i < dirtyCount; i++) {
        int e = dirtyEntries[i];
        if (!latest.once[e]) {
          // Unsigned order of the key's first bytes as signed order of the longs, the position in
          // the low bits: ties in the kept bits only leave the order approximate, which is fine.
          checkpointOrder[ordinary++] =
              ((latest.prefix(e) >>> indexBits) << indexBits | i) ^ Long.MIN_VALUE;
          continue;
        }
        // Written once as a new key: into the packed record (flags set now: if this batch is
        // not written, the key goes out as an ordinary entry next time, which is as correct).
        latest.once[e] = false;
        latest.packed[e] = true;
        if (o == 0
            && onceBlob.length
                < StateLayout.ONCE_PER_RECORD * (H + 2 + LatestValues.MAX_VALUE_BYTES)) {
          onceBlob = new byte[StateLayout.ONCE_PER_RECORD * (H + 2 + LatestValues.MAX_VALUE_BYTES)];
        }
        latest.copyKey(e, onceBlob, o);
        o = putLatestValue(onceBlob, o + H, e);
        if (++packed == StateLayout.ONCE_PER_RECORD) {
          StateLayout.onceKey(newest, part++, onceKey);
          batch.putRaw(ColumnFamily.META, onceKey, 0, onceKey.length, onceBlob, 0, o);
          packed = 0;
          o = 0;
        }
      }
      // In key order, so that RocksDB's memtable inserts each key next to the one before it (its
      // skip list search walks the nodes the previous insert left in the caches) instead of at a
      // random place of a large memtable: the same puts, a cheaper write.
      VersionDelta.sortLongs(checkpointOrder, 0, ordinary - 1);
      long indexMask = (1L << indexBits) - 1;
      for (int k = 0; k < ordinary; k++) {
        int e = dirtyEntries[(int) (checkpointOrder[k] & indexMask)];
        int length = latest.lengths[e];
        latest.copyKey(e, keyScratch, 0);
        if (length < 0) {
          if (latest.packed[e]) {
            // A packed record holds an older value: the removal must be recorded to override it.
            batch.putRaw(ColumnFamily.STATE_VALUES, keyScratch, 0, H, REMOVED, 0, 1);
          } else {
            batch.deleteRaw(ColumnFamily.STATE_VALUES, keyScratch, 0, H);
          }
        } else {
          latest.copyValue(e, valueScratch, 1);
          batch.putRaw(ColumnFamily.STATE_VALUES, keyScratch, 0, H, valueScratch, 0, 1 + length);
        }
      }
      if (packed > 0) {
        StateLayout.onceKey(newest, part, onceKey);
        batch.putRaw(ColumnFamily.META, onceKey, 0, onceKey.length, onceBlob, 0, o);
      }
      batch.put(StateLayout.META, StateLayout.CHECKPOINT_KEY, longBytes(newest));
      stagedCheckpoint = newest;
      keptCheckpoint = newest;
    }
    // The same horizon as in memory: the count bound, or the byte bound where it is newer.
    long keepFrom = Math.max(newest - retainVersions + 1, horizon);
    for (; rootsKeptFrom < keepFrom; rootsKeptFrom++) {
      batch.delete(StateLayout.META, StateLayout.rootKey(rootsKeptFrom));
    }
    // Log records: kept for undo (retained versions) and redo (after the checkpoint).
    for (long keep = Math.min(keepFrom, keptCheckpoint + 1); deltasKeptFrom < keep; ) {
      batch.delete(StateLayout.META, StateLayout.deltaKey(deltasKeptFrom++));
    }
    return newest;
  }

  /** The versions up to {@code version} are in the store now. */
  public synchronized void written(long version) {
    writtenUpTo = Math.max(writtenUpTo, version);
    if (stagedCheckpoint >= 0 && version >= stagedCheckpoint) {
      checkpoint = stagedCheckpoint;
      stagedCheckpoint = -1;
      for (int i = 0; i < dirtyCount; i++) {
        latest.dirty[dirtyEntries[i]] = false;
      }
      dirtyCount = 0;
    }
  }

  /** {@link #stage}, write and {@link #written} in one: for callers with nothing else to write. */
  public synchronized void persist(Store target, Durability durability) {
    try (WriteBatch batch = target.newBatch()) {
      long version = stage(batch);
      if (version >= 0) {
        target.write(batch, durability);
        written(version);
      }
    }
  }

  /**
   * A version's log record as stored ({@link StateLayout#deltaKey}), with the values it left when
   * {@code withAfter}; returns the length.
   */
  private int encodeDelta(VersionDelta d, boolean withAfter) {
    int need = 1 + d.count * (H + 4 + 2 * LatestValues.MAX_VALUE_BYTES);
    if (deltaBlob.length < need) {
      deltaBlob = new byte[Math.max(need, 2 * deltaBlob.length)];
    }
    deltaBlob[0] = (byte) (withAfter ? 1 : 0);
    int o = 1;
    for (int i = 0; i < d.count; i++) {
      int e = d.entries[i];
      latest.copyKey(e, deltaBlob, o);
      int before = i * LatestValues.MAX_VALUE_BYTES;
      int beforeLength = d.beforeLengths[i];
      o = putValue(deltaBlob, o + H, d.beforeValues, before, beforeLength);
      if (withAfter) {
        // The value the version left: the newest value unless a later version wrote the key.
        long next = latest.versions[e];
        if (next == d.version) {
          latest.copyValue(e, valueScratch, 0);
          o =
              putAfter(
                  deltaBlob,
                  o,
                  d.beforeValues,
                  before,
                  beforeLength,
                  valueScratch,
                  0,
                  latest.lengths[e]);
        } else {
          VersionDelta later = laterWriter(d.version, e);
          int p = later.findEntry(latest, e);
          o =
              putAfter(
                  deltaBlob,
                  o,
                  d.beforeValues,
                  before,
                  beforeLength,
                  later.beforeValues,
                  p * LatestValues.MAX_VALUE_BYTES,
                  later.beforeLengths[p]);
        }
      }
    }
    return o;
  }

  /**
   * A log record's after-value: when the before-value has the same length, as its changes ({@link
   * #CHANGES} set in the length field, then {@code skip (u8) || count (u8) || count new bytes}
   * until the value's end; bytes the changes skip are the before-value's) if that is shorter, else
   * as the value itself ({@link #putValue}). Account and usage records change a few bytes of each
   * counter per commit.
   */
  private static int putAfter(
      byte[] out,
      int o,
      byte[] before,
      int beforeOffset,
      int beforeLength,
      byte[] after,
      int afterOffset,
      int length) {
    if (length <= 0 || length != beforeLength) {
      return putValue(out, o, after, afterOffset, length);
    }
    int w = o + 2;
    int limit = o + 2 + length - 1;
    int i = 0;
    while (i < length && w < limit) {
      int start = i;
      while (i < length && after[afterOffset + i] == before[beforeOffset + i]) {
        i++;
      }
      if (i == length) {
        break;
      }
      int from = i;
      // A run of changed bytes, bridging gaps of up to two equal bytes (cheaper than a new run).
      int end = i + 1;
      for (int j = end; j < length && j < end + 3; j++) {
        if (after[afterOffset + j] != before[beforeOffset + j]) {
          end = j + 1;
        }
      }
      out[w] = (byte) (from - start);
      out[w + 1] = (byte) (end - from);
      w += 2;
      if (w + end - from > limit) {
        w = limit;
        break;
      }
      System.arraycopy(after, afterOffset + from, out, w, end - from);
      w += end - from;
      i = end;
    }
    if (w >= limit) {
      return putValue(out, o, after, afterOffset, length);
    }
    int changes = w - o - 2;
    out[o] = (byte) ((CHANGES | changes) >> 8);
    out[o + 1] = (byte) changes;
    return w;
  }

  /**
   * Decodes the after-value at {@code blob[o]} (its length field) of a key whose before-value is
   * {@code blob[beforeAt, +beforeLength)} into {@code out} from index 0; returns its length (-1:
   * absent).
   */
  private static int afterValue(byte[] blob, int o, int beforeAt, int beforeLength, byte[] out) {
    int field = lengthAt(blob, o);
    if (field < 0 || (field & CHANGES) == 0) {
      if (field > 0) {
        System.arraycopy(blob, o + 2, out, 0, field);
      }
      return field;
    }
    System.arraycopy(blob, beforeAt, out, 0, beforeLength);
    int end = o + 2 + (field & ~CHANGES);
    int at = 0;
    for (int r = o + 2; r < end; ) {
      at += blob[r] & 0xFF;
      int count = blob[r + 1] & 0xFF;
      if (at + count > beforeLength || r + 2 + count > end) {
        throw new IllegalStateException("a state log record's changes run past the value");
      }
      System.arraycopy(blob, r + 2, out, at, count);
      at += count;
      r += 2 + count;
    }
    return beforeLength;
  }

  private static int putValue(byte[] out, int o, byte[] from, int offset, int length) {
    out[o] = (byte) (length >> 8);
    out[o + 1] = (byte) length;
    o += 2;
    if (length > 0) {
      System.arraycopy(from, offset, out, o, length);
      o += length;
    }
    return o;
  }

  /** {@link #putValue} of entry {@code e}'s newest value. */
  private int putLatestValue(byte[] out, int o, int e) {
    int length = latest.lengths[e];
    out[o] = (byte) (length >> 8);
    out[o + 1] = (byte) length;
    latest.copyValue(e, out, o + 2);
    return o + 2 + Math.max(length, 0);
  }

  /** The delta of the first version after {@code version} that wrote entry {@code e}. */
  private VersionDelta laterWriter(long version, int e) {
    for (long v = version + 1; ; v++) {
      VersionDelta d = deltaOf(v);
      if (d.findEntry(latest, e) >= 0) {
        return d;
      }
    }
  }

  /**
   * Reads the state back and rebuilds the retained versions: the checkpoint's values, then the log
   * records after it redone (the newest values), then undone with their before-images down to the
   * oldest retained version, whose tree is built in one batch; the later versions are redone
   * through the ordinary write path, each root checked against the stored one. Returns the newest
   * version (-1 for an empty store).
   */
  private long load() {
    byte[] latestKey = store.get(StateLayout.META, StateLayout.LATEST_KEY);
    if (latestKey == null) {
      return -1;
    }
    long newest = StateLayout.versionOfRootKey(latestKey);
    byte[] format = store.get(StateLayout.META, StateLayout.FORMAT_KEY);
    if (format == null || !Arrays.equals(format, StateLayout.FORMAT)) {
      throw new IllegalStateException(
          "the store holds state of format "
              + (format == null ? 1 : format[0])
              + "; this node reads format "
              + StateLayout.FORMAT[0]
              + " (start from an empty data directory and replay)");
    }
    byte[] checkpointed = store.get(StateLayout.META, StateLayout.CHECKPOINT_KEY);
    long from = checkpointed == null ? -1 : longOf(checkpointed);
    // The packed records (oldest checkpoint first), then state_values, which is newer where both
    // hold a key.
    store.scan(
        StateLayout.META,
        StateLayout.firstOnceKey(),
        (key, blob) -> {
          if (!StateLayout.isOnceKey(key)) {
            return false;
          }
          for (int o = 0; o < blob.length; ) {
            int e = latest.findOrAdd(blob, o);
            int length = lengthAt(blob, o + H);
            if (length < 0 || o + H + 2 + length > blob.length) {
              throw new IllegalStateException("a packed state record is damaged");
            }
            latest.set(e, blob, o + H + 2, length);
            latest.packed[e] = true;
            o += H + 2 + length;
          }
          return true;
        });
    store.scan(
        StateLayout.VALUES,
        null,
        (key, stored) -> {
          if (key.length != H) {
            throw new IllegalStateException("a state value key of " + key.length + " bytes");
          }
          byte[] value = StateLayout.decodeValue(stored);
          int e = latest.findOrAdd(key, 0);
          if (value != null) {
            latest.set(e, value, 0, value.length);
          } else {
            // A removal recorded over a packed value.
            latest.set(e, stored, 0, -1);
            latest.packed[e] = true;
          }
          return true;
        });
    // Redo: the log records after the checkpoint, oldest first, leave the newest values.
    java.util.ArrayList<byte[]> afterCheckpoint = new java.util.ArrayList<>();
    for (long v = from + 1; v <= newest; v++) {
      byte[] blob = store.get(StateLayout.META, StateLayout.deltaKey(v));
      if (blob == null || blob.length == 0 || blob[0] != 1) {
        throw new IllegalStateException(
            "state version "
                + v
                + " after checkpoint "
                + from
                + " has no log record of its values");
      }
      for (int o = 1; o < blob.length; ) {
        int e = latest.findOrAdd(blob, o);
        int before = o + H;
        o = skipValue(blob, before);
        int length = afterValue(blob, o, before + 2, lengthAt(blob, before), valueScratch);
        latest.set(e, valueScratch, 0, length);
        o = skipValue(blob, o);
      }
      afterCheckpoint.add(blob);
    }
    // Undo: newest first, each stored record gives the values before its version; as far back as
    // the roots on disk reach, the count bound allows and the before-images fit the byte bound.
    java.util.ArrayList<byte[][]> redo = new java.util.ArrayList<>();
    long oldest = newest;
    long undoneBytes = 0;
    while (oldest > 0 && newest - oldest + 1 < retainVersions && undoneBytes <= retainBytes) {
      byte[] blob = store.get(StateLayout.META, StateLayout.deltaKey(oldest));
      if (blob == null || store.get(StateLayout.META, StateLayout.rootKey(oldest - 1)) == null) {
        break;
      }
      boolean withAfter = blob[0] == 1;
      java.util.ArrayList<byte[]> writes = new java.util.ArrayList<>();
      for (int o = 1; o < blob.length; ) {
        int e = latest.findOrAdd(blob, o);
        int length = lengthAt(blob, o + H);
        writes.add(Arrays.copyOfRange(blob, o, o + H));
        writes.add(latest.value(e));
        latest.set(e, blob, o + H + 2, length);
        o += H + 2 + Math.max(0, length);
        if (withAfter) {
          o = skipValue(blob, o);
        }
      }
      redo.add(writes.toArray(new byte[0][]));
      undoneBytes += (long) (writes.size() / 2) * VersionDelta.ENTRY_BYTES;
      oldest--;
    }
    // The oldest retained version: every present key in one sorted batch.
    Integer[] present =
        java.util.stream.IntStream.range(0, latest.size())
            .filter(e -> latest.lengths[e] >= 0)
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(present, latest::compareKeys);
    int n = present.length;
    byte[] keys = new byte[H * n];
    byte[] hashes = new byte[H * n];
    for (int i = 0; i < n; i++) {
      int e = present[i];
      latest.copyKey(e, keys, H * i);
      latest.copyValue(e, valueScratch, 0);
      sha.reset().update(valueScratch, 0, latest.lengths[e]).digest(hashes, H * i);
    }
    tree.startAt(oldest);
    tree.update(keys, hashes, new boolean[n], n);
    checkRoot(oldest);
    // Redo the later versions through the write path (all written: closing may prune them).
    writtenUpTo = newest;
    current = oldest + 1;
    open = delta(current);
    for (int r = redo.size() - 1; r >= 0; r--) {
      byte[][] writes = redo.get(r);
      for (int w = 0; w < writes.length; w += 2) {
        byte[] value = writes[w + 1];
        write(writes[w], value, value == null ? -1 : value.length);
      }
      close();
      checkRoot(current - 1);
    }
    if (current - 1 != newest) {
      throw new IllegalStateException(
          "state rebuilt to version " + (current - 1) + ", not " + newest);
    }
    // Changed since the checkpoint: the keys of the log records after it.
    for (int i = 0; i < dirtyCount; i++) {
      latest.dirty[dirtyEntries[i]] = false;
    }
    dirtyCount = 0;
    for (byte[] blob : afterCheckpoint) {
      for (int o = 1; o < blob.length; ) {
        int e = latest.find(blob, o);
        if (!latest.dirty[e]) {
          markDirty(e);
        }
        o = skipValue(blob, skipValue(blob, o + H));
      }
    }
    checkpoint = from;
    writtenUpTo = newest;
    return newest;
  }

  private static int lengthAt(byte[] blob, int o) {
    return (short) ((blob[o] & 0xFF) << 8 | (blob[o + 1] & 0xFF));
  }

  private static int skipValue(byte[] blob, int o) {
    int field = lengthAt(blob, o);
    return o + 2 + (field < 0 ? 0 : field & ~CHANGES);
  }

  private static byte[] longBytes(long v) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (v >>> (56 - 8 * i));
    }
    return out;
  }

  private static long longOf(byte[] in) {
    if (in.length != 8) {
      throw new IllegalStateException("a state checkpoint of " + in.length + " bytes");
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[i] & 0xFF);
    }
    return v;
  }

  private void checkRoot(long version) {
    byte[] stored = store.get(StateLayout.META, StateLayout.rootKey(version));
    if (stored == null || !Arrays.equals(stored, tree.root(version))) {
      throw new IllegalStateException(
          "state version " + version + " rebuilt from its values does not match its stored root");
    }
  }

  private static void checkKey(byte[] key) {
    if (key.length != H) {
      throw new IllegalArgumentException("state keys are 32 bytes");
    }
  }

  /**
   * The state's paged-out pages in the store's {@code state_pages}, by page id (8 bytes,
   * big-endian): this process's page images, written when a dirty page is evicted, never read
   * before this process wrote them (the durable state is the log and checkpoints; see {@link
   * PageCache}). One put or one read per page, through one reused page-sized buffer (RocksDB reads
   * into it). The puts are {@link Durability#UNLOGGED}: a crash loses nothing anyone reads again.
   */
  private static final class StorePages implements PageCache.Backing {
    private static final Column<byte[], byte[]> PAGES = Column.raw(ColumnFamily.STATE_PAGES);
    private final Store store;
    private final byte[] key = new byte[8];
    private final byte[] image = new byte[PageCache.PAGE_BYTES];

    StorePages(Store store) {
      this.store = store;
    }

    private byte[] key(long pageId) {
      for (int i = 0; i < 8; i++) {
        key[i] = (byte) (pageId >>> (56 - 8 * i));
      }
      return key;
    }

    @Override
    public void load(long pageId, MemorySegment frame) {
      int length = store.getInto(PAGES, key(pageId), image);
      if (length != PageCache.PAGE_BYTES) {
        throw new IllegalStateException("state page " + pageId + " is missing from the store");
      }
      MemorySegment.copy(image, 0, frame, ValueLayout.JAVA_BYTE, 0, length);
    }

    @Override
    public void store(long pageId, MemorySegment frame) {
      MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, 0, image, 0, image.length);
      try (WriteBatch batch = store.newBatch()) {
        batch.putRaw(ColumnFamily.STATE_PAGES, key(pageId), 0, 8, image, 0, image.length);
        // Never read across a restart: no write-ahead log record for a 16 KiB image.
        store.write(batch, Durability.UNLOGGED);
      }
    }
  }

  /** One retained version as a {@link ProvableState}. */
  public final class Version implements ProvableState {
    private final long version;

    private Version(long version) {
      this.version = version;
    }

    /** The tree version (-1: the empty state). */
    public long version() {
      return version;
    }

    /** Whether this is a version of {@code store}. */
    public boolean belongsTo(SmtStateStore store) {
      return store == SmtStateStore.this;
    }

    /** Whether this version is still readable and provable. */
    public boolean isRetained() {
      synchronized (SmtStateStore.this) {
        return tree.isRetained(version);
      }
    }

    @Override
    public byte[] root() {
      synchronized (SmtStateStore.this) {
        if (!tree.isRetained(version)) {
          throw new PrunedStateException(version, tree.oldestVersion());
        }
        return tree.root(version);
      }
    }

    @Override
    public byte[] get(byte[] key) {
      synchronized (SmtStateStore.this) {
        return valueAt(version, key);
      }
    }

    /**
     * The tree's proof in {@link SparseMerkleProof} form: where the key's search ended (its own
     * leaf, another key's leaf on its path, or an empty subtree) and the siblings. A membership
     * proof is checked against the value kept for the version, so the tree and the values cannot
     * disagree unnoticed.
     */
    @Override
    public SparseMerkleProof prove(byte[] key) {
      synchronized (SmtStateStore.this) {
        byte[] value = valueAt(version, key);
        SmtProof proof = tree.prove(version, key);
        SparseMerkleProof converted =
            new SparseMerkleProof(
                key.clone(), proof.leafKey(), proof.leafValueHash(), proof.siblings());
        boolean consistent =
            value == null
                ? !converted.isMembership()
                : converted.isMembership()
                    && Arrays.equals(converted.leafValueHash(), Sha256.digest(value));
        if (!consistent) {
          throw new IllegalStateException(
              "tree and values disagree on a key at version " + version);
        }
        return converted;
      }
    }
  }
}
