package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Real sockets: authenticated links carry frames; impostors and replayed handshakes are cut off. */
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

  NettyTransport start(Committee committee, int index, int[] peerPorts, int[] clientPorts, TransportListener l) {
    NettyTransport t =
        new NettyTransport(
            new NettyTransport.Config("127.0.0.1", peerPorts[index], "127.0.0.1", clientPorts[index], IoKind.detect(), 1, 1 << 20),
            committee, index, CHAIN, TestKeys.key(index), l);
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
        assertThat(recorders[i].up.poll(10, TimeUnit.SECONDS)).as("validator %d links", i).isNotNull();
      }
    }
    UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
    int length = Wire.batchRequest(frame, 0, 0, 1, new byte[32]);
    assertThat(t[0].sendToPeer(2, frame, 0, length)).isTrue();
    assertThat(t[2].sendToPeer(1, frame, 0, length)).isTrue();
    assertThat(recorders[2].frames.poll(10, TimeUnit.SECONDS)).isEqualTo(new Received(0, MessageType.BATCH_REQUEST));
    assertThat(recorders[1].frames.poll(10, TimeUnit.SECONDS)).isEqualTo(new Received(2, MessageType.BATCH_REQUEST));
    assertThat(t[0].sendToPeer(0, frame, 0, length)).as("no link to self").isFalse();
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
      impostor.send(hello, Wire.hello(hello, 0, CHAIN, outsider.publicKey(), HandshakeTest.nonce(77)));
      assertThat(impostor.closedByNode()).isTrue();
    }

    // 2. Honest validator 0: authenticates; record its HELLO and AUTH bytes.
    UnsafeBuffer recordedHello = new UnsafeBuffer(new byte[128]);
    UnsafeBuffer recordedAuth = new UnsafeBuffer(new byte[128]);
    int helloLength;
    int authLength;
    try (RawPeer honest = new RawPeer(peerPorts[1])) {
      Handshake hs = new Handshake(committee, CHAIN, TestKeys.key(0), 1, new NonceRegistry(8), HandshakeTest.nonce(1));
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
      replay.send(hello, Wire.hello(hello, 0, CHAIN, TestKeys.key(0).publicKey(), HandshakeTest.nonce(2)));
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
