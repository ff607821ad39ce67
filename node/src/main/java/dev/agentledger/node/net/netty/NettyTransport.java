package dev.agentledger.node.net.netty;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.ConnectionLimits;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.RateLimitedLog;
import dev.agentledger.node.net.Transport;
import dev.agentledger.node.net.TransportListener;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.tls.LinkTls;
import dev.agentledger.node.net.tls.ServerTls;
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
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
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
 * per pair), reconnecting with exponential backoff; each link is mutual TLS 1.3 ({@link LinkTls},
 * Netty's {@link SslHandler} over the JDK engine, on every I/O transport) and carries no frame
 * before its handshake completes within {@value #HANDSHAKE_TIMEOUT_MS} ms; the peer's identity is
 * the committee key of its verified certificate. A link is closed on any malformed or unexpected
 * frame. One live link per validator: a later connection authenticated as a validator that already
 * has an active link is closed and the live link kept; it replaces the link only once that link is
 * inactive (closed, reset or timed out). Each link has its own bounded outbound buffer
 * (write-buffer water marks): when a peer is slow its link becomes unwritable and sends to it
 * return false, while the other links carry on. Frames to a peer go through its {@link
 * LinkSendQueue}: the frames a stage sends in one duty cycle reach the event loop as one task and
 * leave with one flush. Client connections use a separate port with a smaller frame bound; with
 * {@link Config#clientTls} that port is TLS 1.3 ({@link ServerTls}) and a connection that does not
 * complete the handshake carries no frame.
 */
public final class NettyTransport implements Transport {
  private static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());

  /**
   * Where and how to listen. Port 0 picks a free port. {@code clientLimits} bound the client port;
   * {@code peerLimits} the inbound connections of the peer port (null: {@link
   * ConnectionLimits.Settings#peerDefaults} for the committee's size); {@code clientTls} makes the
   * client port TLS 1.3 (null: plaintext).
   */
  public record Config(
      String peerHost,
      int peerPort,
      String clientHost,
      int clientPort,
      IoKind ioKind,
      int ioThreads,
      int sendQueueBytes,
      ConnectionLimits.Settings clientLimits,
      ConnectionLimits.Settings peerLimits,
      ServerTls clientTls) {
    /** A plaintext client port. */
    public Config(
        String peerHost,
        int peerPort,
        String clientHost,
        int clientPort,
        IoKind ioKind,
        int ioThreads,
        int sendQueueBytes,
        ConnectionLimits.Settings clientLimits,
        ConnectionLimits.Settings peerLimits) {
      this(
          peerHost,
          peerPort,
          clientHost,
          clientPort,
          ioKind,
          ioThreads,
          sendQueueBytes,
          clientLimits,
          peerLimits,
          null);
    }

    /** Default connection limits on both ports; a plaintext client port. */
    public Config(
        String peerHost,
        int peerPort,
        String clientHost,
        int clientPort,
        IoKind ioKind,
        int ioThreads,
        int sendQueueBytes) {
      this(
          peerHost,
          peerPort,
          clientHost,
          clientPort,
          ioKind,
          ioThreads,
          sendQueueBytes,
          ConnectionLimits.Settings.clientDefaults(),
          null);
    }

    /** This configuration with the client port served over {@code tls} (null: plaintext). */
    public Config withClientTls(ServerTls tls) {
      return new Config(
          peerHost,
          peerPort,
          clientHost,
          clientPort,
          ioKind,
          ioThreads,
          sendQueueBytes,
          clientLimits,
          peerLimits,
          tls);
    }

    public static Config loopback(int peerPort, int clientPort) {
      return new Config(
          "127.0.0.1", peerPort, "127.0.0.1", clientPort, IoKind.detect(), 2, 16 << 20);
    }
  }

  private static final long HANDSHAKE_TIMEOUT_MS = 5_000;
  private static final int MAX_REASON_CHARS = 200;
  private static final long RECONNECT_MIN_MS = 50;
  private static final long RECONNECT_MAX_MS = 2_000;

  private final Config config;
  private final Committee committee;
  private final int self;
  private final LinkTls tls;
  private final TransportListener listener;
  private final AtomicReferenceArray<Channel> peers;
  private final Map<Long, Channel> clients = new ConcurrentHashMap<>();
  private final AtomicLong nextConnection = new AtomicLong(1);

  /** Keys the remote-address hash in client connection ids ({@code ClientConnectionIds}). */
  private final long addressKey = new java.security.SecureRandom().nextLong();

  private final AtomicLong dropped = new AtomicLong();
  private final PeerTraffic traffic = new PeerTraffic();
  private final ConnectionLimits clientLimits;
  private final ConnectionLimits peerLimits;
  private final RateLimitedLog clientRefusals = new RateLimitedLog(TimeUnit.SECONDS.toNanos(1));
  private final RateLimitedLog peerRefusals = new RateLimitedLog(TimeUnit.SECONDS.toNanos(1));
  private final AcceptErrors clientAcceptErrors = new AcceptErrors("client");
  private final AcceptErrors peerAcceptErrors = new AcceptErrors("peer");
  private EventLoopGroup group;
  private Channel peerServer;
  private Channel clientServer;
  private volatile boolean closing;

  /**
   * @throws IllegalArgumentException when {@code key} is not the committee key of validator {@code
   *     selfIndex}
   */
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
    this.tls = new LinkTls(committee, selfIndex, chainId, key);
    this.listener = listener;
    this.peers = new AtomicReferenceArray<>(committee.size());
    this.clientLimits = new ConnectionLimits(config.clientLimits());
    this.peerLimits =
        new ConnectionLimits(
            config.peerLimits() != null
                ? config.peerLimits()
                : ConnectionLimits.Settings.peerDefaults(committee.size()));
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
            .handler(peerAcceptErrors)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
            .childHandler(peerInitializer(-1, null))
            .bind(config.peerHost(), config.peerPort())
            .syncUninterruptibly()
            .channel();
    clientServer =
        new ServerBootstrap()
            .group(group)
            .channel(kind.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(clientAcceptErrors)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    FrameDecoder decoder = frameDecoder(Wire.MAX_CLIENT_FRAME);
                    ch.pipeline()
                        .addLast(
                            ConnectionGuard.forFrames(
                                "client", clientLimits, clientRefusals, decoder));
                    if (config.clientTls() != null) {
                      ch.pipeline().addLast(config.clientTls().handler());
                    }
                    ch.pipeline().addLast(decoder).addLast(new ClientHandler());
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

  private static FrameDecoder frameDecoder(int maxFrame) {
    return new FrameDecoder(maxFrame);
  }

  /**
   * TLS, then frames, then the link handler; {@code dialed} is the handler of a link this side
   * dials (null on the accepting side, which makes one per connection). Sends arrive in bulk from
   * the {@link LinkSendQueue} (one flush per drain); the flush consolidation above TLS lets the
   * flushes of one event-loop turn share TLS records (up to 16 KiB each) instead of paying a record
   * and a cipher call per frame.
   */
  private ChannelInitializer<SocketChannel> peerInitializer(int expectedPeer, PeerHandler dialed) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        SslHandler ssl =
            new SslHandler(
                expectedPeer >= 0 ? tls.dialerEngine(expectedPeer) : tls.acceptorEngine());
        ssl.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS);
        FrameDecoder decoder = frameDecoder(Wire.MAX_PEER_FRAME);
        if (expectedPeer < 0) { // accepted: bounded like any inbound connection
          ch.pipeline()
              .addLast(ConnectionGuard.forFrames("peer", peerLimits, peerRefusals, decoder));
        }
        ch.pipeline()
            .addLast(traffic)
            .addLast(ssl)
            .addLast(
                new FlushConsolidationHandler(
                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
            .addLast(decoder)
            .addLast(dialed != null ? dialed : new PeerHandler(-1));
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
    PeerHandler handler = new PeerHandler(peer);
    ChannelFuture future =
        new Bootstrap()
            .group(group)
            .channel(config.ioKind().socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
            .handler(peerInitializer(peer, handler))
            .connect(member.host(), member.peerPort());
    future.addListener(
        f -> {
          if (!f.isSuccess()) {
            scheduleDial(peer, Math.min(delayMs * 2, RECONNECT_MAX_MS));
          } else {
            // A link that carried frames reconnects at once; one refused during or right after its
            // handshake (a wrong key, or the peer still holds a live link from us) backs off.
            future
                .channel()
                .closeFuture()
                .addListener(
                    c ->
                        scheduleDial(
                            peer,
                            handler.carriedFrames()
                                ? RECONNECT_MIN_MS
                                : Math.min(delayMs * 2, RECONNECT_MAX_MS)));
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
    Channel channel = peers.get(peer);
    if (channel == null || !channel.isActive() || !channel.isWritable()) {
      dropped.incrementAndGet();
      return false;
    }
    ByteBuf buf = lengthPrefixed(channel, frame, offset, length);
    if (!LinkSendQueue.of(channel, config.sendQueueBytes()).offer(buf)) {
      dropped.incrementAndGet();
      return false;
    }
    traffic.frameSent();
    return true;
  }

  @Override
  public boolean sendToClient(long connection, DirectBuffer frame, int offset, int length) {
    Channel channel = clients.get(connection);
    if (Wire.type(frame, offset) == MessageType.SUBMIT_RESULT) {
      // Never dropped while the connection lives: the client pairs answers with its SUBMITs in
      // order, so a missing one would shift every later answer. A client that does not read them
      // stops being read instead (ClientHandler.channelWritabilityChanged).
      return writeAnswer(channel, frame, offset, length);
    }
    return write(channel, frame, offset, length);
  }

  private boolean writeAnswer(Channel channel, DirectBuffer frame, int offset, int length) {
    if (channel == null || !channel.isActive()) {
      dropped.incrementAndGet();
      return false;
    }
    // Queued for the connection's event loop, which writes every answer queued by then and
    // flushes once: a duty cycle's answers to one client cost one task and one flush.
    ByteBuf buf = lengthPrefixed(channel, frame, offset, length);
    if (!LinkSendQueue.answers(channel).offer(buf)) {
      dropped.incrementAndGet(); // the transport is closing
      return false;
    }
    return true;
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
    ByteBuf buf = lengthPrefixed(channel, frame, offset, length);
    channel.writeAndFlush(buf).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
  }

  private boolean write(Channel channel, DirectBuffer frame, int offset, int length) {
    if (channel == null || !channel.isActive() || !channel.isWritable()) {
      dropped.incrementAndGet();
      return false;
    }
    ByteBuf buf = lengthPrefixed(channel, frame, offset, length);
    channel.writeAndFlush(buf, channel.voidPromise());
    return true;
  }

  /**
   * The frame with its little-endian length prefix, in an I/O buffer of the channel's allocator.
   */
  private static ByteBuf lengthPrefixed(
      Channel channel, DirectBuffer frame, int offset, int length) {
    ByteBuf buf = channel.alloc().ioBuffer(Wire.LENGTH_FIELD_BYTES + length);
    buf.writeIntLE(length);
    copyInto(buf, frame, offset, length);
    return buf;
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

  /** Accept errors of the client and peer ports (each logged at most once a second). */
  public long acceptErrors() {
    return clientAcceptErrors.errors() + peerAcceptErrors.errors();
  }

  @Override
  public int clientConnections() {
    return clientLimits.open();
  }

  @Override
  public long clientConnectionsRefused() {
    return clientLimits.refused();
  }

  @Override
  public long clientConnectionsTimedOut() {
    return clientLimits.timedOut();
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
  public void peerTraffic(java.util.function.ObjLongConsumer<String> sink) {
    traffic.forEach(sink);
  }

  @Override
  public void close() {
    closing = true;
    if (group == null) {
      return;
    }
    // Every channel's close runs to its end on a live event loop (under io_uring that cancels the
    // listener's pending accept and closes its socket) before the loops stop: with the loops shut
    // down first, a listener stayed bound for tens of seconds after close returned.
    java.util.List<io.netty.channel.ChannelFuture> closes = new java.util.ArrayList<>();
    if (peerServer != null) {
      closes.add(peerServer.close());
    }
    if (clientServer != null) {
      closes.add(clientServer.close());
    }
    for (Channel client : clients.values()) {
      closes.add(client.close());
    }
    for (int i = 0; i < peers.length(); i++) {
      Channel peer = peers.get(i);
      if (peer != null) {
        closes.add(peer.close());
      }
    }
    for (io.netty.channel.ChannelFuture f : closes) {
      f.awaitUninterruptibly(1, TimeUnit.SECONDS);
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
    private int peer = -1;
    private volatile boolean carriedFrames;

    PeerHandler(int expectedPeer) {
      this.expectedPeer = expectedPeer;
    }

    boolean carriedFrames() {
      return carriedFrames;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (!(event instanceof SslHandshakeCompletionEvent done)) {
        ctx.fireUserEventTriggered(event);
        return;
      }
      if (!done.isSuccess()) {
        refuse(ctx, "TLS handshake failed: " + done.cause());
        return;
      }
      int index;
      try {
        index =
            tls.peerIndex(ctx.pipeline().get(SslHandler.class).engine().getSession(), expectedPeer);
      } catch (Exception e) { // the trust manager already refused these; belt and braces
        refuse(ctx, "unverified peer: " + e);
        return;
      }
      if (!register(index, ctx.channel())) {
        refuse(ctx, "validator " + index + " already has a live link; keeping it");
        return;
      }
      peer = index;
      LOG.log(System.Logger.Level.DEBUG, "validator {0}: link to {1} authenticated", self, peer);
      listener.onPeerUp(peer);
    }

    /**
     * Makes {@code channel} the link to {@code index} unless an active link holds the slot: an
     * established link is never displaced by a newcomer, even one with valid credentials; a dead
     * one (inactive, its close not yet processed) is.
     */
    private boolean register(int index, Channel channel) {
      while (true) {
        Channel live = peers.get(index);
        if (live != null && live != channel && live.isActive()) {
          return false;
        }
        if (peers.compareAndSet(index, live, channel)) {
          return true;
        }
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      traffic.frameReceived();
      if (msg instanceof FrameDecoder.Oversize oversize) {
        long count = Wire.oversizeRecordCount(oversize.head(), oversize.lengthBytes());
        if (peer < 0 || count < 0) {
          refuse(ctx, "frame of " + oversize.lengthBytes() + " bytes over the bound");
        } else {
          LOG.log(
              System.Logger.Level.WARNING,
              "validator {0}: dropped a frame of {1} records from validator {2}: more than {3}",
              self,
              count,
              peer,
              Wire.MAX_BATCH_RECORDS);
        }
        return;
      }
      ByteBuf frame = (ByteBuf) msg;
      try {
        if (peer < 0) {
          refuse(ctx, "frame before the link was authenticated");
          return;
        }
        DirectBuffer buffer = frameView.wrap(frame);
        int length = frame.readableBytes();
        Wire.FrameError error = Wire.validate(buffer, 0, length);
        if (error != Wire.FrameError.OK) {
          refuse(ctx, "malformed frame: " + error);
          return;
        }
        byte type = Wire.type(buffer, 0);
        if (!MessageType.isPeerMessage(type)) {
          refuse(ctx, "unexpected " + MessageType.name(type) + " on a validator link");
          return;
        }
        carriedFrames = true;
        listener.onPeerFrame(peer, buffer, 0, length);
      } finally {
        frame.release();
      }
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
      LOG.log(
          System.Logger.Level.WARNING,
          "validator {0}: closing link {1}: {2}",
          self,
          peer < 0
              ? String.valueOf(ctx.channel().remoteAddress())
              : "to validator " + peer + " (" + ctx.channel().remoteAddress() + ")",
          // TLS errors may quote the peer's bytes (a hex dump of a non-TLS record): keep it short.
          reason.length() > MAX_REASON_CHARS
              ? reason.substring(0, MAX_REASON_CHARS) + "..."
              : reason);
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
      if (peer < 0) {
        ctx.close(); // a failed handshake: its completion event says why
      } else {
        refuse(ctx, String.valueOf(cause));
      }
    }
  }

  /**
   * A client connection's frames in, and its answers out in SUBMIT order ({@link AnswerOrder}): an
   * answer ready before an earlier SUBMIT's is held until that one goes out.
   */
  private final class ClientHandler extends io.netty.channel.ChannelDuplexHandler {
    private final FrameView frameView = new FrameView();
    private final AnswerOrder<HeldAnswer> order = new AnswerOrder<>();
    private long connection;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      java.net.SocketAddress remote = ctx.channel().remoteAddress();
      connection =
          dev.agentledger.node.net.ClientConnectionIds.of(
              nextConnection.getAndIncrement(),
              remote instanceof java.net.InetSocketAddress inet ? inet.getAddress() : null,
              addressKey);
      clients.put(connection, ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FrameDecoder.Oversize oversize) {
        rejectOversize(ctx, oversize);
        return;
      }
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
        if (Wire.type(buffer, 0) == MessageType.SUBMIT) {
          order.expect(
              buffer.getLong(
                  Wire.HEADER_LENGTH + Wire.REQUEST_ID, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
        listener.onClientFrame(connection, buffer, 0, length);
      } finally {
        frame.release();
      }
    }

    @Override
    public void write(
        ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise)
        throws Exception {
      if (!(msg instanceof ByteBuf buf) || !isSubmitResult(buf)) {
        ctx.write(msg, promise);
        return;
      }
      long requestId =
          buf.getLongLE(
              buf.readerIndex() + Wire.LENGTH_FIELD_BYTES + Wire.HEADER_LENGTH + Wire.REQUEST_ID);
      if (order.isNext(requestId)) {
        order.answeredNext();
        ctx.write(buf, promise);
        for (HeldAnswer next; (next = order.pollReady()) != null; ) {
          ctx.write(next.buf(), next.promise());
        }
      } else if (!order.hold(requestId, new HeldAnswer(buf, promise))) {
        ctx.write(buf, promise); // answers no SUBMIT of this connection
      }
    }

    private static boolean isSubmitResult(ByteBuf buf) {
      return buf.readableBytes() >= Wire.LENGTH_FIELD_BYTES + Wire.HEADER_LENGTH + Wire.RESULT_CODES
          && buf.getByte(buf.readerIndex() + Wire.LENGTH_FIELD_BYTES + Wire.TYPE_OFFSET)
              == MessageType.SUBMIT_RESULT;
    }

    /** A client that does not read its answers is not read either, so they cannot pile up. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      for (HeldAnswer held; (held = order.removeAnyHeld()) != null; ) {
        held.buf().release();
      }
    }

    /** A SUBMIT of more than 256 records gets TOO_MANY_RECORDS; anything else oversize, the end. */
    private void rejectOversize(ChannelHandlerContext ctx, FrameDecoder.Oversize oversize) {
      byte[] head = oversize.head();
      long count = Wire.oversizeRecordCount(head, oversize.lengthBytes());
      if (count < 0 || head[Wire.TYPE_OFFSET] != MessageType.SUBMIT) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "client {0}: frame of {1} bytes over the bound",
            connection,
            oversize.lengthBytes());
        ctx.close();
        return;
      }
      long requestId =
          new UnsafeBuffer(head)
              .getLong(Wire.HEADER_LENGTH + Wire.REQUEST_ID, java.nio.ByteOrder.LITTLE_ENDIAN);
      order.expect(requestId);
      UnsafeBuffer reply = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + Wire.RESULT_CODES + 1]);
      int length = Wire.submitResultHeader(reply, 0, requestId, 1);
      reply.putByte(
          Wire.HEADER_LENGTH + Wire.RESULT_CODES, (byte) TxStatus.TOO_MANY_RECORDS.code());
      writeAnswer(ctx.channel(), reply, 0, length);
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

  /** An answer held for its turn, with its write's promise. */
  private record HeldAnswer(ByteBuf buf, io.netty.channel.ChannelPromise promise) {}
}
