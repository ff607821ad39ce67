package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.net.tls.TlsPeers;
import java.nio.ByteOrder;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets: a frame of exactly the largest record count passes on both ports (the bound counts
 * the frame, not its 4-byte length prefix); one record more gets a clear answer and the connection
 * stays usable.
 */
class FrameLimitsTest {
  static final int CHAIN = 11;

  record Frame(long connection, byte type, int count) {}

  static final class Recorder implements TransportListener {
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> up = new LinkedBlockingQueue<>();

    @Override
    public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {
      byte type = Wire.type(buffer, offset);
      int count =
          type == MessageType.BATCH
              ? buffer.getInt(
                  offset + Wire.HEADER_LENGTH + Wire.BATCH_COUNT, ByteOrder.LITTLE_ENDIAN)
              : 0;
      frames.add(new Frame(peer, type, count));
    }

    @Override
    public void onClientFrame(long connection, DirectBuffer buffer, int offset, int length) {
      int count =
          Short.toUnsignedInt(
              buffer.getShort(offset + Wire.HEADER_LENGTH + Wire.COUNT16, ByteOrder.LITTLE_ENDIAN));
      frames.add(new Frame(connection, Wire.type(buffer, offset), count));
    }

    @Override
    public void onPeerUp(int peer) {
      up.add(peer);
    }
  }

  NettyTransport transport;

  @AfterEach
  void close() {
    if (transport != null) {
      transport.close();
    }
  }

  private Recorder startValidator(Committee committee, int[] peerPorts, int[] clientPorts) {
    Recorder recorder = new Recorder();
    transport =
        new NettyTransport(
            new NettyTransport.Config(
                "127.0.0.1",
                peerPorts[0],
                "127.0.0.1",
                clientPorts[0],
                IoKind.detect(),
                1,
                8 << 20),
            committee,
            0,
            CHAIN,
            TestKeys.key(0),
            recorder);
    transport.start();
    return recorder;
  }

  static UnsafeBuffer submit(long requestId, int records) {
    UnsafeBuffer frame =
        new UnsafeBuffer(
            new byte[Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + records * Wire.RECORD]);
    Wire.submitHeader(frame, 0, requestId, records);
    return frame;
  }

  @Test
  void fullSubmitPassesAndOneRecordMoreIsAnsweredTooManyRecords() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Recorder recorder =
        startValidator(TestKeys.committee(2, peerPorts, clientPorts), peerPorts, clientPorts);
    try (RawPeer client = new RawPeer(clientPorts[0])) {
      UnsafeBuffer full = submit(1, Wire.MAX_SUBMIT_RECORDS);
      assertThat(full.capacity()).isEqualTo(Wire.MAX_CLIENT_FRAME);
      client.send(full, full.capacity());
      Frame received = recorder.frames.poll(10, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.type()).isEqualTo(MessageType.SUBMIT);
      assertThat(received.count()).isEqualTo(Wire.MAX_SUBMIT_RECORDS);
      // Answered before the next SUBMIT: a connection's answers go out in SUBMIT order.
      UnsafeBuffer result = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
      int n = Wire.submitResultHeader(result, 0, 1, Wire.MAX_SUBMIT_RECORDS);
      result.setMemory(
          Wire.HEADER_LENGTH + Wire.RESULT_CODES,
          Wire.MAX_SUBMIT_RECORDS,
          (byte) TxStatus.ACCEPTED.code());
      transport.sendToClient(received.connection(), result, 0, n);
      UnsafeBuffer first = client.read();
      assertThat(first.getLong(Wire.HEADER_LENGTH + Wire.REQUEST_ID, ByteOrder.LITTLE_ENDIAN))
          .isEqualTo(1);

      UnsafeBuffer over = submit(77, Wire.MAX_SUBMIT_RECORDS + 1);
      client.send(over, over.capacity());
      UnsafeBuffer answer = client.read();
      assertThat(answer).as("an answer, not a closed connection").isNotNull();
      assertThat(Wire.validate(answer, 0, answer.capacity())).isEqualTo(Wire.FrameError.OK);
      assertThat(Wire.type(answer, 0)).isEqualTo(MessageType.SUBMIT_RESULT);
      assertThat(answer.getLong(Wire.HEADER_LENGTH + Wire.REQUEST_ID, ByteOrder.LITTLE_ENDIAN))
          .isEqualTo(77);
      assertThat(answer.getShort(Wire.HEADER_LENGTH + Wire.COUNT16, ByteOrder.LITTLE_ENDIAN))
          .isEqualTo((short) 1);
      assertThat(TxStatus.fromCode(answer.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES)))
          .isEqualTo(TxStatus.TOO_MANY_RECORDS);
      assertThat(recorder.frames).as("nothing of the oversize SUBMIT was delivered").isEmpty();

      UnsafeBuffer next = submit(78, 1);
      client.send(next, next.capacity());
      Frame after = recorder.frames.poll(10, TimeUnit.SECONDS);
      assertThat(after).as("the connection still carries frames").isNotNull();
      assertThat(after.count()).isEqualTo(1);
    }
  }

  @Test
  void anOversizeFrameThatLiesAboutItsCountEndsTheClientConnection() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    startValidator(TestKeys.committee(2, peerPorts, clientPorts), peerPorts, clientPorts);
    try (RawPeer client = new RawPeer(clientPorts[0])) {
      UnsafeBuffer over = submit(5, Wire.MAX_SUBMIT_RECORDS + 1);
      over.putShort(Wire.HEADER_LENGTH + Wire.COUNT16, (short) 2, ByteOrder.LITTLE_ENDIAN);
      client.send(over, over.capacity());
      assertThat(client.closedByNode()).isTrue();
    }
  }

  @Test
  void fullBatchPassesOnAPeerLinkAndOneRecordMoreIsDroppedWithTheLinkKept() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Committee committee = TestKeys.committee(2, peerPorts, clientPorts);
    Recorder recorder = startValidator(committee, peerPorts, clientPorts);
    // Validator 1 is played by hand, over a TLS link with its own certificate.
    SSLSocket tls = TlsPeers.identity(TestKeys.key(1), CHAIN).connect(peerPorts[0]);
    tls.startHandshake();
    try (RawPeer peer = new RawPeer(tls)) {
      assertThat(recorder.up.poll(10, TimeUnit.SECONDS)).isEqualTo(1);

      UnsafeBuffer full = new UnsafeBuffer(new byte[Wire.MAX_PEER_FRAME + Wire.RECORD]);
      int length = Wire.batchHeader(full, 0, 1, 1, new byte[32], Wire.MAX_BATCH_RECORDS);
      assertThat(length).isEqualTo(Wire.MAX_PEER_FRAME);
      peer.send(full, length);
      Frame received = recorder.frames.poll(10, TimeUnit.SECONDS);
      assertThat(received).isEqualTo(new Frame(1, MessageType.BATCH, Wire.MAX_BATCH_RECORDS));

      int over = Wire.batchHeader(full, 0, 1, 2, new byte[32], Wire.MAX_BATCH_RECORDS + 1);
      peer.send(full, over);
      UnsafeBuffer small = new UnsafeBuffer(new byte[64]);
      peer.send(small, Wire.batchRequest(small, 0, 0, 3, new byte[32]));
      assertThat(recorder.frames.poll(10, TimeUnit.SECONDS))
          .as("the oversize BATCH is dropped, the link carries the next frame")
          .isEqualTo(new Frame(1, MessageType.BATCH_REQUEST, 0));
      assertThat(transport.isConnected(1)).isTrue();
    }
  }
}
