package dev.agentledger.node.sim.validator;

import dev.agentledger.node.net.Transport;
import dev.agentledger.node.net.TransportListener;
import java.net.InetSocketAddress;
import org.agrona.DirectBuffer;

/**
 * One validator's end of the {@link ValidatorSimulator}'s network: a {@link Transport} whose sends
 * copy the frame and hand it to the simulation, which delivers it after a simulated delay (or drops
 * it: partition, loss, a crashed peer). Nothing here runs on its own: the simulator calls {@link
 * #listener()} when a frame arrives, on its single thread.
 */
final class SimTransport implements Transport {
  /** What the simulation does with a frame sent from this validator. */
  interface Network {
    /** A frame to validator {@code to}; false when the link is down (dropped, like Netty's). */
    boolean toPeer(int from, int to, byte[] frame);

    /** A frame to client connection {@code connection} of validator {@code from}. */
    void toClient(int from, long connection, byte[] frame, boolean close);

    boolean clientConnected(int validator, long connection);

    boolean linked(int from, int to);
  }

  private final Network network;
  private final int self;
  private final TransportListener listener;
  private boolean open;
  private long droppedSends;

  SimTransport(Network network, int self, TransportListener listener) {
    this.network = network;
    this.self = self;
    this.listener = listener;
  }

  TransportListener listener() {
    return listener;
  }

  boolean isOpen() {
    return open;
  }

  @Override
  public void start() {
    open = true;
  }

  @Override
  public String ioKind() {
    return "sim";
  }

  @Override
  public InetSocketAddress peerAddress() {
    return InetSocketAddress.createUnresolved("sim-v" + self, 1);
  }

  @Override
  public InetSocketAddress clientAddress() {
    return InetSocketAddress.createUnresolved("sim-v" + self, 2);
  }

  @Override
  public boolean sendToPeer(int peer, DirectBuffer frame, int offset, int length) {
    if (!open || !network.toPeer(self, peer, copy(frame, offset, length))) {
      droppedSends++;
      return false;
    }
    return true;
  }

  @Override
  public boolean sendToClient(long connection, DirectBuffer frame, int offset, int length) {
    if (!open || !network.clientConnected(self, connection)) {
      return false;
    }
    network.toClient(self, connection, copy(frame, offset, length), false);
    return true;
  }

  @Override
  public boolean isClientConnected(long connection) {
    return open && network.clientConnected(self, connection);
  }

  @Override
  public void closeClient(long connection, DirectBuffer frame, int offset, int length) {
    if (open && network.clientConnected(self, connection)) {
      network.toClient(self, connection, copy(frame, offset, length), true);
    }
  }

  @Override
  public boolean isConnected(int peer) {
    return open && network.linked(self, peer);
  }

  @Override
  public long droppedSends() {
    return droppedSends;
  }

  @Override
  public void close() {
    open = false;
  }

  private static byte[] copy(DirectBuffer frame, int offset, int length) {
    byte[] bytes = new byte[length];
    frame.getBytes(offset, bytes);
    return bytes;
  }
}
