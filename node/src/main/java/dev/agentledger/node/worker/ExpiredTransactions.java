package dev.agentledger.node.worker;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The ids of the last {@link #CAPACITY} transactions this validator accepted and then dropped
 * without batching them (held for a nonce gap past the bound, or evicted while held), so that
 * {@code TX_QUERY} answers them as expired instead of "not committed yet" forever. The oldest id is
 * forgotten first. Each drop gets the next sequence number; with a data directory the node writes
 * the id under it to disk ({@code IngressLog#rememberExpired}, a ring of the same capacity) and
 * {@link #restore}s them at start, so an expired id still answers expired after a restart.
 * Single-threaded (the worker agent); it allocates per dropped transaction, which is off the
 * per-transaction path.
 */
final class ExpiredTransactions {
  /** Ids remembered: far more than a validator drops between two polls of a client. */
  static final int CAPACITY = 1 << 16;

  private final int capacity;
  private final Set<ByteBuffer> ids = new HashSet<>();
  private final ArrayDeque<ByteBuffer> order = new ArrayDeque<>();
  private long total;
  private long nextSequence;

  ExpiredTransactions() {
    this(CAPACITY);
  }

  /**
   * @param capacity ids remembered, a power of two
   */
  ExpiredTransactions(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Remembers {@code id} (32 bytes, copied).
   *
   * @return the drop's sequence number, or -1 when the id was remembered already
   */
  long add(byte[] id) {
    if (!remember(id)) {
      return -1;
    }
    total++;
    return nextSequence++;
  }

  /**
   * Remembers {@code id}, dropped as the {@code sequence}-th drop before this start (oldest first).
   */
  void restore(long sequence, byte[] id) {
    remember(id);
    nextSequence = Math.max(nextSequence, sequence + 1);
  }

  private boolean remember(byte[] id) {
    ByteBuffer key = ByteBuffer.wrap(id.clone());
    if (!ids.add(key)) {
      return false;
    }
    order.addLast(key);
    if (order.size() > capacity) {
      ids.remove(order.removeFirst());
    }
    return true;
  }

  /** The ring's size. */
  int capacity() {
    return capacity;
  }

  /** Whether {@code id} was dropped (and is still remembered). */
  boolean contains(byte[] id) {
    return ids.contains(ByteBuffer.wrap(id));
  }

  /** Ids remembered now. */
  int size() {
    return order.size();
  }

  /** Ids added since start (remembered or forgotten since). */
  long total() {
    return total;
  }
}
