package dev.agentledger.node.net.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the validator links' traffic for {@code GET /status}: frames handed to and taken from the
 * links ({@link #frameSent}, {@link #frameReceived}), and, at the socket end of every link's
 * pipeline (below TLS), the reads, the flushes (each one socket write, or a few when the kernel
 * takes part) and the bytes. One instance is shared by the links; the counts are added per frame or
 * per socket event, never per transaction.
 */
@ChannelHandler.Sharable
final class PeerTraffic extends ChannelDuplexHandler {
  private final LongAdder framesSent = new LongAdder();
  private final LongAdder framesReceived = new LongAdder();
  private final LongAdder socketReads = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder socketFlushes = new LongAdder();
  private final LongAdder socketWrites = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();

  void frameSent() {
    framesSent.increment();
  }

  void frameReceived() {
    framesReceived.increment();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    socketReads.increment();
    if (msg instanceof ByteBuf buf) {
      bytesRead.add(buf.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    socketWrites.increment();
    if (msg instanceof ByteBuf buf) {
      bytesWritten.add(buf.readableBytes());
    }
    ctx.write(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    socketFlushes.increment();
    ctx.flush();
  }

  /** The counts, by name, in a stable order. */
  void forEach(java.util.function.ObjLongConsumer<String> sink) {
    sink.accept("framesSent", framesSent.sum());
    sink.accept("framesReceived", framesReceived.sum());
    sink.accept("socketReads", socketReads.sum());
    sink.accept("bytesRead", bytesRead.sum());
    sink.accept("socketFlushes", socketFlushes.sum());
    sink.accept("socketWrites", socketWrites.sum());
    sink.accept("bytesWritten", bytesWritten.sum());
  }
}
