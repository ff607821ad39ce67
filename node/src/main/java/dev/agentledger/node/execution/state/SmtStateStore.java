package dev.agentledger.node.execution.state;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.hash.smt.SmtProof;
import dev.agentledger.hash.smt.SparseMerkleTree;
import dev.agentledger.node.execution.core.StateStore;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link StateStore} over hash-pipeline's versioned {@link SparseMerkleTree} and its {@link
 * NodeStore}: writes of a commit collect in an overlay and go into the tree as one sorted batch
 * when the root is asked for, so each commit is one tree version. The tree commits to value
 * hashes; the values themselves are kept here per version (in memory; the node's RocksDB store
 * will keep them in a column family next to {@code state_nodes}).
 *
 * <p>Hashing and proof shape are those of {@link SparseMerkleState} (same leaf, node and empty
 * hashes, same compaction), so the two give identical roots and proofs; a test holds them to it.
 * Single writer; {@link #version} views may be read from other threads once taken.
 */
public final class SmtStateStore implements StateStore {
  private static final byte[] DELETED = new byte[0];

  private final SparseMerkleTree tree;
  /** key -> (version -> value, DELETED for a removal), keys in unsigned order. */
  private final TreeMap<byte[], TreeMap<Long, byte[]>> values = new TreeMap<>(Arrays::compareUnsigned);
  private final TreeMap<byte[], byte[]> pending = new TreeMap<>(Arrays::compareUnsigned);

  public SmtStateStore(NodeStore nodes) {
    this.tree = new SparseMerkleTree(nodes);
  }

  @Override
  public synchronized byte[] get(byte[] key) {
    byte[] p = pending.get(key);
    if (p != null) {
      return p == DELETED ? null : p.clone();
    }
    return valueAt(tree.latestVersion(), key);
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
  public synchronized ProvableState snapshot() {
    flush();
    return new Version(tree.latestVersion());
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
    long version = tree.latestVersion();
    for (Map.Entry<byte[], byte[]> e : pending.entrySet()) {
      values.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(version, e.getValue());
    }
    pending.clear();
  }

  private synchronized byte[] valueAt(long version, byte[] key) {
    TreeMap<Long, byte[]> history = values.get(key);
    if (history == null) {
      return null;
    }
    Map.Entry<Long, byte[]> e = history.floorEntry(version);
    return e == null || e.getValue() == DELETED ? null : e.getValue().clone();
  }

  private synchronized boolean presentAt(long version, byte[] key) {
    return valueAt(version, key) != null;
  }

  /** One tree version as a {@link ProvableState}. */
  private final class Version implements ProvableState {
    private final long version;

    Version(long version) {
      this.version = version;
    }

    @Override
    public byte[] root() {
      return tree.root(version);
    }

    @Override
    public byte[] get(byte[] key) {
      return valueAt(version, key);
    }

    /**
     * The tree's proof in {@link SparseMerkleProof} form. The tree's proof object does not expose
     * where the search ended, so it is reconstructed: the key's own leaf when the key is present;
     * otherwise an empty subtree, or the one other leaf on the key's path, which is the nearest
     * present key below or above it in unsigned order (a subtree's keys are a contiguous range).
     * Each candidate is checked against the tree's own proof before it is returned.
     */
    @Override
    public SparseMerkleProof prove(byte[] key) {
      SmtProof proof = tree.prove(version, key);
      byte[] root = tree.root(version);
      byte[] value = get(key);
      if (value != null) {
        byte[] valueHash = Sha256.digest(value);
        if (!proof.verifyMembership(root, key, valueHash)) {
          throw new IllegalStateException("tree and value store disagree on a key");
        }
        return new SparseMerkleProof(key.clone(), key.clone(), valueHash, proof.siblings());
      }
      SparseMerkleProof empty = new SparseMerkleProof(key.clone(), null, null, proof.siblings());
      if (empty.verify(root, null)) {
        return empty;
      }
      for (byte[] neighbour : new byte[][] {neighbour(key, true), neighbour(key, false)}) {
        if (neighbour != null) {
          SparseMerkleProof candidate =
              new SparseMerkleProof(key.clone(), neighbour, Sha256.digest(get(neighbour)), proof.siblings());
          if (candidate.verify(root, null)) {
            return candidate;
          }
        }
      }
      throw new IllegalStateException("no leaf on the path of an absent key");
    }

    private byte[] neighbour(byte[] key, boolean below) {
      synchronized (SmtStateStore.this) {
        byte[] k = key;
        while ((k = below ? values.lowerKey(k) : values.higherKey(k)) != null) {
          if (presentAt(version, k)) {
            return k.clone();
          }
        }
        return null;
      }
    }
  }
}
