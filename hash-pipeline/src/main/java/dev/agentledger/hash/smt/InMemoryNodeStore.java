package dev.agentledger.hash.smt;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link NodeStore} in memory (tests, simulation, tools). Thread-safe. */
public final class InMemoryNodeStore implements NodeStore {
  private final Map<ByteBuffer, byte[]> nodes = new HashMap<>();
  private final Map<ByteBuffer, Long> createdAt = new HashMap<>();
  private final TreeMap<Long, byte[]> roots = new TreeMap<>();

  @Override
  public synchronized byte[] node(byte[] key) {
    byte[] value = nodes.get(ByteBuffer.wrap(key));
    return value == null ? null : value.clone();
  }

  @Override
  public synchronized void commit(
      long version, byte[] root, List<byte[]> keys, List<byte[]> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException("keys and values differ in number");
    }
    if (!roots.isEmpty() && version <= roots.lastKey()) {
      throw new IllegalArgumentException("version " + version + " is not after " + roots.lastKey());
    }
    for (int i = 0; i < keys.size(); i++) {
      ByteBuffer key = ByteBuffer.wrap(keys.get(i).clone());
      nodes.putIfAbsent(key, values.get(i).clone());
      createdAt.putIfAbsent(key, version);
    }
    roots.put(version, root.clone());
  }

  @Override
  public synchronized byte[] root(long version) {
    byte[] root = roots.get(version);
    return root == null ? null : root.clone();
  }

  @Override
  public synchronized long latestVersion() {
    return roots.isEmpty() ? -1 : roots.lastKey();
  }

  /** Number of distinct nodes stored. */
  public synchronized int nodeCount() {
    return nodes.size();
  }
}
