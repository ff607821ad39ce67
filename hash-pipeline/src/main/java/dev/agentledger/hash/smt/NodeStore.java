package dev.agentledger.hash.smt;

import java.util.List;

/**
 * Where the sparse Merkle tree keeps its nodes: content-addressed ({@code key} = the node's hash,
 * {@code value} = its 65-byte encoding), written in one atomic batch per version together with that
 * version's root. Nodes are immutable and shared between versions, so a store only ever adds
 * (pruning of versions no longer needed is the store's business: it knows the version that created
 * each node). Implementations: {@link InMemoryNodeStore} here; the node's RocksDB store ({@code
 * state_nodes} column family) later.
 */
public interface NodeStore {
  /** The node stored under {@code key}, or null. */
  byte[] node(byte[] key);

  /**
   * Atomically stores the nodes created by {@code version} and records {@code root} as that
   * version's root. Versions are committed in increasing order. The arrays in {@code keys} and
   * {@code values} are handed over: the caller never changes them afterwards, so a store may keep
   * them without copying.
   */
  void commit(long version, byte[] root, List<byte[]> keys, List<byte[]> values);

  /** The root of {@code version}, or null when that version was never committed. */
  byte[] root(long version);

  /** The newest committed version, or -1 when none. */
  long latestVersion();
}
