package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.net.tls.TlsPeers;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real sockets on loopback against the mutual-TLS validator link: a relay between two validators
 * reads nothing and gets nothing accepted, a second session for a linked validator never displaces
 * the live link, recorded sessions do not replay, and outsider, wrong and borrowed keys are refused
 * in both directions.
 */
class LinkSecurityTest {
  static final int CHAIN = 11;

  /** A pattern every honest test frame carries as its digest; it must never appear on the wire. */
  static final byte[] SECRET = filled(0x5C);

  final List<NettyTransport> transports = new ArrayList<>();
  final List<AutoCloseable> closeables = new ArrayList<>();

  record Received(int peer, byte type, long seq) {}

  static final class Recorder implements TransportListener {
    final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> up = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> down = new LinkedBlockingQueue<>();

    @Override
    public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {
      long seq = buffer.getLong(offset + Wire.HEADER_LENGTH + Wire.BATCH_SEQ, Wire.LE);
      frames.add(new Received(peer, Wire.type(buffer, offset), seq));
    }

    @Override
    public void onClientFrame(long connection, DirectBuffer buffer, int offset, int length) {}

    @Override
    public void onPeerUp(int peer) {
      up.add(peer);
    }

    @Override
    public void onPeerDown(int peer) {
      down.add(peer);
    }
  }

