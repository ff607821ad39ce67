package dev.agentledger.node.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import dev.agentledger.node.gateway.core.GenAiSpan;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
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
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The OTLP/HTTP trace receiver: {@code POST /v1/traces} with a protobuf ({@code
 * application/x-protobuf}) or JSON ({@code application/json}) {@code ExportTraceServiceRequest},
 * optionally gzip-compressed, as the OpenTelemetry SDK exporters and the Collector send it. The
 * answer follows the OTLP/HTTP specification:
 *
 * <ul>
 *   <li>200 with an {@code ExportTraceServiceResponse} in the request's encoding; when spans were
 *       rejected (no key, agent not registered, a bad attribute), its {@code partial_success} holds
 *       their count and the reasons;
 *   <li>400 with a {@code google.rpc.Status} body for a malformed export, 404/405/415 for a wrong
 *       path, method or content type, 413 for a body over {@link #MAX_BODY_BYTES};
 *   <li>503 with {@code Retry-After} when the gateway's queue is full or a validator is overloaded
 *       or unreachable (the exporter retries; spans already accepted are recognised as re-sends).
 * </ul>
 *
 * <p>Threads: the Netty event loop reads requests and queues them ({@link #QUEUE_DEPTH} at most);
 * one agent ({@code otlp-gateway}, an Agrona agent on its own thread with a backoff idle strategy)
 * owns the {@link SpanIngest} and answers.
 */
public final class OtlpGateway implements AutoCloseable {
  /** Largest accepted request body (after decompression), bytes. */
  public static final int MAX_BODY_BYTES = 8 << 20;

  /** Requests waiting for the worker before the gateway answers 503. */
  public static final int QUEUE_DEPTH = 64;

  /** Seconds a client is asked to wait after a 503. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON_TYPE = "application/json";

  private record Job(ChannelHandlerContext ctx, byte[] body, boolean json, boolean keepAlive) {}

  private final SpanIngest ingest;
  private final ManyToOneConcurrentArrayQueue<Job> queue =
      new ManyToOneConcurrentArrayQueue<>(QUEUE_DEPTH);
  private final AtomicLong spansAccepted = new AtomicLong();
  private final AtomicLong spansRejected = new AtomicLong();
  private final AtomicLong spansDuplicate = new AtomicLong();
  private final AtomicLong spansIgnored = new AtomicLong();
  private EventLoopGroup group;
  private Channel channel;
  private AgentRunner worker;

  private dev.agentledger.node.net.tls.ServerTls tls;

  public OtlpGateway(SpanIngest ingest) {
    this.ingest = ingest;
  }

  /**
   * Serves HTTPS (TLS 1.3) with {@code serverTls} (null: plain HTTP); call before {@link #start}.
   */
  public OtlpGateway tls(dev.agentledger.node.net.tls.ServerTls serverTls) {
    this.tls = serverTls;
    return this;
  }

  /** Binds and starts; returns the bound address (port 0 picks a free port). */
  public InetSocketAddress start(InetSocketAddress bind) throws InterruptedException {
    worker =
        new AgentRunner(
            new BackoffIdleStrategy(10, 20, 1_000, 1_000_000),
            error -> System.err.println("otlp-gateway: " + error),
            null,
            new Worker());
    AgentRunner.startOnThread(worker);
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      ch.pipeline().addLast(tls.handler());
                    }
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpContentDecompressor(0),
                            new HttpObjectAggregator(MAX_BODY_BYTES),
                            new Handler());
                  }
                })
            .bind(bind)
            .sync()
            .channel();
    return (InetSocketAddress) channel.localAddress();
  }

  /** Spans accepted, rejected, recognised as re-sends and ignored (not GenAI) so far. */
  public long[] counts() {
    return new long[] {
      spansAccepted.get(), spansRejected.get(), spansDuplicate.get(), spansIgnored.get()
    };
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (worker != null) {
      worker.close();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (!request.decoderResult().isSuccess()) {
        reply(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, false, status("bad HTTP request"));
        return;
      }
      String path = request.uri();
      int query = path.indexOf('?');
      if (query >= 0) {
        path = path.substring(0, query);
      }
      if (!path.equals("/v1/traces")) {
        text(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "only /v1/traces is served here\n");
        return;
      }
      if (!request.method().equals(HttpMethod.POST)) {
        text(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "POST /v1/traces\n");
        return;
      }
      String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
      int semicolon = type.indexOf(';');
      String mediaType = (semicolon >= 0 ? type.substring(0, semicolon) : type).trim();
      boolean json;
      if (mediaType.equalsIgnoreCase(PROTOBUF)) {
        json = false;
      } else if (mediaType.equalsIgnoreCase(JSON_TYPE)) {
        json = true;
      } else {
        text(
            ctx,
            keepAlive,
            HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/x-protobuf or application/json\n");
        return;
      }
      byte[] body = ByteBufUtil.getBytes(request.content());
      if (!queue.offer(new Job(ctx, body, json, keepAlive))) {
        retryLater(ctx, keepAlive, json, "gateway queue full");
      }
    }
  }

  /** The one worker: takes queued exports, ingests their spans, answers. */
  private final class Worker implements Agent {
    @Override
    public int doWork() {
      Job job = queue.poll();
      if (job == null) {
        return 0;
      }
      handle(job);
      return 1;
    }

    @Override
    public String roleName() {
      return "otlp-gateway";
    }
  }

  private void handle(Job job) {
    {
      List<GenAiSpan> spans;
      try {
        spans = job.json() ? OtlpDecoding.json(job.body()) : OtlpDecoding.protobuf(job.body());
      } catch (OtlpDecoding.MalformedExport e) {
        reply(
            job.ctx(),
            job.keepAlive(),
            HttpResponseStatus.BAD_REQUEST,
            job.json(),
            job.json() ? jsonStatus(e.getMessage()) : status(e.getMessage()));
        return;
      }
      SpanIngest.Outcome outcome = ingest.ingest(spans);
      if (outcome.retryLater()) {
        spansAccepted.addAndGet(outcome.accepted());
        retryLater(job.ctx(), job.keepAlive(), job.json(), "a validator is overloaded or down");
        return;
      }
      spansAccepted.addAndGet(outcome.accepted());
      spansRejected.addAndGet(outcome.rejected());
      spansDuplicate.addAndGet(outcome.duplicates());
      spansIgnored.addAndGet(outcome.ignored());
      reply(
          job.ctx(),
          job.keepAlive(),
          HttpResponseStatus.OK,
          job.json(),
          job.json() ? jsonResponse(outcome) : protobufResponse(outcome));
    }
  }

  private static byte[] protobufResponse(SpanIngest.Outcome outcome) {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (outcome.rejected() > 0) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(outcome.rejected())
              .setErrorMessage(outcome.message()));
    }
    return response.build().toByteArray();
  }

  private static byte[] jsonResponse(SpanIngest.Outcome outcome) {
    ObjectNode root = JSON.createObjectNode();
    if (outcome.rejected() > 0) {
      root.putObject("partialSuccess")
          .put("rejectedSpans", Long.toString(outcome.rejected()))
          .put("errorMessage", outcome.message());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A {@code google.rpc.Status} (code 3, INVALID_ARGUMENT) in protobuf. */
  private static byte[] status(String message) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeInt32(1, 3);
      out.writeString(2, message);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] jsonStatus(String message) {
    return JSON.createObjectNode()
        .put("code", 3)
        .put("message", message)
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void retryLater(
      ChannelHandlerContext ctx, boolean keepAlive, boolean json, String why) {
    FullHttpResponse response =
        response(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            json ? JSON_TYPE : PROTOBUF,
            json ? jsonStatus(why) : status(why));
    response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
    write(ctx, keepAlive, response);
  }

  private static void reply(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      HttpResponseStatus code,
      boolean json,
      byte[] body) {
    write(ctx, keepAlive, response(code, json ? JSON_TYPE : PROTOBUF, body));
  }

  private static void text(
      ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus code, String text) {
    write(
        ctx,
        keepAlive,
        response(code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8)));
  }

  private static FullHttpResponse response(HttpResponseStatus code, String type, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code, Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
    if (keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(r);
    } else {
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
