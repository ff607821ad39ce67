package dev.agentledger.node.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A man in the middle on loopback: accepts connections, opens one to {@code targetPort} for each,
 * and forwards bytes both ways, recording them. On request it injects bytes into, or flips the last
 * byte of, the next chunk travelling towards the target. Threads are daemons; {@link #close} ends
 * them.
 */
final class Relay implements AutoCloseable {
  /** The bytes of one relayed connection. */
  static final class Session {
    final ByteArrayOutputStream toTarget = new ByteArrayOutputStream();
    final ByteArrayOutputStream fromTarget = new ByteArrayOutputStream();

    synchronized byte[] toTarget() {
      return toTarget.toByteArray();
    }

    synchronized byte[] fromTarget() {
      return fromTarget.toByteArray();
    }
  }

  private final ServerSocket server;
  private final int targetPort;
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger closed = new AtomicInteger();
  private volatile byte[] injectNext;
  private volatile boolean flipNext;

  Relay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  Session session(int i) {
    return sessions.get(i);
  }

  int sessions() {
    return sessions.size();
  }

  /** Writes {@code bytes} towards the target just before the next forwarded chunk. */
  void injectBeforeNextChunk(byte[] bytes) {
    injectNext = bytes.clone();
  }

  /** Flips the last byte of the next chunk forwarded towards the target. */
  void flipNextChunk() {
    flipNext = true;
  }

  /** Waits (up to 60 s) until {@code n} relayed connections have ended. */
  void awaitClosed(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (closed.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + closed.get() + " relayed connections ended, not " + n);
      }
      Thread.sleep(10);
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(target);
        Session session = new Session();
        sessions.add(session);
        AtomicInteger ends = new AtomicInteger();
        Runnable end =
            () -> {
              quietClose(client);
              quietClose(target);
              if (ends.incrementAndGet() == 2) {
                closed.incrementAndGet();
              }
            };
        start(() -> pump(client, target, session, true, end));
        start(() -> pump(target, client, session, false, end));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r, "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to, Session session, boolean towardsTarget, Runnable end) {
    byte[] chunk = new byte[64 << 10];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (towardsTarget) {
          byte[] inject = injectNext;
          if (inject != null) {
            injectNext = null;
            out.write(inject);
          }
          if (flipNext) {
            flipNext = false;
            chunk[n - 1] ^= 0x01;
          }
        }
        synchronized (session) {
          (towardsTarget ? session.toTarget : session.fromTarget).write(chunk, 0, n);
        }
        out.write(chunk, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed or reset
    } finally {
      end.run();
    }
  }

  private static void quietClose(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      quietClose(s);
    }
  }
}
