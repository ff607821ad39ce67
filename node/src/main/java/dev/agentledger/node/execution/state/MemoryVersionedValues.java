package dev.agentledger.node.execution.state;

import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.node.storage.WriteBatch;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Values in memory (a history per key), nodes in a given {@link NodeStore}: nothing to write. */
final class MemoryVersionedValues implements VersionedValues {
  private static final byte[] DELETED = new byte[0];

  private final NodeStore nodes;

  /** key -> (version -> value, DELETED for a removal), keys in unsigned order. */
  private final TreeMap<byte[], TreeMap<Long, byte[]>> values =
      new TreeMap<>(Arrays::compareUnsigned);

  MemoryVersionedValues(NodeStore nodes) {
    this.nodes = nodes;
  }

  @Override
  public NodeStore nodes() {
    return nodes;
  }

  @Override
  public synchronized byte[] valueAt(long version, byte[] key) {
    TreeMap<Long, byte[]> history = values.get(key);
    if (history == null) {
      return null;
    }
    Map.Entry<Long, byte[]> e = history.floorEntry(version);
    return e == null || e.getValue() == DELETED ? null : e.getValue().clone();
  }

  @Override
  public synchronized void putValues(long version, byte[][] keys, byte[][] vals) {
    for (int i = 0; i < keys.length; i++) {
      values
          .computeIfAbsent(keys[i].clone(), k -> new TreeMap<>())
          .put(version, vals[i] == null ? DELETED : vals[i].clone());
    }
  }

  @Override
  public long stage(WriteBatch batch) {
    return -1;
  }

  @Override
  public void written(long version) {}
}
