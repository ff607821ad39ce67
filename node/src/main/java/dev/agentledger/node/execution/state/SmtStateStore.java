package dev.agentledger.node.execution.state;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.hash.smt.SmtProof;
import dev.agentledger.hash.smt.SparseMerkleTree;
import dev.agentledger.node.execution.core.StateStore;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link StateStore} over hash-pipeline's versioned {@link SparseMerkleTree}: writes of a commit
 * collect in an overlay and go into the tree as one sorted batch when the root is asked for, so
 * each commit is one tree version. The tree commits to value hashes; the values are kept per
 * version next to it. Two homes for nodes, roots and values:
 *
 * <ul>
 *   <li>{@link #SmtStateStore(NodeStore)}: nodes in the given {@link NodeStore}, values in memory
 *       (tests, tools, the simulator). Nothing to persist: {@link #stage} adds nothing.
 *   <li>{@link #durable(Store)}: nodes, roots and values in the node's {@link Store} ({@code
 *       state_nodes}, {@code state_values}, {@code meta}; see {@code storage.StateLayout}). A new
 *       version is readable at once but reaches the store only through {@link #stage}, which adds
 *       it to the caller's atomic write batch (the execution stage puts the commit's query entries
 *       in the same batch), and {@link #written} after that batch was written. A crash before the
 *       write loses the version whole, never part of it.
 * </ul>
 *
 * <p>Hashing and proof shape are those of {@link SparseMerkleState} (same leaf, node and empty
 * hashes, same compaction), so the two give identical roots and proofs; a test holds them to it.
 * Single writer ({@link #get}, {@link #put}, {@link #root}, {@link #snapshot}, {@link #stage},
 * {@link #written}: the executor's thread); {@link Version} views are read from any thread.
 */
public final class SmtStateStore implements StateStore {
  private static final byte[] DELETED = new byte[0];

  private final SparseMerkleTree tree;
  private final VersionedValues versions;
  private final TreeMap<byte[], byte[]> pending = new TreeMap<>(Arrays::compareUnsigned);

  /** Nodes in {@code nodes}, values in memory. */
  public SmtStateStore(NodeStore nodes) {
    this(new MemoryVersionedValues(nodes));
  }

  private SmtStateStore(VersionedValues versions) {
    this.versions = versions;
    this.tree = new SparseMerkleTree(versions.nodes());
  }

  /**
   * The state kept in {@code store}, resuming at its newest written version (empty when the store
   * holds none). New versions reach the store through {@link #stage} and the caller's write.
   */
  public static SmtStateStore durable(Store store) {
    return new SmtStateStore(
        (VersionedValues) new StoredVersionedValues(store, StoredVersionedValues.NODE_CACHE_SLOTS));
  }

  /** As {@link #durable(Store)} with a node cache of {@code cacheSlots} (a power of two): tests. */
  static SmtStateStore durable(Store store, int cacheSlots) {
    return new SmtStateStore((VersionedValues) new StoredVersionedValues(store, cacheSlots));
  }

  @Override
  public synchronized byte[] get(byte[] key) {
    byte[] p = pending.get(key);
    if (p != null) {
      return p == DELETED ? null : p.clone();
    }
    return versions.latestValue(tree.latestVersion(), key);
  }

  @Override
  public synchronized void put(byte[] key, byte[] value) {
    if (key.length != 32) {
      throw new IllegalArgumentException("state keys are 32 bytes");
    }
    pending.put(key.clone(), value == null ? DELETED : value.clone());
  }

  @Override
  public synchronized byte[] root() {
    flush();
    return tree.root(tree.latestVersion());
  }

  /** The newest version (after flushing pending writes), readable and provable forever after. */
  public synchronized Version snapshot() {
    flush();
    return new Version(tree.latestVersion());
  }

  /** A view of {@code version} (-1: the empty state before the first version). */
  public Version at(long version) {
    if (version < -1 || version > tree.latestVersion()) {
      throw new IllegalArgumentException("no state version " + version);
    }
    return new Version(version);
  }

  /** The newest version, -1 when none; writes not yet flushed by {@link #root} do not count. */
  public long latestVersion() {
    return tree.latestVersion();
  }

  /**
   * Adds every version not yet written (flushing pending writes first) to {@code batch}: their
   * nodes, values and roots, and the latest-version pointer. Returns the newest version staged, or
   * -1 when nothing needs writing (always so for the in-memory form). After the caller wrote the
   * batch it calls {@link #written} with that version.
   */
  public synchronized long stage(WriteBatch batch) {
    flush();
    return versions.stage(batch);
  }

  /** The versions up to {@code version} are in the store now: their in-memory copies go. */
  public synchronized void written(long version) {
    versions.written(version);
  }

  /** {@link #stage}, write and {@link #written} in one: for callers with nothing else to write. */
  public synchronized void persist(Store store, Durability durability) {
    try (WriteBatch batch = store.newBatch()) {
      long version = stage(batch);
      if (version >= 0) {
        store.write(batch, durability);
        written(version);
      }
    }
  }

  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    byte[][] keys = new byte[pending.size()][];
    byte[][] vals = new byte[pending.size()][];
    int i = 0;
    for (Map.Entry<byte[], byte[]> e : pending.entrySet()) {
      keys[i] = e.getKey();
      vals[i++] = e.getValue() == DELETED ? null : e.getValue();
    }
    tree.update(keys, vals);
    versions.putValues(tree.latestVersion(), keys, vals);
    pending.clear();
  }

  /** One tree version as a {@link ProvableState}. */
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

    @Override
    public byte[] root() {
      return tree.root(version);
    }

    @Override
    public byte[] get(byte[] key) {
      if (key.length != 32) {
        throw new IllegalArgumentException("state keys are 32 bytes");
      }
      return versions.valueAt(version, key);
    }

    /**
     * The tree's proof in {@link SparseMerkleProof} form: where the key's search ended (its own
     * leaf, another key's leaf on its path, or an empty subtree) and the siblings. A membership
     * proof is checked against the stored value, so the tree and the value store cannot disagree
     * unnoticed.
     */
    @Override
    public SparseMerkleProof prove(byte[] key) {
      SmtProof proof = tree.prove(version, key);
      SparseMerkleProof converted =
          new SparseMerkleProof(
              key.clone(), proof.leafKey(), proof.leafValueHash(), proof.siblings());
      byte[] value = get(key);
      boolean consistent =
          value == null
              ? !converted.isMembership()
              : converted.isMembership()
                  && Arrays.equals(converted.leafValueHash(), Sha256.digest(value));
      if (!consistent) {
        throw new IllegalStateException(
            "tree and value store disagree on a key at version " + version);
      }
      return converted;
    }
  }
}
