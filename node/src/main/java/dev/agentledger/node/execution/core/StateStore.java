package dev.agentledger.node.execution.core;

/**
 * The authenticated key/value state that execution reads and writes: 32-byte keys (see {@link
 * StateKeys}), small fixed-layout values. An implementation commits to its whole content with a
 * 32-byte {@link #root()} (a sparse Merkle tree in production); execution never sees how.
 *
 * <p>Single writer: the executor. {@link #get} returns {@code null} for an absent key; {@link #put}
 * with {@code null} removes the key.
 */
public interface StateStore {
  byte[] get(byte[] key);

  void put(byte[] key, byte[] value);

  /** The commitment to the current content. */
  byte[] root();
}
