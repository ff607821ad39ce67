package dev.agentledger.node.execution.state;

import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.node.storage.StateLayout;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
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

  /** One version not yet written. */
  private static final class Delta {
    final long version;
    final byte[] root;
    final List<byte[]> nodeKeys;
    final List<byte[]> nodeValues;
    final Map<ByteBuffer, byte[]> nodes;
    final Map<ByteBuffer, byte[]> values = new ConcurrentHashMap<>();

    Delta(long version, byte[] root, List<byte[]> nodeKeys, List<byte[]> nodeValues) {
      this.version = version;
      this.root = root;
      this.nodeKeys = nodeKeys;
      this.nodeValues = nodeValues;
      Map<ByteBuffer, byte[]> map = new HashMap<>(nodeKeys.size() * 2);
      for (int i = 0; i < nodeKeys.size(); i++) {
        map.put(ByteBuffer.wrap(nodeKeys.get(i)), nodeValues.get(i));
      }
      this.nodes = map;
    }
  }

  private final Store store;
  private final ConcurrentSkipListMap<Long, Delta> unwritten = new ConcurrentSkipListMap<>();
  private volatile long latest;

  StoredVersionedValues(Store store) {
    this.store = store;
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
    if (!unwritten.isEmpty()) {
      ByteBuffer k = ByteBuffer.wrap(key);
      for (Delta d : unwritten.descendingMap().values()) {
        byte[] node = d.nodes.get(k);
        if (node != null) {
          return node.clone();
        }
      }
    }
    return store.get(StateLayout.NODES, key);
  }

  @Override
  public void commit(long version, byte[] root, List<byte[]> keys, List<byte[]> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException("keys and values differ in number");
    }
    if (version <= latest) {
      throw new IllegalArgumentException("version " + version + " is not after " + latest);
    }
    List<byte[]> k = new ArrayList<>(keys.size());
    List<byte[]> v = new ArrayList<>(values.size());
    for (int i = 0; i < keys.size(); i++) {
      k.add(keys.get(i).clone());
      v.add(values.get(i).clone());
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
    store.scan(StateLayout.VALUES, StateLayout.valueKey(key, version), (entryKey, entryValue) -> {
      if (StateLayout.isValueKeyOf(entryKey, key)) {
        found[0] = StateLayout.decodeValue(entryValue);
      }
      return false;
    });
    return found[0];
  }

  @Override
  public void putValues(long version, byte[][] keys, byte[][] values) {
    Delta d = unwritten.get(version);
    if (d == null) {
      throw new IllegalStateException("version " + version + " was not committed to the tree");
    }
    for (int i = 0; i < keys.length; i++) {
      d.values.put(ByteBuffer.wrap(keys[i].clone()), values[i] == null ? DELETED : values[i].clone());
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
        batch.put(StateLayout.VALUES, StateLayout.valueKey(e.getKey().array(), d.version),
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
    unwritten.headMap(version, true).clear();
  }
}
