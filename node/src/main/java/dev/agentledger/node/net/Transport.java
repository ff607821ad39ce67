package dev.agentledger.node.net;

import java.net.InetSocketAddress;
import org.agrona.DirectBuffer;

/**
 * The node's network: authenticated links to every other validator, and a separate client ingress
 * port. Sends never block: a full per-peer queue or a missing link returns false and the caller
 * retries later (the protocol is idempotent under retransmission). Thread-safe.
 */
public interface Transport extends AutoCloseable {
  /** Binds the listeners and starts dialing peers. */
  void start();

  /** Which I/O transport was chosen: io_uring, epoll or nio. */
  String ioKind();

  InetSocketAddress peerAddress();

  InetSocketAddress clientAddress();

  /** Queues a frame (header included, no length prefix) to validator {@code peer}. */
  boolean sendToPeer(int peer, DirectBuffer frame, int offset, int length);

  /** Queues a frame to client connection {@code connection}. */
  boolean sendToClient(long connection, DirectBuffer frame, int offset, int length);

  /** Whether client connection {@code connection} is still open. */
  boolean isClientConnected(long connection);

  /**
   * Queues a last frame to client connection {@code connection} even when its send queue is over
   * its bound (one frame more), then closes the connection once it is written.
   */
  void closeClient(long connection, DirectBuffer frame, int offset, int length);

  boolean isConnected(int peer);

  /** Frames refused because a peer's send queue was full or the link was down. */
  long droppedSends();

  /** Client connections open now (none where there is no client port). */
  default int clientConnections() {
    return 0;
  }

  /** Client connections refused at accept (the port's or one address's limit) since start. */
  default long clientConnectionsRefused() {
    return 0;
  }

  /** Client connections closed for silence or for a frame not whole in time, since start. */
  default long clientConnectionsTimedOut() {
    return 0;
  }

  /**
   * The validator links' traffic since start, by name (frames sent and received; socket reads,
   * flushes, writes and bytes below TLS); none where the transport does not count it.
   */
  default void peerTraffic(java.util.function.ObjLongConsumer<String> sink) {}

  @Override
  void close();
}
