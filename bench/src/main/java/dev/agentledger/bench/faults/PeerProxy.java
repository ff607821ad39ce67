package dev.agentledger.bench.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A userspace TCP proxy in front of one validator's peer port: the committee's genesis names the
 * proxy's port, the validator listens on another, and every peer link to the validator passes
 * through here. {@link #cut()} closes every relayed connection and refuses new ones until {@link
 * #heal()} (a network partition of that validator's inbound links); the first bytes a dialer sent
 * on the first relayed connection are kept, for a relay attacker to replay. One accepting thread
 * and two copying threads per connection, all daemons, stopped by {@link #close()}.
 */
final class PeerProxy implements AutoCloseable {
  /** Bytes kept of the first connection's dialer-to-validator stream. */
  static final int RECORD_BYTES = 64 * 1024;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean cut;
  private volatile boolean closed;
  private final byte[] recorded = new byte[RECORD_BYTES];
  private volatile int recordedLength;

  /** Listens on loopback {@code listenPort} and relays to loopback {@code targetPort}. */
  PeerProxy(String name, int listenPort, int targetPort) throws IOException {
    this(
        name,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
  }

  /** Listens on {@code listen} and relays to {@code target}. */
  PeerProxy(String name, InetSocketAddress listen, InetSocketAddress target) throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen, 64);
    this.target = target;
    this.acceptor = Thread.ofPlatform().daemon().name("proxy-" + name).start(this::acceptLoop);
  }

  /** The validator's real peer address. */
  InetSocketAddress target() {
    return target;
  }

  /** Connections relayed since start (each new peer link counts one). */
  long acceptedConnections() {
    return accepted.get();
  }

  /** Closes every relayed connection and refuses new ones. */
  void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  /** Relays again. */
  void heal() {
    cut = false;
  }

  /** The first bytes (up to {@link #RECORD_BYTES}) a dialer sent on the first relayed link. */
  byte[] recordedDialerBytes() {
    return Arrays.copyOf(recorded, recordedLength);
  }

  private void acceptLoop() {
    boolean first = true;
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (cut) {
        closeQuietly(in);
        continue;
      }
      Socket out = new Socket();
      try {
        out.connect(target, 2_000);
      } catch (IOException e) {
        closeQuietly(in);
        closeQuietly(out);
        continue;
      }
      accepted.incrementAndGet();
      open.add(in);
      open.add(out);
      boolean record = first;
      first = false;
      Thread.ofPlatform().daemon().name("proxy-copy").start(() -> copy(in, out, record));
      Thread.ofPlatform().daemon().name("proxy-copy").start(() -> copy(out, in, false));
    }
  }

  private void copy(Socket from, Socket to, boolean record) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream input = from.getInputStream();
        OutputStream output = to.getOutputStream()) {
      int n;
      while ((n = input.read(buffer)) > 0) {
        if (record && recordedLength < RECORD_BYTES) {
          int keep = Math.min(n, RECORD_BYTES - recordedLength);
          System.arraycopy(buffer, 0, recorded, recordedLength, keep);
          recordedLength += keep;
        }
        output.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // the link ended (cut, closed or reset): close both sides
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    cut();
    try {
      acceptor.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
