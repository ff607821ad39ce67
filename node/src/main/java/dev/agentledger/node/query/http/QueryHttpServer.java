package dev.agentledger.node.query.http;

import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.feed.CommitFeed;
import dev.agentledger.node.feed.FeedCommit;
import dev.agentledger.node.feed.FeedFilter;
import dev.agentledger.node.feed.FeedJson;
import dev.agentledger.node.feed.FeedSink;
import dev.agentledger.node.net.ConnectionLimits;
import dev.agentledger.node.net.FeedEndReason;
import dev.agentledger.node.net.RateLimitedLog;
import dev.agentledger.node.net.netty.AcceptErrors;
import dev.agentledger.node.net.netty.ConnectionGuard;
import dev.agentledger.node.query.QueryApi;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a {@link QueryApi} over HTTP/1.1 with Netty (NIO transport: the query port is not the hot
 * path; the framed transaction port uses io_uring). Requests are aggregated up to {@link
 * #MAX_REQUEST_BYTES} (larger ones get 413); answers are computed on the event loop (proof building
 * is in-memory and short). Handlers added with {@link #withRoutes} see each request first and pass
 * on those they do not answer. With {@link #tls} the port serves HTTPS (TLS 1.3) only.
 *
 * <p><b>Event stream.</b> {@code GET /v1/events/stream?from=N} answers {@code text/event-stream}
 * (Server-Sent Events): every committed event from commit {@code N} on, in commit order, then each
 * new one as it is committed. Each event's SSE id is {@code commit:index}; a client that reconnects
 * with {@code Last-Event-ID} (or {@code from}) resumes right after the last event it received, so
 * nothing is lost or repeated. A subscriber that does not read fast enough (more than {@link
 * #STREAM_BUFFER_BYTES} waiting) is disconnected rather than buffered without bound; it resumes
 * from its last id.
 *
 * <p><b>Commit feed.</b> With a {@link CommitFeed}, {@code GET /v1/feed?from=N&agent=HEX} answers
 * {@code text/event-stream}: the receipts (tx id, index, execution code) of every commit from
 * {@code N} on (no {@code from}: from the next commit; {@code Last-Event-ID: S} resumes at {@code S
 * + 1}), of every transaction or of those signed by the given agents ({@code agent} repeated or
 * comma-separated), in the form of {@link FeedJson}. The subscription's buffer is the feed's; a
 * subscriber that falls too far behind gets an {@code end} event with the reason and is closed.
 */
public final class QueryHttpServer implements AutoCloseable {
  /** Bytes a streaming subscriber may leave unread before it is disconnected. */
  public static final int STREAM_BUFFER_BYTES = 8 << 20;

  /** Largest request (headers and body) the server reads. */
  public static final int MAX_REQUEST_BYTES = 1 << 20;

  private final List<java.util.function.Supplier<io.netty.channel.ChannelHandler>> routes =
      new java.util.ArrayList<>();

  private final QueryApi api;
  private final boolean metricsOnly;
  private final CommitFeed feed;
  private EventLoopGroup group;
  private Channel channel;

  private final ConnectionLimits limits;
  private dev.agentledger.node.health.NodeHealth health;
  private dev.agentledger.node.net.tls.ServerTls tls;
  private final RateLimitedLog refusals = new RateLimitedLog(1_000_000_000L);
  private final AcceptErrors acceptErrors = new AcceptErrors("query");

  /** Serves the whole query API. */
  public QueryHttpServer(QueryApi api) {
    this(api, false, null, ConnectionLimits.Settings.httpDefaults());
  }

  /** Serves {@code api} and, when {@code feed} is non-null, the commit feed at {@code /v1/feed}. */
  public QueryHttpServer(QueryApi api, CommitFeed feed) {
    this(api, false, feed, ConnectionLimits.Settings.httpDefaults());
  }

  /**
   * Serves the query API, or with {@code metricsOnly} only {@code GET /metrics} (every other path
   * is 404): what a node's metrics port listens with.
   */
  public QueryHttpServer(QueryApi api, boolean metricsOnly) {
    this(api, metricsOnly, null, ConnectionLimits.Settings.httpDefaults());
  }

  /**
   * As above, with the port's connection limits (a request must arrive whole within the frame
   * timeout; an event stream may stay silent).
   */
  public QueryHttpServer(QueryApi api, boolean metricsOnly, ConnectionLimits.Settings limits) {
    this(api, metricsOnly, null, limits);
  }

  /** The query API, or only {@code /metrics}; the commit feed when non-null; the port's limits. */
  public QueryHttpServer(
      QueryApi api, boolean metricsOnly, CommitFeed feed, ConnectionLimits.Settings limits) {
    this.api = api;
    this.metricsOnly = metricsOnly;
    this.feed = metricsOnly ? null : feed;
    this.limits = new ConnectionLimits(limits);
  }

  /**
   * Also answers {@code /health} and {@code /ready} from {@code nodeHealth} ({@link
   * HealthHandler}), on the query port and on a metrics-only port alike; call before {@link
   * #start}.
   */
  public QueryHttpServer health(dev.agentledger.node.health.NodeHealth nodeHealth) {
    this.health = nodeHealth;
    return this;
  }

  /**
   * Serves HTTPS: TLS 1.3 with {@code serverTls} (null: plain HTTP); call before {@link #start}.
   */
  public QueryHttpServer tls(dev.agentledger.node.net.tls.ServerTls serverTls) {
    this.tls = serverTls;
    return this;
  }

  /** Request progress of one connection, for its {@link ConnectionGuard}. */
  private static final class HttpProgress implements ConnectionGuard.Progress {
    private boolean requestOpen;
    private boolean streaming;

    @Override
    public void onBytes() {
      requestOpen = true;
    }

    @Override
    public boolean midMessage() {
      return requestOpen && !streaming;
    }

    @Override
    public boolean mayIdle() {
      return streaming;
    }

    void answered() {
      requestOpen = false;
    }
  }

  /**
   * Adds routes in front of the query API: {@code handlers} makes one handler per connection that
   * answers its own requests ({@code FullHttpRequest}) and passes the others on. Call before {@link
   * #start}.
   */
  public QueryHttpServer withRoutes(
      java.util.function.Supplier<io.netty.channel.ChannelHandler> handlers) {
    routes.add(handlers);
    return this;
  }

  /** Binds and starts serving; returns the bound address (port 0 picks a free port). */
  public InetSocketAddress start(InetSocketAddress bind) throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(
                io.netty.channel.ChannelOption.WRITE_BUFFER_WATER_MARK,
                new io.netty.channel.WriteBufferWaterMark(
                    STREAM_BUFFER_BYTES / 2, STREAM_BUFFER_BYTES))
            .handler(acceptErrors)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    HttpProgress progress = new HttpProgress();
                    ch.pipeline().addLast(new ConnectionGuard("query", limits, refusals, progress));
                    if (tls != null) {
                      ch.pipeline().addLast(tls.handler());
                    }
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(MAX_REQUEST_BYTES),
                            new io.netty.channel.ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                progress.requestOpen = false; // a whole request arrived
                                ctx.fireChannelRead(msg);
                              }
                            });
                    if (health != null) {
                      ch.pipeline().addLast(new HealthHandler(health, progress::answered));
                    }
                    if (!metricsOnly) {
                      routes.forEach(r -> ch.pipeline().addLast(r.get()));
                    }
                    ch.pipeline().addLast(new Handler(progress));
                  }
                })
            .bind(bind)
            .sync()
            .channel();
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final HttpProgress progress;

    Handler(HttpProgress progress) {
      this.progress = progress;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      progress.requestOpen = false;
      QueryApi.Response answer;
      if (!request.decoderResult().isSuccess()) {
        answer =
            new QueryApi.Response(
                400,
                "text/plain",
                "bad request\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } else {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        Map<String, String> query = new HashMap<>();
        try {
          uri.path();
          for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
            query.put(e.getKey(), e.getValue().get(e.getValue().size() - 1));
          }
        } catch (IllegalArgumentException e) { // malformed percent-encoding
          send(
              ctx,
              request,
              QueryApi.Response.error(400, "malformed request URI: " + e.getMessage()));
          return;
        }
        if (metricsOnly && !uri.path().equals("/metrics")) {
          send(ctx, request, QueryApi.Response.error(404, "this port serves only /metrics"));
          return;
        }
        if (uri.path().equals("/v1/events/stream") && request.method().name().equals("GET")) {
          String resume = request.headers().get("Last-Event-ID");
          if (stream(ctx, resume != null ? resume : query.getOrDefault("from", "1"))) {
            progress.streaming = true;
            return;
          }
          answer =
              QueryApi.Response.error(
                  400, "from / Last-Event-ID must be a commit sequence N or N:INDEX");
          send(ctx, request, answer);
          return;
        }
        if (uri.path().equals("/v1/feed")
            && feed != null
            && request.method().name().equals("GET")) {
          String refusal = feed(ctx, request, uri);
          if (refusal == null) {
            progress.streaming = true;
            return;
          }
          send(ctx, request, QueryApi.Response.error(400, refusal));
          return;
        }
        answer = api.handle(request.method().name(), uri.path(), query, System::nanoTime);
      }
      send(ctx, request, answer);
    }

    private void send(
        ChannelHandlerContext ctx, FullHttpRequest request, QueryApi.Response answer) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(answer.status()),
              Unpooled.wrappedBuffer(answer.body()));
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
          .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    /** Starts an SSE stream from {@code position} (N or N:INDEX); false when it does not parse. */
    private boolean stream(ChannelHandlerContext ctx, String position) {
      long fromCommit;
      int afterIndex = -1;
      try {
        int colon = position.indexOf(':');
        if (colon < 0) {
          fromCommit = Long.parseLong(position.trim());
        } else {
          fromCommit = Long.parseLong(position.substring(0, colon).trim());
          afterIndex = Integer.parseInt(position.substring(colon + 1).trim());
        }
      } catch (NumberFormatException e) {
        return false;
      }
      if (fromCommit < 1) {
        return false;
      }
      io.netty.handler.codec.http.HttpResponse head =
          new io.netty.handler.codec.http.DefaultHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
          .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      ctx.writeAndFlush(head);
      Channel ch = ctx.channel();
      long skipCommit = fromCommit;
      int skipUpTo = afterIndex;
      EventLog.Subscription subscription =
          api.events()
              .subscribe(
                  fromCommit,
                  event -> {
                    if (event.commitSequence() == skipCommit && event.txIndex() <= skipUpTo) {
                      return;
                    }
                    if (!ch.isActive()) {
                      throw new IllegalStateException(
                          "subscriber gone"); // the log drops this subscription
                    }
                    if (!ch.isWritable()) {
                      ch.close(); // too slow: it resumes from its last id
                      throw new IllegalStateException("subscriber too slow");
                    }
                    String frame =
                        "id: "
                            + event.commitSequence()
                            + ":"
                            + event.txIndex()
                            + "\nevent: "
                            + event.type().name()
                            + "\ndata: "
                            + QueryApi.eventJson(event)
                            + "\n\n";
                    ch.writeAndFlush(
                        new io.netty.handler.codec.http.DefaultHttpContent(
                            Unpooled.copiedBuffer(frame, java.nio.charset.StandardCharsets.UTF_8)));
                  });
      ch.closeFuture().addListener(f -> subscription.close());
      return true;
    }

    /** Starts a feed stream; returns why the request is refused, or null. */
    private String feed(
        ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
      long from = 0;
      String resume = request.headers().get("Last-Event-ID");
      List<String> fromValues = uri.parameters().get("from");
      try {
        if (resume != null) {
          from = Long.parseLong(resume.trim()) + 1;
        } else if (fromValues != null) {
          from = Long.parseLong(fromValues.get(fromValues.size() - 1).trim());
        }
      } catch (NumberFormatException e) {
        return "from / Last-Event-ID must be a commit sequence";
      }
      if (from < 0 || (fromValues != null && resume == null && from < 1)) {
        return "from must be a commit sequence of 1 or more";
      }
      List<String> agents = new java.util.ArrayList<>();
      for (String value : uri.parameters().getOrDefault("agent", List.of())) {
        for (String part : value.split(",")) {
          if (!part.isBlank()) {
            agents.add(part.trim());
          }
        }
      }
      FeedFilter filter;
      try {
        filter = FeedFilter.agentsHex(agents);
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
      io.netty.handler.codec.http.HttpResponse head =
          new io.netty.handler.codec.http.DefaultHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
          .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      ctx.writeAndFlush(head);
      Channel ch = ctx.channel();
      CommitFeed.Subscription subscription = feed.subscribe(from, filter, new SseFeedSink(ch));
      ch.closeFuture().addListener(f -> subscription.close());
      return null;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
      if (feed != null && ctx.channel().isWritable()) {
        feed.wake();
      }
      super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One feed subscription as an SSE stream: a commit event is written whole or not at all. */
  private static final class SseFeedSink implements FeedSink {
    private final Channel channel;

    SseFeedSink(Channel channel) {
      this.channel = channel;
    }

    private void write(String text) {
      channel.writeAndFlush(
          new io.netty.handler.codec.http.DefaultHttpContent(
              Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public boolean subscribed(long lastSequenceBefore) {
      if (!channel.isWritable()) {
        return false;
      }
      write(FeedJson.subscribedEvent(lastSequenceBefore));
      return true;
    }

    @Override
    public int deliver(FeedCommit commit, FeedFilter filter, int from) {
      if (!channel.isActive()) {
        return GONE;
      }
      if (!channel.isWritable()) {
        return from;
      }
      write(FeedJson.commitEvent(commit, filter, from));
      return commit.size();
    }

    @Override
    public void end(FeedEndReason reason, String detail) {
      channel
          .writeAndFlush(
              new io.netty.handler.codec.http.DefaultHttpContent(
                  Unpooled.copiedBuffer(
                      FeedJson.endEvent(reason, detail), java.nio.charset.StandardCharsets.UTF_8)))
          .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public boolean isOpen() {
      return channel.isActive();
    }
  }
}
