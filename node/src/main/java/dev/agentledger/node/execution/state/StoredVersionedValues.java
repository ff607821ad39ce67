package dev.agentledger.node.execution.state;

import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.node.storage.StateLayout;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Nodes, roots and values in the node's {@link Store} ({@link StateLayout}). A version committed to
 * the tree first lives in an in-memory delta (its nodes, root and values), readable at once; {@link
 * #stage} adds the deltas to the caller's write batch and {@link #written} drops them once the
 * batch is in the store. Reads look at the deltas first, then the store; a delta and its written
 * copy hold the same bytes, so a read racing {@link #written} gets the same answer either way.
 */
final class StoredVersionedValues implements VersionedValues, NodeStore {
  private static final byte[] DELETED = new byte[0];

  /** One version not yet written: its nodes (also in {@link #unwrittenNodes}), root and values. */
  private static final class Delta {
    final long version;
    final byte[] root;
    final List<byte[]> nodeKeys;
    final List<byte[]> nodeValues;
    final Map<ByteBuffer, byte[]> values = new ConcurrentHashMap<>();

    Delta(long version, byte[] root, List<byte[]> nodeKeys, List<byte[]> nodeValues) {
      this.version = version;
      this.root = root;
      this.nodeKeys = nodeKeys;
      this.nodeValues = nodeValues;
    }
  }

  /** Recent keys the writer read or wrote, with their newest value (DELETED: absent). */
  static final int LATEST_CACHE_ENTRIES = 1 << 16;

  /**
   * Slots of the node cache (a power of two; about 115 bytes each when filled, 4 when empty). Every
   * commit walks the paths of the keys it changes, and a run adds a history leaf, so the tree and
   * the set of nodes a commit touches grow with the ledger; a miss costs a store seek (about 5 µs).
   * With 2^16 slots the demo's execution thread went from 75 to 180 ms of CPU per second at a
   * steady 600 tps over three minutes as the hit rate fell; 2^19 slots (at most about 60 MB) hold
   * the demo's whole tree for many minutes and the upper levels of any tree.
   */
  static final int NODE_CACHE_SLOTS = 1 << 19;

  private final Store store;
  private final java.util.concurrent.atomic.AtomicReferenceArray<byte[]> nodeCache;
  private final int cacheMask;
  private final ConcurrentSkipListMap<Long, Delta> unwritten = new ConcurrentSkipListMap<>();

  /**
   * The nodes of every version not yet written, in one map: a node is content-addressed, so the
   * same key always holds the same bytes whichever version created it, and a node dropped from here
   * once its version is written is found in the store (it is dropped only after the write). One
   * lookup per miss of the node cache, however many versions wait to be written. Written and
   * committed to by the one writer thread; when every version is written the map is replaced whole
   * (a reader still holding the old one finds the same bytes there or in the store).
   */
  private volatile ConcurrentHashMap<ByteBuffer, byte[]> unwrittenNodes = new ConcurrentHashMap<>();

  private volatile long latest;

  /**
   * The writer's cache of newest values (LRU, writer thread only): the executor reads the same
   * accounts and usage records commit after commit, and a hit saves a store seek. Exact, because
   * the newest values change only through {@link #putValues}, which updates it.
   */
  private final LinkedHashMap<ByteBuffer, byte[]> latestCache =
      new LinkedHashMap<>(1 << 12, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
          return size() > LATEST_CACHE_ENTRIES;
        }
      };

  StoredVersionedValues(Store store, int cacheSlots) {
    if (cacheSlots < 1 || Integer.bitCount(cacheSlots) != 1) {
      throw new IllegalArgumentException("node cache slots must be a power of two: " + cacheSlots);
    }
    this.store = store;
    this.nodeCache = new java.util.concurrent.atomic.AtomicReferenceArray<>(cacheSlots);
    this.cacheMask = cacheSlots - 1;
    byte[] latestKey = store.get(StateLayout.META, StateLayout.LATEST_KEY);
    this.latest = latestKey == null ? -1 : StateLayout.versionOfRootKey(latestKey);
  }

  @Override
  public NodeStore nodes() {
    return this;
  }

  // ---- NodeStore: the tree's view -----------------------------------------------------------

  @Override
  public byte[] node(byte[] key) {
    byte[] cached = cachedNode(key);
    if (cached != null) {
      return cached;
    }
    byte[] node = unwrittenNodes.get(ByteBuffer.wrap(key));
    if (node != null) {
      return node.clone();
    }
    node = store.get(StateLayout.NODES, key);
    if (node != null) {
      cacheNode(key, node);
    }
    return node;
  }

  /**
   * Nodes are content-addressed and immutable, so a cache of them can never be stale: a
   * direct-mapped table (slot from the hash's first bytes), each slot one {@code hash || node}
   * array swapped in whole, safe for the tree's fork-join update threads and the readers alike.
   */
  private byte[] cachedNode(byte[] key) {
    if (key.length != 32) {
      return null;
    }
    byte[] entry = nodeCache.get(slot(key));
    if (entry == null || !java.util.Arrays.equals(entry, 0, 32, key, 0, 32)) {
      return null;
    }
    return java.util.Arrays.copyOfRange(entry, 32, entry.length);
  }

  private void cacheNode(byte[] key, byte[] node) {
    if (key.length != 32) {
      return;
    }
    byte[] entry = new byte[32 + node.length];
    System.arraycopy(key, 0, entry, 0, 32);
    System.arraycopy(node, 0, entry, 32, node.length);
    nodeCache.set(slot(key), entry);
  }

  private int slot(byte[] hash) {
    return ((hash[0] & 0xFF) << 16 | (hash[1] & 0xFF) << 8 | (hash[2] & 0xFF)) & cacheMask;
  }

  @Override
  public void commit(long version, byte[] root, List<byte[]> keys, List<byte[]> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException("keys and values differ in number");
    }
    if (version <= latest) {
      throw new IllegalArgumentException("version " + version + " is not after " + latest);
    }
    // The tree hands over arrays it created for this version and never touches again (see
    // NodeStore#commit), so they are kept as they are: no copy per node.
    List<byte[]> k = List.copyOf(keys);
    List<byte[]> v = List.copyOf(values);
    for (int i = 0; i < k.size(); i++) {
      unwrittenNodes.put(ByteBuffer.wrap(k.get(i)), v.get(i));
      cacheNode(k.get(i), v.get(i));
    }
    unwritten.put(version, new Delta(version, root.clone(), k, v));
    latest = version;
  }

  @Override
  public byte[] root(long version) {
    Delta d = unwritten.get(version);
    if (d != null) {
      return d.root.clone();
    }
    return version < 0 ? null : store.get(StateLayout.META, StateLayout.rootKey(version));
  }

  @Override
  public long latestVersion() {
    return latest;
  }

  // ---- values ---------------------------------------------------------------------------------

  @Override
  public byte[] valueAt(long version, byte[] key) {
    if (version < 0) {
      return null;
    }
    ConcurrentNavigableMap<Long, Delta> candidates = unwritten.headMap(version, true);
    if (!candidates.isEmpty()) {
      ByteBuffer k = ByteBuffer.wrap(key);
      for (Delta d : candidates.descendingMap().values()) {
        byte[] v = d.values.get(k);
        if (v != null) {
          return v == DELETED ? null : v.clone();
        }
      }
    }
    byte[][] found = new byte[1][];
    store.scan(
        StateLayout.VALUES,
        StateLayout.valueKey(key, version),
        (entryKey, entryValue) -> {
          if (StateLayout.isValueKeyOf(entryKey, key)) {
            found[0] = StateLayout.decodeValue(entryValue);
          }
          return false;
        });
    return found[0];
  }

  @Override
  public byte[] latestValue(long latestVersion, byte[] key) {
    if (latestVersion != latest) {
      return valueAt(latestVersion, key);
    }
    byte[] cached = latestCache.get(ByteBuffer.wrap(key));
    if (cached != null) {
      return cached == DELETED ? null : cached.clone();
    }
    byte[] value = valueAt(latestVersion, key);
    latestCache.put(ByteBuffer.wrap(key.clone()), value == null ? DELETED : value.clone());
    return value;
  }

  @Override
  public void putValues(long version, byte[][] keys, byte[][] values) {
    Delta d = unwritten.get(version);
    if (d == null || version != latest) {
      throw new IllegalStateException(
          "version " + version + " is not the newest committed to the tree");
    }
    for (int i = 0; i < keys.length; i++) {
      ByteBuffer key = ByteBuffer.wrap(keys[i].clone());
      byte[] value = values[i] == null ? DELETED : values[i].clone();
      d.values.put(key, value);
      latestCache.put(key, value);
    }
  }

  @Override
  public long stage(WriteBatch batch) {
    long newest = -1;
    for (Delta d : unwritten.values()) {
      for (int i = 0; i < d.nodeKeys.size(); i++) {
        batch.put(StateLayout.NODES, d.nodeKeys.get(i), d.nodeValues.get(i));
      }
      for (Map.Entry<ByteBuffer, byte[]> e : d.values.entrySet()) {
        byte[] value = e.getValue();
        batch.put(
            StateLayout.VALUES,
            StateLayout.valueKey(e.getKey().array(), d.version),
            StateLayout.encodeValue(value == DELETED ? null : value));
      }
      batch.put(StateLayout.META, StateLayout.rootKey(d.version), d.root);
      newest = d.version;
    }
    if (newest >= 0) {
      batch.put(StateLayout.META, StateLayout.LATEST_KEY, StateLayout.rootKey(newest));
    }
    return newest;
  }

  @Override
  public void written(long version) {
    ConcurrentNavigableMap<Long, Delta> done = unwritten.headMap(version, true);
    if (done.size() == unwritten.size()) {
      unwrittenNodes = new ConcurrentHashMap<>();
    } else {
      for (Delta d : done.values()) {
        for (byte[] key : d.nodeKeys) {
          unwrittenNodes.remove(ByteBuffer.wrap(key));
        }
      }
    }
    done.clear();
  }
}
