package dev.agentledger.node.api.http;

import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.tls.ClientTls;
import dev.agentledger.node.tx.TransactionSlot;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The HTTP API's way into ingress: one client-protocol connection to the node's own client port, so
 * a transaction sent as JSON gets exactly the checks, verification, rate limits and mempool of one
 * sent as a SUBMIT frame; over TLS when the client port is TLS. It lives on one event loop of the
 * HTTP server (no thread of its own), connects on first use and again after a failure, and matches
 * each SUBMIT_RESULT to its request by id. Thread-safe: callers on any thread hand their request to
 * that event loop.
 */
public final class IngressLink implements AutoCloseable {
  /** The statuses of one SUBMIT, or why there are none. */
  public record Result(List<TxStatus> statuses, String failure) {}

  private final InetSocketAddress client;
  private final ClientTls tls;
  private final EventLoop loop;
  private Channel channel;
  private boolean connecting;
  private boolean closed;
  private long nextRequestId = 1;
  private final Map<Long, Consumer<Result>> pending = new HashMap<>();
  private final Queue<Waiting> waiting = new ArrayDeque<>();

  private record Waiting(List<byte[]> records, Consumer<Result> answer) {}

  /**
   * @param client the node's client port
   * @param tls how to reach it over TLS, or null when it is plaintext
   * @param loop the event loop this link runs on
   */
  public IngressLink(InetSocketAddress client, ClientTls tls, EventLoop loop) {
    this.client = client;
    this.tls = tls;
    this.loop = loop;
  }

  /**
   * Sends {@code records} (1..256, runs or account operations) as one SUBMIT; {@code answer} gets
   * the statuses in order, or a failure text, on the link's event loop.
   */
  public void submit(List<byte[]> records, Consumer<Result> answer) {
    loop.execute(() -> onLoop(records, answer));
  }

  private void onLoop(List<byte[]> records, Consumer<Result> answer) {
    if (closed) {
      answer.accept(new Result(List.of(), "the node is closing"));
      return;
    }
    if (channel == null || !channel.isActive()) {
      waiting.add(new Waiting(records, answer));
      connect();
      return;
    }
    long requestId = nextRequestId++;
    int length = Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + records.size() * Wire.RECORD;
    ByteBuf frame = channel.alloc().buffer(Wire.LENGTH_FIELD_BYTES + length);
    byte[] head = new byte[Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS];
    Wire.submitHeader(new UnsafeBuffer(head), 0, requestId, records.size());
    frame.writeIntLE(length).writeBytes(head);
    for (byte[] record : records) {
      frame.writeBytes(TransactionSlot.pad(record));
    }
    pending.put(requestId, answer);
    channel.writeAndFlush(frame);
  }

  private void connect() {
    if (connecting) {
      return;
    }
    connecting = true;
    new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                  ch.pipeline()
                      .addLast(
                          new SslHandler(tls.engine(client.getHostString(), client.getPort())));
                }
                ch.pipeline()
                    .addLast(
                        new LengthFieldBasedFrameDecoder(
                            ByteOrder.LITTLE_ENDIAN,
                            Wire.MAX_CLIENT_FRAME,
                            0,
                            Wire.LENGTH_FIELD_BYTES,
                            0,
                            Wire.LENGTH_FIELD_BYTES,
                            true),
                        new Reader());
              }
            })
        .connect(client)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  connecting = false;
                  List<Waiting> queued = new ArrayList<>(waiting);
                  waiting.clear();
                  if (f.isSuccess()) {
                    Channel c = f.channel();
                    channel = c;
                    c.closeFuture().addListener(x -> failPending(c));
                    queued.forEach(w -> onLoop(w.records(), w.answer()));
                  } else {
                    String why =
                        "cannot reach the client port " + client + ": " + f.cause().getMessage();
                    queued.forEach(w -> w.answer().accept(new Result(List.of(), why)));
                  }
                });
  }

  /** Answers every request still waiting on {@code closedChannel} with a failure. */
  private void failPending(Channel closedChannel) {
    if (channel == closedChannel) {
      channel = null;
    }
    List<Consumer<Result>> answers = new ArrayList<>(pending.values());
    pending.clear();
    answers.forEach(
        a -> a.accept(new Result(List.of(), "the connection to the client port closed")));
  }

  private final class Reader extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      if (frame.readableBytes() < Wire.HEADER_LENGTH + Wire.RESULT_CODES
          || frame.getByte(Wire.TYPE_OFFSET) != MessageType.SUBMIT_RESULT) {
        return; // nothing else is asked on this connection
      }
      long requestId = frame.getLongLE(Wire.HEADER_LENGTH + Wire.REQUEST_ID);
      int count = frame.getUnsignedShortLE(Wire.HEADER_LENGTH + Wire.COUNT16);
      Consumer<Result> answer = pending.remove(requestId);
      if (answer == null) {
        return;
      }
      List<TxStatus> statuses = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        statuses.add(
            TxStatus.fromCode(frame.getUnsignedByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + i)));
      }
      answer.accept(new Result(statuses, null));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public void close() {
    loop.execute(
        () -> {
          closed = true;
          if (channel != null) {
            channel.close();
          }
          waiting.forEach(w -> w.answer().accept(new Result(List.of(), "the node is closing")));
          waiting.clear();
        });
  }
}
