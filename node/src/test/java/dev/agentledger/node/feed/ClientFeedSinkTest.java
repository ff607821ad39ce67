package dev.agentledger.node.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.net.FeedEndReason;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.Transport;
import dev.agentledger.node.net.Wire;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** FEED frames on the client port: splitting, the LAST flag, filters, a full link, FEED_END. */
class ClientFeedSinkTest {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** Records the frames sent to one client connection; refuses them while {@link #full}. */
  private static final class FakeTransport implements Transport {
    final List<UnsafeBuffer> frames = new ArrayList<>();
    boolean full;
    boolean connected = true;
    UnsafeBuffer closedWith;

    @Override
    public void start() {}

    @Override
    public String ioKind() {
      return "fake";
    }

    @Override
    public InetSocketAddress peerAddress() {
      return null;
    }

    @Override
    public InetSocketAddress clientAddress() {
      return null;
    }

    @Override
    public boolean sendToPeer(int peer, DirectBuffer frame, int offset, int length) {
      return false;
    }

    @Override
    public boolean sendToClient(long connection, DirectBuffer frame, int offset, int length) {
      if (full || !connected) {
        return false;
      }
      frames.add(copy(frame, offset, length));
      return true;
    }

    @Override
    public boolean isClientConnected(long connection) {
      return connected;
    }

    @Override
    public void closeClient(long connection, DirectBuffer frame, int offset, int length) {
      closedWith = copy(frame, offset, length);
      connected = false;
    }

    @Override
    public boolean isConnected(int peer) {
      return false;
    }

    @Override
    public long droppedSends() {
      return 0;
    }

    @Override
    public void close() {}

    private static UnsafeBuffer copy(DirectBuffer frame, int offset, int length) {
      byte[] bytes = new byte[length];
      frame.getBytes(offset, bytes);
      UnsafeBuffer b = new UnsafeBuffer(bytes);
      assertThat(Wire.validate(b, 0, length)).isEqualTo(Wire.FrameError.OK);
      return b;
    }
  }

  private static int count(UnsafeBuffer f) {
    return Short.toUnsignedInt(f.getShort(Wire.HEADER_LENGTH + Wire.FEED_COUNT, LE));
  }

  private static int flags(UnsafeBuffer f) {
    return f.getByte(Wire.HEADER_LENGTH + Wire.FEED_FLAGS);
  }

  private static int index(UnsafeBuffer f, int i) {
    return f.getInt(
        Wire.HEADER_LENGTH + Wire.FEED_RECEIPTS + i * Wire.FEED_RECEIPT + Wire.FEED_RECEIPT_INDEX,
        LE);
  }

  private static FeedCommit commit(int size) {
    int[] agents = new int[size];
    for (int i = 0; i < size; i++) {
      agents[i] = i < 300 ? 1 : 2;
    }
    return new FeedFixture().store(9, agents);
  }

  @Test
  void aLargeCommitGoesOutInFramesOf256WithLastOnTheFinalOne() {
    FakeTransport transport = new FakeTransport();
    ClientFeedSink sink = new ClientFeedSink(transport, 1, 42);
    assertThat(sink.deliver(commit(600), FeedFilter.all(), 0)).isEqualTo(600);
    assertThat(transport.frames).hasSize(3);
    assertThat(transport.frames.stream().map(ClientFeedSinkTest::count))
        .containsExactly(256, 256, 88);
    assertThat(transport.frames.stream().map(ClientFeedSinkTest::flags))
        .containsExactly(0, 0, Wire.FEED_LAST);
    UnsafeBuffer last = transport.frames.get(2);
    assertThat(last.getLong(Wire.HEADER_LENGTH + Wire.REQUEST_ID, LE)).isEqualTo(42);
    assertThat(last.getLong(Wire.HEADER_LENGTH + Wire.FEED_SEQUENCE, LE)).isEqualTo(9);
    assertThat(last.getInt(Wire.HEADER_LENGTH + Wire.FEED_TX_COUNT, LE)).isEqualTo(600);
    assertThat(index(last, 0)).isEqualTo(512);
    assertThat(last.getByte(Wire.HEADER_LENGTH + Wire.FEED_RECEIPTS)).isEqualTo((byte) 9);
  }

  @Test
  void aFilteredCommitEndsWhereItsLastMatchingReceiptIs() {
    FakeTransport transport = new FakeTransport();
    ClientFeedSink sink = new ClientFeedSink(transport, 1, 1);
    FeedFilter agent1 = FeedFilter.agents(List.of(FeedFixture.agent(1)));
    assertThat(sink.deliver(commit(600), agent1, 0)).isEqualTo(600);
    assertThat(transport.frames.stream().map(ClientFeedSinkTest::count)).containsExactly(256, 44);
    assertThat(transport.frames.stream().map(ClientFeedSinkTest::flags))
        .containsExactly(0, Wire.FEED_LAST);
    // No receipt passes: one empty LAST frame still marks the commit as seen.
    transport.frames.clear();
    FeedFilter nobody = FeedFilter.agents(List.of(FeedFixture.agent(5)));
    assertThat(sink.deliver(commit(10), nobody, 0)).isEqualTo(10);
    assertThat(transport.frames).hasSize(1);
    assertThat(count(transport.frames.get(0))).isZero();
    assertThat(flags(transport.frames.get(0))).isEqualTo(Wire.FEED_LAST);
  }

  @Test
  void aFullLinkResumesFromTheFirstUnsentReceiptAndAClosedOneIsGone() {
    FakeTransport transport = new FakeTransport();
    ClientFeedSink sink = new ClientFeedSink(transport, 1, 1);
    FeedCommit c = commit(600);
    transport.full = true;
    assertThat(sink.deliver(c, FeedFilter.all(), 0)).isZero();
    transport.full = false;
    assertThat(sink.deliver(c, FeedFilter.all(), 256)).isEqualTo(600);
    assertThat(index(transport.frames.get(0), 0)).isEqualTo(256);
    transport.connected = false;
    assertThat(sink.deliver(c, FeedFilter.all(), 0)).isEqualTo(FeedSink.GONE);
    assertThat(sink.isOpen()).isFalse();
  }

  @Test
  void subscribedAndEndFrames() {
    FakeTransport transport = new FakeTransport();
    ClientFeedSink sink = new ClientFeedSink(transport, 1, 5);
    assertThat(sink.subscribed(17)).isTrue();
    UnsafeBuffer f = transport.frames.get(0);
    assertThat(Wire.type(f, 0)).isEqualTo(MessageType.FEED);
    assertThat(flags(f)).isEqualTo(Wire.FEED_SUBSCRIBED);
    assertThat(f.getLong(Wire.HEADER_LENGTH + Wire.FEED_SEQUENCE, LE)).isEqualTo(17);
    transport.full = true; // the end frame goes out even past the send bound
    sink.end(FeedEndReason.SLOW_SUBSCRIBER, "too slow");
    UnsafeBuffer end = transport.closedWith;
    assertThat(Wire.type(end, 0)).isEqualTo(MessageType.FEED_END);
    assertThat(end.getShort(Wire.HEADER_LENGTH + Wire.FEED_END_REASON, LE))
        .isEqualTo((short) FeedEndReason.SLOW_SUBSCRIBER.code());
    assertThat(end.getStringWithoutLengthUtf8(Wire.HEADER_LENGTH + Wire.FEED_END_TEXT, 8))
        .isEqualTo("too slow");
  }
}
