package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets: authenticated links carry frames; impostors and replayed handshakes are cut off.
 */
class NettyTransportTest {
  static final int CHAIN = 11;
  final List<NettyTransport> transports = new ArrayList<>();

  record Received(int peer, byte type) {}

  static final class Recorder implements TransportListener {
    final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> up = new LinkedBlockingQueue<>();

    @Override
    public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {
      frames.add(new Received(peer, Wire.type(buffer, offset)));
    }

    @Override
    public void onClientFrame(long connection, DirectBuffer buffer, int offset, int length) {}

    @Override
    public void onPeerUp(int peer) {
      up.add(peer);
    }
  }

  @AfterEach
  void close() {
    transports.forEach(NettyTransport::close);
  }

  NettyTransport start(
      Committee committee, int index, int[] peerPorts, int[] clientPorts, TransportListener l) {
    NettyTransport t =
        new NettyTransport(
            new NettyTransport.Config(
                "127.0.0.1",
                peerPorts[index],
                "127.0.0.1",
                clientPorts[index],
                IoKind.detect(),
                1,
                1 << 20),
            committee,
            index,
            CHAIN,
            TestKeys.key(index),
            l);
    t.start();
    transports.add(t);
    return t;
  }

  @Test
  void threeValidatorsConnectAndExchangeFrames() throws Exception {
    int[] peerPorts = TestKeys.freePorts(3);
    int[] clientPorts = TestKeys.freePorts(3);
    Committee committee = TestKeys.committee(3, peerPorts, clientPorts);
    Recorder[] recorders = {new Recorder(), new Recorder(), new Recorder()};
    NettyTransport[] t = new NettyTransport[3];
    for (int i = 0; i < 3; i++) {
      t[i] = start(committee, i, peerPorts, clientPorts, recorders[i]);
    }
    assertThat(t[0].ioKind()).isIn("io_uring", "epoll", "nio");
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < 2; k++) {
        assertThat(recorders[i].up.poll(10, TimeUnit.SECONDS))
            .as("validator %d links", i)
            .isNotNull();
      }
    }
    UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
    int length = Wire.batchRequest(frame, 0, 0, 1, new byte[32]);
    assertThat(t[0].sendToPeer(2, frame, 0, length)).isTrue();
    assertThat(t[2].sendToPeer(1, frame, 0, length)).isTrue();
    assertThat(recorders[2].frames.poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(0, MessageType.BATCH_REQUEST));
    assertThat(recorders[1].frames.poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(2, MessageType.BATCH_REQUEST));
    assertThat(t[0].sendToPeer(0, frame, 0, length)).as("no link to self").isFalse();
  }

  /**
   * Tagged slow: a restart must rebind the same port, which with io_uring's asynchronous close can
   * take a moment; on a heavily loaded host it occasionally outlasts the test's patience.
   */
  @Test
  @org.junit.jupiter.api.Tag("slow")
  void dialerReconnectsAfterThePeerRestarts() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Committee committee = TestKeys.committee(2, peerPorts, clientPorts);
    Recorder dialer = new Recorder();
    start(committee, 0, peerPorts, clientPorts, dialer);
    NettyTransport first = start(committee, 1, peerPorts, clientPorts, new Recorder());
    assertThat(dialer.up.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
    first.close();
    transports.remove(first);
    Recorder restarted = new Recorder();
    // A restarted node may have to wait for the kernel to release its port.
    NettyTransport second = null;
    for (int attempt = 0; second == null; attempt++) {
      try {
        second = start(committee, 1, peerPorts, clientPorts, restarted);
      } catch (Exception e) { // the bind failure is an undeclared IOException
        if (attempt == 100) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
    assertThat(dialer.up.poll(20, TimeUnit.SECONDS))
        .as("link re-established by the dialer")
        .isEqualTo(1);
    assertThat(restarted.up.poll(10, TimeUnit.SECONDS)).isEqualTo(0);
    UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
    int length = Wire.batchRequest(frame, 0, 1, 2, new byte[32]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!transports.get(0).sendToPeer(1, frame, 0, length) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(restarted.frames.poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(0, MessageType.BATCH_REQUEST));
    assertThat(second.isConnected(0)).isTrue();
  }

  @Test
  void aStalledPeerFillsOnlyItsOwnQueue() throws Exception {
    int[] peerPorts = TestKeys.freePorts(3);
    int[] clientPorts = TestKeys.freePorts(3);
    Committee committee = TestKeys.committee(3, peerPorts, clientPorts);
    Recorder node = new Recorder();
    NettyTransport t =
        new NettyTransport(
            new NettyTransport.Config(
                "127.0.0.1",
                peerPorts[0],
                "127.0.0.1",
                clientPorts[0],
                IoKind.detect(),
                1,
                256 << 10),
            committee,
            0,
            CHAIN,
            TestKeys.key(0),
            node);
    t.start();
    transports.add(t);
    Recorder healthy = new Recorder();
    start(committee, 2, peerPorts, clientPorts, healthy);
    // Validator 1 is played by hand: it authenticates, then never reads again.
    try (RawPeer stalled = new RawPeer(peerPorts[0])) {
      stalled.socket.setReceiveBufferSize(4096);
      Handshake hs =
          new Handshake(
              committee, CHAIN, TestKeys.key(1), 0, new NonceRegistry(8), HandshakeTest.nonce(3));
      UnsafeBuffer nodeHello = stalled.read();
      UnsafeBuffer out = new UnsafeBuffer(new byte[128]);
      stalled.send(out, hs.writeHello(out, 0));
      assertThat(hs.onHello(nodeHello, Wire.HEADER_LENGTH)).isNull();
      stalled.send(out, hs.writeAuth(out, 0));
      assertThat(stalled.read()).isNotNull();
      assertThat(node.up.poll(10, TimeUnit.SECONDS)).isNotNull();
      assertThat(node.up.poll(10, TimeUnit.SECONDS)).isNotNull();

      UnsafeBuffer big =
          new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + Wire.BATCH_RECORDS + 100 * Wire.RECORD]);
      int length = Wire.batchHeader(big, 0, 0, 1, new byte[32], 100);
      int accepted = 0;
      for (int i = 0; i < 10_000 && t.sendToPeer(1, big, 0, length); i++) {
        accepted++;
      }
      assertThat(accepted).as("the stalled peer's queue is bounded").isLessThan(10_000);
      // The healthy peer is unaffected.
      UnsafeBuffer small = new UnsafeBuffer(new byte[64]);
      int n = Wire.batchRequest(small, 0, 0, 5, new byte[32]);
      assertThat(t.sendToPeer(2, small, 0, n)).isTrue();
      assertThat(healthy.frames.poll(10, TimeUnit.SECONDS))
          .isEqualTo(new Received(0, MessageType.BATCH_REQUEST));
      assertThat(t.droppedSends()).isPositive();
    }
  }

  /** A raw TCP peer speaking the wire protocol by hand. */
  static final class RawPeer implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawPeer(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    void send(UnsafeBuffer frame, int length) throws IOException {
      byte[] bytes = new byte[4 + length];
      new UnsafeBuffer(bytes).putInt(0, length, java.nio.ByteOrder.LITTLE_ENDIAN);
      frame.getBytes(0, bytes, 4, length);
      out.write(bytes);
      out.flush();
    }

    /** The next frame, or null at end of stream (the node closed the link). */
    UnsafeBuffer read() throws IOException {
      try {
        int length = Integer.reverseBytes(in.readInt());
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new UnsafeBuffer(bytes);
      } catch (EOFException | java.net.SocketException e) {
        return null;
      }
    }

    boolean closedByNode() throws IOException {
      while (true) {
        if (read() == null) {
          return true;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void impostorAndReplayedHandshakeAreRefused() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Committee committee = TestKeys.committee(2, peerPorts, clientPorts);
    Recorder recorder = new Recorder();
    // Only validator 1 runs; the test plays validator 0 (and impostors) by hand.
    start(committee, 1, peerPorts, clientPorts, recorder);

    // 1. A key outside the committee: closed after its HELLO.
    try (RawPeer impostor = new RawPeer(peerPorts[1])) {
      Ed25519KeyPair outsider = TestKeys.key(42);
      UnsafeBuffer hello = new UnsafeBuffer(new byte[128]);
      assertThat(impostor.read()).isNotNull(); // node's HELLO
      impostor.send(
          hello, Wire.hello(hello, 0, CHAIN, outsider.publicKey(), HandshakeTest.nonce(77)));
      assertThat(impostor.closedByNode()).isTrue();
    }

    // 2. Honest validator 0: authenticates; record its HELLO and AUTH bytes.
    UnsafeBuffer recordedHello = new UnsafeBuffer(new byte[128]);
    UnsafeBuffer recordedAuth = new UnsafeBuffer(new byte[128]);
    int helloLength;
    int authLength;
    try (RawPeer honest = new RawPeer(peerPorts[1])) {
      Handshake hs =
          new Handshake(
              committee, CHAIN, TestKeys.key(0), 1, new NonceRegistry(8), HandshakeTest.nonce(1));
      UnsafeBuffer nodeHello = honest.read();
      helloLength = hs.writeHello(recordedHello, 0);
      honest.send(recordedHello, helloLength);
      assertThat(hs.onHello(nodeHello, Wire.HEADER_LENGTH)).isNull();
      authLength = hs.writeAuth(recordedAuth, 0);
      honest.send(recordedAuth, authLength);
      UnsafeBuffer nodeAuth = honest.read();
      assertThat(hs.onAuth(nodeAuth, Wire.HEADER_LENGTH)).isNull();
      assertThat(recorder.up.poll(10, TimeUnit.SECONDS)).isEqualTo(0);
    }

    // 3. Replaying the recorded HELLO + AUTH: same nonce, refused.
    try (RawPeer replay = new RawPeer(peerPorts[1])) {
      assertThat(replay.read()).isNotNull();
      replay.send(recordedHello, helloLength);
      replay.send(recordedAuth, authLength);
      assertThat(replay.closedByNode()).isTrue();
    }

    // 4. Fresh nonce, recorded AUTH: the signature covers the old node nonce, refused.
    try (RawPeer replay = new RawPeer(peerPorts[1])) {
      assertThat(replay.read()).isNotNull();
      UnsafeBuffer hello = new UnsafeBuffer(new byte[128]);
      replay.send(
          hello, Wire.hello(hello, 0, CHAIN, TestKeys.key(0).publicKey(), HandshakeTest.nonce(2)));
      UnsafeBuffer auth = replay.read();
      assertThat(auth).isNotNull();
      replay.send(recordedAuth, authLength);
      assertThat(replay.closedByNode()).isTrue();
    }
    assertThat(recorder.up).as("no further link came up").isEmpty();

    // 5. Peer traffic before authentication is refused.
    try (RawPeer early = new RawPeer(peerPorts[1])) {
      assertThat(early.read()).isNotNull();
      UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
      early.send(frame, Wire.batchRequest(frame, 0, 0, 1, new byte[32]));
      assertThat(early.closedByNode()).isTrue();
    }
  }
}
