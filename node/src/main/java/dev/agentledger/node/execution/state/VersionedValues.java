package dev.agentledger.node.execution.state;

import dev.agentledger.hash.smt.NodeStore;
import dev.agentledger.node.storage.WriteBatch;

/**
 * Where {@link SmtStateStore} keeps the tree's nodes and roots (as a {@link NodeStore}) and the
 * values its leaves commit to, per version. Reads are thread-safe; writes come from the single
 * writer.
 */
interface VersionedValues {
  /** The tree's node store. */
  NodeStore nodes();

  /** What {@code key} holds at {@code version} (the newest write at or before it), or null. */
  byte[] valueAt(long version, byte[] key);

  /**
   * What {@code key} holds at the newest version {@code latestVersion}: the writer's read (the
   * executor's), which an implementation may serve from a cache of recent values.
   */
  default byte[] latestValue(long latestVersion, byte[] key) {
    return valueAt(latestVersion, key);
  }

  /**
   * Records the writes of {@code version}, just committed to the tree ({@code values[i]} null:
   * removed).
   */
  void putValues(long version, byte[][] keys, byte[][] values);

  /** Adds the versions not yet written to {@code batch}; the newest of them, or -1 when none. */
  long stage(WriteBatch batch);

  /** The versions up to {@code version} were written. */
  void written(long version);
}
