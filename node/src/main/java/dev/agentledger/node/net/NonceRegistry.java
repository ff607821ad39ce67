package dev.agentledger.node.net;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.HexFormat;

/**
 * The handshake nonces this node has seen recently, bounded (oldest forgotten first). A HELLO that
 * repeats a remembered nonce is a replayed handshake and is refused; a replayed AUTH cannot pass
 * anyway because it signs the nonce of an earlier connection. Thread-safe.
 */
public final class NonceRegistry {
  private final int capacity;
  private final HashSet<String> seen = new HashSet<>();
  private final ArrayDeque<String> order = new ArrayDeque<>();

  public NonceRegistry(int capacity) {
    this.capacity = capacity;
  }

  /** Records {@code nonce[offset, +32)}; false if it was already recorded. */
  public synchronized boolean firstSeen(byte[] nonce, int offset) {
    String key = HexFormat.of().formatHex(nonce, offset, offset + 32);
    if (!seen.add(key)) {
      return false;
    }
    order.addLast(key);
    if (order.size() > capacity) {
      seen.remove(order.removeFirst());
    }
    return true;
  }
}
