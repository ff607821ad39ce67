package dev.agentledger.node.net.netty;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.Handshake;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.NonceRegistry;
import dev.agentledger.node.net.Transport;
import dev.agentledger.node.net.TransportListener;
import dev.agentledger.node.net.Wire;
import dev.agentledger.sig.Ed25519KeyPair;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link Transport} over Netty 4.2: io_uring when the kernel allows it, else epoll, else NIO
 * ({@link IoKind}), logged at start. Validator links: the lower index dials the higher (one link
 * per pair), reconnecting with exponential backoff; each link runs the {@link Handshake} before any
 * other frame is accepted, and is closed on any malformed or unexpected frame. Each link has its
 * own bounded outbound buffer (write-buffer water marks): when a peer is slow its link becomes
 * unwritable and sends to it return false, while the other links carry on. Client connections use a
 * separate port with a smaller frame bound.
 */
public final class NettyTransport implements Transport {
  private static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());

  /** Where and how to listen. Port 0 picks a free port. */
  public record Config(
      String peerHost,
      int peerPort,
      String clientHost,
      int clientPort,
      IoKind ioKind,
      int ioThreads,
      int sendQueueBytes) {
    public static Config loopback(int peerPort, int clientPort) {
      return new Config(
          "127.0.0.1", peerPort, "127.0.0.1", clientPort, IoKind.detect(), 2, 16 << 20);
    }
  }

  private static final long HANDSHAKE_TIMEOUT_MS = 5_000;
  private static final long RECONNECT_MIN_MS = 50;
  private static final long RECONNECT_MAX_MS = 2_000;

  private final Config config;
  private final Committee committee;
  private final int self;
  private final int chainId;
  private final Ed25519KeyPair key;
  private final TransportListener listener;
  private final NonceRegistry nonces = new NonceRegistry(1 << 16);
  private final SecureRandom random = new SecureRandom();
  private final AtomicReferenceArray<Channel> peers;
  private final Map<Long, Channel> clients = new ConcurrentHashMap<>();
  private final AtomicLong nextConnection = new AtomicLong(1);
  private final AtomicLong dropped = new AtomicLong();
  private EventLoopGroup group;
  private Channel peerServer;
  private Channel clientServer;
  private volatile boolean closing;

  public NettyTransport(
      Config config,
      Committee committee,
      int selfIndex,
      int chainId,
      Ed25519KeyPair key,
      TransportListener listener) {
    this.config = config;
    this.committee = committee;
    this.self = selfIndex;
    this.chainId = chainId;
    this.key = key;
    this.listener = listener;
    this.peers = new AtomicReferenceArray<>(committee.size());
  }

  @Override
  public void start() {
    IoKind kind = config.ioKind();
    if (!IoKind.available(kind)) {
      throw new IllegalStateException(
          "transport " + kind.label() + " unavailable: " + IoKind.unavailabilityCause(kind));
    }
    LOG.log(System.Logger.Level.INFO, "validator {0}: transport {1}", self, kind.label());
    group = new MultiThreadIoEventLoopGroup(config.ioThreads(), kind.handlerFactory());
    try {
      bind(kind);
    } catch (Throwable e) { // includes a bind failure, which Netty rethrows undeclared
      close();
      throw e;
    }
    for (int peer = self + 1; peer < committee.size(); peer++) {
      dial(peer, RECONNECT_MIN_MS);
    }
  }

  private void bind(IoKind kind) {
    WriteBufferWaterMark marks =
        new WriteBufferWaterMark(config.sendQueueBytes() / 2, config.sendQueueBytes());
    peerServer =
        new ServerBootstrap()
            .group(group)
            .channel(kind.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
            .childHandler(peerInitializer(-1))
            .bind(config.peerHost(), config.peerPort())
            .syncUninterruptibly()
            .channel();
    clientServer =
        new ServerBootstrap()
            .group(group)
            .channel(kind.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(frameDecoder(Wire.MAX_CLIENT_FRAME))
                        .addLast(new ClientHandler());
                  }
                })
            .bind(config.clientHost(), config.clientPort())
            .syncUninterruptibly()
            .channel();
  }

  @Override
  public String ioKind() {
    return config.ioKind().label();
  }

  private static LengthFieldBasedFrameDecoder frameDecoder(int maxFrame) {
    return new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, maxFrame, 0, 4, 0, 4, true);
  }

  private ChannelInitializer<SocketChannel> peerInitializer(int expectedPeer) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline()
            .addLast(frameDecoder(Wire.MAX_PEER_FRAME))
            .addLast(new PeerHandler(expectedPeer));
      }
    };
  }

  private void dial(int peer, long delayMs) {
    if (closing) {
      return;
    }
    Committee.Validator member = committee.validator(peer);
    WriteBufferWaterMark marks =
        new WriteBufferWaterMark(config.sendQueueBytes() / 2, config.sendQueueBytes());
    ChannelFuture future =
        new Bootstrap()
            .group(group)
            .channel(config.ioKind().socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
            .handler(peerInitializer(peer))
            .connect(member.host(), member.peerPort());
    future.addListener(
        f -> {
          if (!f.isSuccess()) {
            scheduleDial(peer, Math.min(delayMs * 2, RECONNECT_MAX_MS));
          } else {
            future.channel().closeFuture().addListener(c -> scheduleDial(peer, RECONNECT_MIN_MS));
          }
        });
  }

  private void scheduleDial(int peer, long delayMs) {
    if (closing || group.isShuttingDown()) {
      return;
    }
    group.next().schedule(() -> dial(peer, delayMs), delayMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public InetSocketAddress peerAddress() {
    return (InetSocketAddress) peerServer.localAddress();
  }

  @Override
  public InetSocketAddress clientAddress() {
    return (InetSocketAddress) clientServer.localAddress();
  }

  @Override
  public boolean sendToPeer(int peer, DirectBuffer frame, int offset, int length) {
    if (peer < 0 || peer >= committee.size() || peer == self) {
      return false;
    }
    return write(peers.get(peer), frame, offset, length);
  }

  @Override
  public boolean sendToClient(long connection, DirectBuffer frame, int offset, int length) {
    return write(clients.get(connection), frame, offset, length);
  }

  @Override
  public boolean isClientConnected(long connection) {
    Channel channel = clients.get(connection);
    return channel != null && channel.isActive();
  }

  @Override
  public void closeClient(long connection, DirectBuffer frame, int offset, int length) {
    Channel channel = clients.get(connection);
    if (channel == null) {
      return;
    }
    ByteBuf buf = channel.alloc().ioBuffer(Wire.LENGTH_FIELD_BYTES + length);
    buf.writeIntLE(length);
    copyInto(buf, frame, offset, length);
    channel.writeAndFlush(buf).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
  }

  private boolean write(Channel channel, DirectBuffer frame, int offset, int length) {
    if (channel == null || !channel.isActive() || !channel.isWritable()) {
      dropped.incrementAndGet();
      return false;
    }
    ByteBuf buf = channel.alloc().ioBuffer(Wire.LENGTH_FIELD_BYTES + length);
    buf.writeIntLE(length);
    copyInto(buf, frame, offset, length);
    channel.writeAndFlush(buf, channel.voidPromise());
    return true;
  }

  private static void copyInto(ByteBuf dst, DirectBuffer src, int offset, int length) {
    byte[] array = src.byteArray();
    if (array != null) {
      dst.writeBytes(array, src.wrapAdjustment() + offset, length);
    } else if (src.byteBuffer() != null) {
      java.nio.ByteBuffer bb = src.byteBuffer().duplicate();
      int start = src.wrapAdjustment() + offset;
      bb.limit(start + length).position(start);
      dst.writeBytes(bb);
    } else {
      for (int i = 0; i < length; i++) {
        dst.writeByte(src.getByte(offset + i));
      }
    }
  }

  @Override
  public boolean isConnected(int peer) {
    Channel channel = peers.get(peer);
    return channel != null && channel.isActive();
  }

  @Override
  public long droppedSends() {
    return dropped.get();
  }

  @Override
  public void close() {
    closing = true;
    if (group == null) {
      return;
    }
    if (peerServer != null) {
      peerServer.close();
    }
    if (clientServer != null) {
      clientServer.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A view over a frame ByteBuf without copying when it is direct, else a copy. */
  private static final class FrameView {
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private byte[] heap = new byte[0];

    DirectBuffer wrap(ByteBuf frame) {
      int length = frame.readableBytes();
      if (frame.hasMemoryAddress()) {
        view.wrap(frame.memoryAddress() + frame.readerIndex(), length);
      } else if (frame.hasArray()) {
        view.wrap(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
      } else {
        if (heap.length < length) {
          heap = new byte[Math.max(length, heap.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), heap, 0, length);
        view.wrap(heap, 0, length);
      }
      return view;
    }
  }

  private final class PeerHandler extends ChannelInboundHandlerAdapter {
    private final int expectedPeer;
    private final FrameView frameView = new FrameView();
    private final UnsafeBuffer out =
        new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + Wire.HELLO_LENGTH]);
    private Handshake handshake;
    private int peer = -1;

    PeerHandler(int expectedPeer) {
      this.expectedPeer = expectedPeer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      byte[] nonce = new byte[32];
      random.nextBytes(nonce);
      handshake = new Handshake(committee, chainId, key, expectedPeer, nonces, nonce);
      int length = handshake.writeHello(out, 0);
      write(ctx.channel(), out, 0, length);
      ctx.executor()
          .schedule(
              () -> {
                if (!handshake.authenticated()) {
                  refuse(ctx, "handshake timed out");
                }
              },
              HANDSHAKE_TIMEOUT_MS,
              TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      try {
        DirectBuffer buffer = frameView.wrap(frame);
        int length = frame.readableBytes();
        Wire.FrameError error = Wire.validate(buffer, 0, length);
        if (error != Wire.FrameError.OK) {
          refuse(ctx, "malformed frame: " + error);
          return;
        }
        byte type = Wire.type(buffer, 0);
        if (peer >= 0) {
          if (!MessageType.isPeerMessage(type)) {
            refuse(ctx, "unexpected " + MessageType.name(type) + " on an authenticated link");
            return;
          }
          listener.onPeerFrame(peer, buffer, 0, length);
        } else if (type == MessageType.HELLO) {
          String refusal = handshake.onHello(buffer, Wire.HEADER_LENGTH);
          if (refusal != null) {
            refuse(ctx, refusal);
            return;
          }
          int n = handshake.writeAuth(out, 0);
          write(ctx.channel(), out, 0, n);
        } else if (type == MessageType.AUTH) {
          String refusal = handshake.onAuth(buffer, Wire.HEADER_LENGTH);
          if (refusal != null) {
            refuse(ctx, refusal);
            return;
          }
          peer = handshake.peerIndex();
          Channel previous = peers.getAndSet(peer, ctx.channel());
          if (previous != null && previous != ctx.channel()) {
            previous.close();
          }
          LOG.log(
              System.Logger.Level.DEBUG, "validator {0}: link to {1} authenticated", self, peer);
          listener.onPeerUp(peer);
        } else {
          refuse(ctx, MessageType.name(type) + " before authentication");
        }
      } finally {
        frame.release();
      }
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
      LOG.log(
          System.Logger.Level.WARNING,
          "validator {0}: closing link {1}: {2}",
          self,
          ctx.channel().remoteAddress(),
          reason);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (peer >= 0 && peers.compareAndSet(peer, ctx.channel(), null)) {
        listener.onPeerDown(peer);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      refuse(ctx, String.valueOf(cause));
    }
  }

  private final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final FrameView frameView = new FrameView();
    private long connection;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      connection = nextConnection.getAndIncrement();
      clients.put(connection, ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      try {
        DirectBuffer buffer = frameView.wrap(frame);
        int length = frame.readableBytes();
        Wire.FrameError error = Wire.validate(buffer, 0, length);
        if (error != Wire.FrameError.OK || !MessageType.isClientRequest(Wire.type(buffer, 0))) {
          LOG.log(System.Logger.Level.DEBUG, "client {0}: malformed frame {1}", connection, error);
          ctx.close();
          return;
        }
        listener.onClientFrame(connection, buffer, 0, length);
      } finally {
        frame.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      clients.remove(connection);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