  static byte[] filled(int value) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @AfterEach
  void close() throws Exception {
    transports.forEach(NettyTransport::close);
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  NettyTransport start(
      Committee view, int index, int peerPort, int clientPort, Ed25519KeyPair key, Recorder r) {
    return start(view, index, peerPort, clientPort, key, r, IoKind.detect());
  }

  NettyTransport start(
      Committee view,
      int index,
      int peerPort,
      int clientPort,
      Ed25519KeyPair key,
      Recorder r,
      IoKind kind) {
    NettyTransport t =
        new NettyTransport(
            new NettyTransport.Config(
                "127.0.0.1", peerPort, "127.0.0.1", clientPort, kind, 1, 1 << 20),
            view,
            index,
            CHAIN,
            key,
            r);
    t.start();
    transports.add(t);
    return t;
  }

  /** The committee as {@code n} validators at {@code peerPorts}; views differ only in ports. */
  static Committee view(int[] peerPorts, int[] clientPorts) {
    return TestKeys.committee(peerPorts.length, peerPorts, clientPorts);
  }

  static UnsafeBuffer frame(long seq) {
    UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
    Wire.batchRequest(frame, 0, 0, seq, SECRET);
    return frame;
  }

  /** Sends a BATCH_REQUEST numbered {@code seq}, waiting for the link to accept it. */
  static void send(NettyTransport from, int to, long seq) throws InterruptedException {
    UnsafeBuffer frame = frame(seq);
    int length = Wire.HEADER_LENGTH + Wire.REQUEST_LENGTH;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!from.sendToPeer(to, frame, 0, length)) {
      assertThat(System.nanoTime()).as("link to %d never writable", to).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** The same frame as raw length-prefixed bytes, the way it would travel without TLS. */
  static byte[] plaintext(long seq) {
    int length = Wire.HEADER_LENGTH + Wire.REQUEST_LENGTH;
    byte[] bytes = new byte[4 + length];
    new UnsafeBuffer(bytes).putInt(0, length, Wire.LE);
    frame(seq).getBytes(0, bytes, 4, length);
    return bytes;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static Received poll(BlockingQueue<Received> q) throws InterruptedException {
    return q.poll(30, TimeUnit.SECONDS);
  }

  static Integer pollInt(BlockingQueue<Integer> q) throws InterruptedException {
    return q.poll(30, TimeUnit.SECONDS);
  }

  /**
   * The node ends the connection: end of stream or a TLS alert, never a silent hang. A TLS socket
   * that the JDK already closed itself (it does so on a fatal alert or a failed handshake) counts
   * as refused; nothing else closes it before the caller's try-with-resources ends.
   */
  static void assertClosedByNode(Socket socket) throws IOException {
    if (socket.isClosed()) {
      return;
    }
    try {
      socket.setSoTimeout(30_000);
    } catch (java.net.SocketException closedMeanwhile) {
      return; // closed by the JDK after the alert, between the check and here
    }
    try {
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // drain what the node sent before closing (its handshake messages)
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the node kept the connection open", e);
    } catch (SSLException | java.net.SocketException e) {
      // an alert or a reset: refused
    }
  }

  @ParameterizedTest
  @EnumSource(IoKind.class)
  void linksComeUpAndCarryFramesOnEveryAvailableTransport(IoKind kind) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        IoKind.available(kind), () -> kind.label() + " unavailable here");
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Committee committee = view(peerPorts, clientPorts);
    Recorder r0 = new Recorder();
    Recorder r1 = new Recorder();
    NettyTransport t0 =
        start(committee, 0, peerPorts[0], clientPorts[0], TestKeys.key(0), r0, kind);
    NettyTransport t1 =
        start(committee, 1, peerPorts[1], clientPorts[1], TestKeys.key(1), r1, kind);
    assertThat(pollInt(r0.up)).isEqualTo(1);
    assertThat(pollInt(r1.up)).isEqualTo(0);
    send(t0, 1, 1);
    send(t1, 0, 2);
    assertThat(poll(r1.frames)).isEqualTo(new Received(0, MessageType.BATCH_REQUEST, 1));
    assertThat(poll(r0.frames)).isEqualTo(new Received(1, MessageType.BATCH_REQUEST, 2));
  }

  @Test
  void aRelayBetweenTwoValidatorsReadsNothingAndCannotInjectOrAlterAFrame() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Recorder r0 = new Recorder();
    Recorder r1 = new Recorder();
    NettyTransport t1 =
        start(view(peerPorts, clientPorts), 1, peerPorts[1], clientPorts[1], TestKeys.key(1), r1);
    Relay relay = new Relay(peerPorts[1]);
    closeables.add(relay);
    // Validator 0 reaches validator 1 only through the relay.
    Committee through = view(new int[] {peerPorts[0], relay.port()}, clientPorts);
    NettyTransport t0 = start(through, 0, peerPorts[0], clientPorts[0], TestKeys.key(0), r0);
    assertThat(pollInt(r1.up)).isEqualTo(0);
    assertThat(pollInt(r0.up)).isEqualTo(1);
    send(t0, 1, 1);
    send(t1, 0, 2);
    assertThat(poll(r1.frames)).isEqualTo(new Received(0, MessageType.BATCH_REQUEST, 1));
    assertThat(poll(r0.frames)).isEqualTo(new Received(1, MessageType.BATCH_REQUEST, 2));

    // The relay carried TLS records only: no frame, no digest in the clear.
    Relay.Session seen = relay.session(0);
    assertThat(seen.toTarget()[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
    assertThat(indexOf(seen.toTarget(), SECRET)).isNegative();
    assertThat(indexOf(seen.fromTarget(), SECRET)).isNegative();

    // Injecting a well-formed frame as validator 0: refused, the carried connection ends.
    relay.injectBeforeNextChunk(plaintext(666));
    send(t0, 1, 3);
    assertThat(pollInt(r1.down)).isEqualTo(0);
    assertThat(pollInt(r1.up)).as("validator 0 reconnects through the relay").isEqualTo(0);
    send(t0, 1, 4);
    assertThat(poll(r1.frames)).isEqualTo(new Received(0, MessageType.BATCH_REQUEST, 4));

    // Altering one ciphertext byte of a frame: the record fails authentication.
    relay.flipNextChunk();
    send(t0, 1, 5);
    assertThat(pollInt(r1.down)).isEqualTo(0);
    assertThat(pollInt(r1.up)).isEqualTo(0);
    send(t0, 1, 6);
    assertThat(poll(r1.frames)).isEqualTo(new Received(0, MessageType.BATCH_REQUEST, 6));
    assertThat(r1.frames).as("nothing injected or altered was delivered").isEmpty();
  }

  @Test
  void aSecondSessionForALinkedValidatorNeverDisplacesTheLiveLink() throws Exception {
    int[] peerPorts = TestKeys.freePorts(3);
    int[] clientPorts = TestKeys.freePorts(3);
    Committee committee = view(new int[] {peerPorts[0], peerPorts[1]}, clientPorts);
    Recorder r0 = new Recorder();
    Recorder r1 = new Recorder();
    NettyTransport t0 = start(committee, 0, peerPorts[0], clientPorts[0], TestKeys.key(0), r0);
    NettyTransport t1 = start(committee, 1, peerPorts[1], clientPorts[1], TestKeys.key(1), r1);
    assertThat(pollInt(r1.up)).isEqualTo(0);
    assertThat(pollInt(r0.up)).isEqualTo(1);

    // The strongest claimant: a second process holding validator 0's real key, its sessions
    // relayed to validator 1 (what a relay of a genuine handshake would achieve at best).
    Relay relay = new Relay(peerPorts[1]);
    closeables.add(relay);
    Recorder rDup = new Recorder();
    NettyTransport duplicate =
        start(
            view(new int[] {peerPorts[2], relay.port()}, clientPorts),
            0,
            peerPorts[2],
            clientPorts[2],
            TestKeys.key(0),
            rDup);
    relay.awaitClosed(2);
    duplicate.sendToPeer(1, frame(777), 0, Wire.HEADER_LENGTH + Wire.REQUEST_LENGTH);
    duplicate.close();
    transports.remove(duplicate);

    assertThat(r1.down).as("the live link was never dropped").isEmpty();
    assertThat(r1.up).as("no second link registered").isEmpty();
    assertThat(t1.isConnected(0)).isTrue();
    send(t0, 1, 8);
    assertThat(poll(r1.frames)).isEqualTo(new Received(0, MessageType.BATCH_REQUEST, 8));
    assertThat(r1.frames).as("nothing from the refused sessions").isEmpty();
  }

  @Test
  void aRecordedSessionReplayedToTheAcceptorIsRefused() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Recorder r0 = new Recorder();
    Recorder r1 = new Recorder();
    NettyTransport t1 =
        start(view(peerPorts, clientPorts), 1, peerPorts[1], clientPorts[1], TestKeys.key(1), r1);
    Relay recorder = new Relay(peerPorts[1]);
    closeables.add(recorder);
    NettyTransport t0 =
        start(
            view(new int[] {peerPorts[0], recorder.port()}, clientPorts),
            0,
            peerPorts[0],
            clientPorts[0],
            TestKeys.key(0),
            r0);
    assertThat(pollInt(r1.up)).isEqualTo(0);
    send(t0, 1, 1);
    assertThat(poll(r1.frames)).isEqualTo(new Received(0, MessageType.BATCH_REQUEST, 1));
    byte[] recorded = recorder.session(0).toTarget();

    // Replayed while the real link is up: refused, and the real link carries on.
    replay(peerPorts[1], recorded);
    assertThat(t1.isConnected(0)).isTrue();
    send(t0, 1, 2);
    assertThat(poll(r1.frames)).isEqualTo(new Received(0, MessageType.BATCH_REQUEST, 2));

    // Replayed after validator 0 is gone, so that no live link is what refuses it.
    t0.close();
    transports.remove(t0);
    assertThat(pollInt(r1.down)).isEqualTo(0);
    replay(peerPorts[1], recorded);
    assertThat(r1.up).as("the replay never authenticated").isEmpty();
    assertThat(r1.frames).as("the replayed frames were never delivered").isEmpty();
    assertThat(t1.isConnected(0)).isFalse();
  }

  private static void replay(int port, byte[] recorded) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      try {
        socket.getOutputStream().write(recorded);
        socket.getOutputStream().flush();
      } catch (java.net.SocketException e) {
        // the node may already have closed it
      }
      assertClosedByNode(socket);
    }
  }

  @Test
  void outsiderKeysAreRefusedInBothDirections() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Recorder r1 = new Recorder();
    start(view(peerPorts, clientPorts), 1, peerPorts[1], clientPorts[1], TestKeys.key(1), r1);
    Ed25519KeyPair outsider = TestKeys.key(42);

    // An outsider dials validator 1 and, were it let in, would send a frame.
    try (SSLSocket socket = TlsPeers.identity(outsider, CHAIN).connect(peerPorts[1])) {
      try {
        socket.startHandshake();
        socket.getOutputStream().write(plaintext(9));
        socket.getOutputStream().flush();
      } catch (SSLException | java.net.SocketException e) {
        // refused during the handshake
      }
      assertClosedByNode(socket);
    }
    assertThat(r1.up).isEmpty();
    assertThat(r1.frames).isEmpty();

    // Validator 0 dials "validator 1" and finds an outsider there.
    Recorder r0 = new Recorder();
    try (SSLServerSocket fake = TlsPeers.identity(outsider, CHAIN).listen()) {
      start(
          view(new int[] {peerPorts[0], fake.getLocalPort()}, clientPorts),
          0,
          peerPorts[0],
          clientPorts[0],
          TestKeys.key(0),
          r0);
      try (SSLSocket accepted = (SSLSocket) fake.accept()) {
        // A completed handshake would block in read() and time out instead: a timeout is neither
        // an SSLException nor a SocketException, so it fails this assertion.
        accepted.setSoTimeout(10_000);
        assertThatThrownBy(
                () -> {
                  accepted.startHandshake();
                  accepted.getInputStream().read();
                })
            .as("validator 0 aborts the handshake (an alert, or a reset when it closes first)")
            .isInstanceOfAny(SSLException.class, java.net.SocketException.class);
      }
    }
    assertThat(r0.up).isEmpty();
  }

  @Test
  void aWrongStaticKeyIsRefused() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Recorder r1 = new Recorder();
    start(view(peerPorts, clientPorts), 1, peerPorts[1], clientPorts[1], TestKeys.key(1), r1);

    // Validator 0's key in a certificate, held by someone without its secret.
    try (SSLSocket socket =
        TlsPeers.impostor(TestKeys.key(0).publicKey(), TestKeys.key(42), CHAIN)
            .connect(peerPorts[1])) {
      try {
        socket.startHandshake();
        socket.getOutputStream().write(plaintext(9));
      } catch (SSLException | java.net.SocketException e) {
        // refused during the handshake
      }
      assertClosedByNode(socket);
    }
    // A real member key, but of another chain.
    try (SSLSocket socket = TlsPeers.identity(TestKeys.key(0), CHAIN + 1).connect(peerPorts[1])) {
      try {
        socket.startHandshake();
        socket.getOutputStream().write(plaintext(9));
      } catch (SSLException | java.net.SocketException e) {
        // refused during the handshake
      }
      assertClosedByNode(socket);
    }
    assertThat(r1.up).isEmpty();
    assertThat(r1.frames).isEmpty();

    // Validator 0 dials validator 1's address and validator 2 (a member) answers.
    Recorder r0 = new Recorder();
    try (SSLServerSocket other = TlsPeers.identity(TestKeys.key(2), CHAIN).listen()) {
      int[] ports = {peerPorts[0], other.getLocalPort(), TestKeys.freePorts(1)[0]};
      start(
          view(ports, TestKeys.freePorts(3)), 0, peerPorts[0], clientPorts[0], TestKeys.key(0), r0);
      try (SSLSocket accepted = (SSLSocket) other.accept()) {
        accepted.setSoTimeout(10_000);
        assertThatThrownBy(
                () -> {
                  accepted.startHandshake();
                  accepted.getInputStream().read();
                })
            .as("validator 0 aborts the handshake (an alert, or a reset when it closes first)")
            .isInstanceOfAny(SSLException.class, java.net.SocketException.class);
      }
    }
    assertThat(r0.up).as("no link to the wrong validator").isEmpty();
  }

  @Test
  void plaintextAndSilentConnectionsAreClosed() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Recorder r1 = new Recorder();
    start(view(peerPorts, clientPorts), 1, peerPorts[1], clientPorts[1], TestKeys.key(1), r1);
    // A frame sent in the clear, as a peer without TLS would.
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), peerPorts[1])) {
      socket.getOutputStream().write(plaintext(1));
      assertClosedByNode(socket);
    }
    // A connection that never starts a handshake: closed by the handshake timeout.
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), peerPorts[1])) {
      assertClosedByNode(socket);
    }
    assertThat(r1.up).isEmpty();
    assertThat(r1.frames).isEmpty();
  }
}
