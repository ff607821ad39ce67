package dev.agentledger.node.net;

import org.agrona.DirectBuffer;

/**
 * Receives what a {@link Transport} reads. Called on I/O threads: implementations copy what they
 * need (typically into a ring buffer for their agent) and return quickly. Frames are validated
 * ({@link Wire#validate}) before delivery; the buffer is valid only during the call.
 */
public interface TransportListener {
  /** A validated peer frame (header included) from authenticated validator {@code peer}. */
  void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length);

  /**
   * A validated client request frame (header included) from client connection {@code connection}.
   */
  void onClientFrame(long connection, DirectBuffer buffer, int offset, int length);

  default void onPeerUp(int peer) {}

  default void onPeerDown(int peer) {}
}
