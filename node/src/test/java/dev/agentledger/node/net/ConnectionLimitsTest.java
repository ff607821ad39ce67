package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.net.netty.AcceptErrors;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
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
 * Real sockets on loopback (127.0.0.1 and 127.0.0.2 are distinct remote addresses): the client
 * port's connection cap and per-address cap, the read-idle and frame-completion timeouts (a
 * truncated frame, a slow-loris sender), and accept errors logged at most once a second.
 */
class ConnectionLimitsTest {
  static final int CHAIN = 11;

  static final class Recorder implements TransportListener {
    final BlockingQueue<Long> clientFrames = new LinkedBlockingQueue<>();

    @Override
    public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {}

    @Override
    public void onClientFrame(long connection, DirectBuffer buffer, int offset, int length) {
      clientFrames.add(connection);
    }
  }

  final List<Socket> sockets = new ArrayList<>();
  NettyTransport transport;
  Recorder recorder;
  int clientPort;

  @AfterEach
  void close() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (transport != null) {
      transport.close();
    }
  }

  private void start(ConnectionLimits.Settings client) {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    clientPort = clientPorts[0];
    recorder = new Recorder();
    transport =
        new NettyTransport(
            new NettyTransport.Config(
                "127.0.0.1",
                peerPorts[0],
                "127.0.0.1",
                clientPort,
                IoKind.detect(),
                1,
                1 << 20,
                client,
                null),
            TestKeys.committee(2, peerPorts, clientPorts),
            0,
            CHAIN,
            TestKeys.key(0),
            recorder);
    transport.start();
  }

  private Socket connect(String from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", clientPort), 10_000);
    return s;
  }

  private static void sendStatusRequest(Socket s) throws IOException {
    UnsafeBuffer frame = new UnsafeBuffer(new byte[4 + 16]);
    int length = Wire.statusRequest(frame, 4, 1);
    frame.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
    s.getOutputStream().write(frame.byteArray(), 0, 4 + length);
    s.getOutputStream().flush();
  }

  /** True when the node closed {@code s} (end of stream or reset) within 10 s. */
  private static boolean closedByNode(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** True when {@code s} is still open: a frame sent on it reaches the node. */
  private boolean served(Socket s) throws Exception {
    sendStatusRequest(s);
    return recorder.clientFrames.poll(10, TimeUnit.SECONDS) != null;
  }

  @Test
  void thePerAddressCapHoldsForEachOfManyLoopbackSources() throws Exception {
    // 49 source addresses (127.0.0.2 .. 127.0.0.50), three connections each, two allowed each: a
    // flood spread over many addresses is capped per address, and no address starves another.
    start(new ConnectionLimits.Settings(1_000, 2, 60_000, 60_000));
    List<Socket> admitted = new ArrayList<>();
    for (int host = 2; host <= 50; host++) {
      String from = "127.0.0." + host;
      Socket first = connect(from);
      Socket second = connect(from);
      assertThat(served(first)).as("first from %s", from).isTrue();
      assertThat(served(second)).as("second from %s", from).isTrue();
      assertThat(closedByNode(connect(from))).as("a third from %s", from).isTrue();
      admitted.add(first);
      admitted.add(second);
    }
    assertThat(transport.clientConnections()).isEqualTo(98);
    assertThat(transport.clientConnectionsRefused()).isEqualTo(49);
    for (Socket s : admitted) {
      assertThat(served(s)).as("admitted connections are untouched").isTrue();
    }
  }

  @Test
  void theClientPortCapsConnectionsInAllAndPerAddress() throws Exception {
    start(new ConnectionLimits.Settings(3, 2, 60_000, 60_000));
    Socket a1 = connect("127.0.0.1");
    Socket a2 = connect("127.0.0.1");
    assertThat(served(a1)).isTrue();
    assertThat(served(a2)).isTrue();
    assertThat(closedByNode(connect("127.0.0.1"))).as("a third from one address").isTrue();
    Socket b1 = connect("127.0.0.2");
    assertThat(served(b1)).as("another address still gets in").isTrue();
    assertThat(closedByNode(connect("127.0.0.3"))).as("the port is full").isTrue();
    assertThat(transport.clientConnections()).isEqualTo(3);
    assertThat(transport.clientConnectionsRefused()).isEqualTo(2);
    assertThat(transport.clientConnectionsTimedOut()).isZero();

    a1.close();
    boolean readmitted = false;
    for (int attempt = 0; attempt < 100 && !readmitted; attempt++) {
      Socket again = connect("127.0.0.1");
      sendStatusRequest(again);
      readmitted = recorder.clientFrames.poll(100, TimeUnit.MILLISECONDS) != null;
    }
    assertThat(readmitted).as("a closed connection frees its slot").isTrue();
    assertThat(served(a2)).as("admitted connections are untouched").isTrue();
  }

  @Test
  void anIdleConnectionIsClosed() throws Exception {
    start(new ConnectionLimits.Settings(16, 16, 300, 60_000));
    Socket idle = connect("127.0.0.1");
    assertThat(closedByNode(idle)).isTrue();
    assertThat(transport.clientConnectionsTimedOut()).isEqualTo(1);
    assertThat(transport.clientConnectionsRefused()).isZero();
  }

  @Test
  void aTruncatedFrameIsClosedAfterTheFrameTimeout() throws Exception {
    start(new ConnectionLimits.Settings(16, 16, 60_000, 300));
    Socket truncated = connect("127.0.0.1");
    OutputStream out = truncated.getOutputStream();
    out.write(new byte[] {100, 0, 0, 0, 1, MessageType.STATUS_REQUEST, 0, 0});
    out.flush();
    assertThat(closedByNode(truncated)).isTrue();
    assertThat(recorder.clientFrames).isEmpty();
    assertThat(transport.clientConnectionsTimedOut()).isEqualTo(1);
  }

  @Test
  void aSlowLorisSenderIsClosedThoughItNeverFallsSilent() throws Exception {
    start(new ConnectionLimits.Settings(16, 16, 60_000, 300));
    Socket loris = connect("127.0.0.1");
    loris.setSoTimeout(1);
    OutputStream out = loris.getOutputStream();
    InputStream in = loris.getInputStream();
    out.write(new byte[] {(byte) 200, 0, 0, 0});
    boolean closed = false;
    // 200 bytes, one per 50 ms: 10 s if the node waited for all of them.
    for (int i = 0; i < 200 && !closed; i++) {
      try {
        out.write(0);
        out.flush();
        closed = in.read() < 0;
      } catch (SocketTimeoutException stillOpen) {
        Thread.sleep(50);
      } catch (IOException reset) {
        closed = true;
      }
    }
    assertThat(closed).as("closed before the frame was complete").isTrue();
  }

  @Test
  void rateLimitedLogReportsOnceAnIntervalWithTheCount() {
    RateLimitedLog log = new RateLimitedLog(1_000);
    assertThat(log.onEvent(0)).isEqualTo(1);
    for (int t = 1; t < 1_000; t++) {
      assertThat(log.onEvent(t)).isZero();
    }
    assertThat(log.onEvent(1_000)).as("999 suppressed and this one").isEqualTo(1_000);
    assertThat(log.onEvent(5_000)).isEqualTo(1);
  }

  @Test
  void acceptErrorsAreCountedAndLoggedAtMostOnceASecond() {
    AcceptErrors errors = new AcceptErrors("client");
    EmbeddedChannel server = new EmbeddedChannel(errors);
    long startNs = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      server.pipeline().fireExceptionCaught(new IOException("Too many open files"));
    }
    long elapsedS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs);
    assertThat(errors.errors()).isEqualTo(10_000);
    assertThat(errors.lines()).isBetween(1L, 1 + elapsedS);
    assertThat(server.config().isAutoRead()).as("accepting pauses").isFalse();
    server.close();
  }
}
