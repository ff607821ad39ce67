package dev.agentledger.node.net.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.net.ConnectionLimits;
import dev.agentledger.node.net.RateLimitedLog;
import dev.agentledger.node.net.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The frame-completion timeout on the connection's own clock (an {@link EmbeddedChannel} whose time
 * the test moves): a frame is timed from the read it started in, so a sender whose every read ends
 * inside the next frame is served for as long as it keeps completing frames, and one that stops
 * inside a frame is closed.
 */
class ConnectionGuardTest {
  static final long FRAME_TIMEOUT_MS = 300;

  /** Whole frames that reached the end of the pipeline. */
  static final class Frames extends ChannelInboundHandlerAdapter {
    int count;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      count++;
      ReferenceCountUtil.release(msg);
    }
  }

  private static ConnectionLimits limits() {
    return new ConnectionLimits(new ConnectionLimits.Settings(16, 16, 60_000, FRAME_TIMEOUT_MS));
  }

  private static RateLimitedLog refusals() {
    return new RateLimitedLog(TimeUnit.SECONDS.toNanos(1));
  }

  /** A STATUS_REQUEST frame with its length prefix, {@code copies} times back to back. */
  private static byte[] frames(int copies) {
    UnsafeBuffer one = new UnsafeBuffer(new byte[Wire.LENGTH_FIELD_BYTES + 64]);
    int length = Wire.statusRequest(one, Wire.LENGTH_FIELD_BYTES, 1);
    one.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
    int size = Wire.LENGTH_FIELD_BYTES + length;
    byte[] all = new byte[size * copies];
    for (int i = 0; i < copies; i++) {
      one.getBytes(0, all, i * size, size);
    }
    return all;
  }

  /** The client port's pipeline: guard, frame decoder, then {@code sink}. */
  private static EmbeddedChannel framed(Frames sink) {
    FrameDecoder decoder = new FrameDecoder(Wire.MAX_CLIENT_FRAME);
    return frozen(
        new EmbeddedChannel(
            ConnectionGuard.forFrames("test", limits(), refusals(), decoder), decoder, sink));
  }

  /** The channel's clock moves only when the test moves it. */
  private static EmbeddedChannel frozen(EmbeddedChannel channel) {
    channel.freezeTime();
    return channel;
  }

  private static void after(EmbeddedChannel channel, long ms) {
    channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void aSenderStreamingFramesWhoseReadsEndMidFrameIsNeverCutOff() {
    Frames sink = new Frames();
    EmbeddedChannel channel = framed(sink);
    byte[] stream = frames(40);
    int frame = stream.length / 40;
    // Each read carries the rest of one frame and half of the next, one read per 100 ms: every
    // read ends inside a frame for 3.9 s, 13 times the frame timeout, while a frame completes in
    // every read.
    int at = 0;
    for (int read = 0; read < 39; read++) {
      int end = Math.min(stream.length, frame * (read + 1) + frame / 2);
      ByteBuf bytes = Unpooled.wrappedBuffer(stream, at, end - at);
      channel.writeInbound(bytes);
      at = end;
      after(channel, 100);
      assertThat(channel.isOpen()).as("open after read %d", read).isTrue();
    }
    assertThat(sink.count).isEqualTo(39);
    // The sender stops inside the 40th frame: closed once that frame is older than the timeout.
    after(channel, FRAME_TIMEOUT_MS);
    after(channel, FRAME_TIMEOUT_MS);
    assertThat(channel.isOpen()).isFalse();
    assertThat(sink.count).isEqualTo(39);
  }

  @Test
  void aFrameThatNeverCompletesIsClosedAfterTheTimeout() {
    Frames sink = new Frames();
    EmbeddedChannel channel = framed(sink);
    byte[] one = frames(1);
    channel.writeInbound(Unpooled.wrappedBuffer(one, 0, one.length - 1));
    after(channel, FRAME_TIMEOUT_MS / 2);
    assertThat(channel.isOpen()).isTrue();
    after(channel, FRAME_TIMEOUT_MS);
    after(channel, FRAME_TIMEOUT_MS);
    assertThat(channel.isOpen()).isFalse();
    assertThat(sink.count).isZero();
  }

  @Test
  void aMessageFinishedOutsideAReadStopsItsTimer() {
    // An HTTP request answered after its read (the answer comes from another thread): the guard
    // saw it open after the read, and must not time the idle keep-alive connection as a request.
    boolean[] open = {true};
    ConnectionGuard.Progress progress = () -> open[0];
    EmbeddedChannel channel =
        frozen(new EmbeddedChannel(new ConnectionGuard("query", limits(), refusals(), progress)));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G', 'E', 'T'}));
    open[0] = false;
    after(channel, FRAME_TIMEOUT_MS);
    after(channel, FRAME_TIMEOUT_MS);
    after(channel, FRAME_TIMEOUT_MS);
    assertThat(channel.isOpen()).isTrue();
  }
}
