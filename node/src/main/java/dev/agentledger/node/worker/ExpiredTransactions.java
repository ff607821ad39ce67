package dev.agentledger.node.worker;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The ids of the last {@link #CAPACITY} transactions this validator accepted and then dropped
 * without batching them (held for a nonce gap past the bound, or evicted while held), so that
 * {@code TX_QUERY} answers them as expired instead of "not committed yet" forever. The oldest id is
 * forgotten first. Single-threaded (the worker agent); it allocates per dropped transaction, which
 * is off the per-transaction path.
 */
final class ExpiredTransactions {
  /** Ids remembered: far more than a validator drops between two polls of a client. */
  static final int CAPACITY = 1 << 16;

  private final Set<ByteBuffer> ids = new HashSet<>();
  private final ArrayDeque<ByteBuffer> order = new ArrayDeque<>();
  private long total;

  /** Remembers {@code id} (32 bytes, copied). */
  void add(byte[] id) {
    ByteBuffer key = ByteBuffer.wrap(id.clone());
    if (!ids.add(key)) {
      return;
    }
    order.addLast(key);
    total++;
    if (order.size() > CAPACITY) {
      ids.remove(order.removeFirst());
    }
  }

  /** Whether {@code id} was dropped (and is still remembered). */
  boolean contains(byte[] id) {
    return ids.contains(ByteBuffer.wrap(id));
  }

  /** Ids added since start (remembered or forgotten since). */
  long total() {
    return total;
  }
}
