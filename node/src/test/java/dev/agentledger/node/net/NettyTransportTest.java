package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.net.tls.TlsPeers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets: authenticated links carry frames, reconnect, and queue per peer (the attacks on the
 * link are in {@link LinkSecurityTest}).
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
    // Validator 1 is played by hand: it authenticates over TLS, then never reads again.
    try (SSLSocket stalled = TlsPeers.identity(TestKeys.key(1), CHAIN).connect(peerPorts[0])) {
      stalled.startHandshake();
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
}
