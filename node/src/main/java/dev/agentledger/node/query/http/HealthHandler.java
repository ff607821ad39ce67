package dev.agentledger.node.query.http;

import dev.agentledger.node.health.HealthReport;
import dev.agentledger.node.health.NodeHealth;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code GET /health} (liveness) and {@code GET /ready} (readiness) from a {@link
 * NodeHealth}: 200 when the report passes, 503 when it does not, with the report's JSON as the body
 * ({@code HEAD} answers the same status with no body). Every other request passes on to the next
 * handler. The report is computed on the event loop; it reads counters and flags only.
 */
final class HealthHandler extends ChannelInboundHandlerAdapter {
  private final NodeHealth health;
  private final Runnable onAnswered;

  /** {@code onAnswered} runs after each answered request (the connection's progress tracking). */
  HealthHandler(NodeHealth health, Runnable onAnswered) {
    this.health = health;
    this.onAnswered = onAnswered;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || !request.decoderResult().isSuccess()) {
      ctx.fireChannelRead(msg);
      return;
    }
    String path;
    try {
      path = new QueryStringDecoder(request.uri()).path();
    } catch (IllegalArgumentException e) {
      ctx.fireChannelRead(msg); // the query handler answers malformed URIs
      return;
    }
    boolean live = path.equals("/health");
    if (!live && !path.equals("/ready")) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      onAnswered.run();
      HttpMethod method = request.method();
      FullHttpResponse response;
      if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
        response =
            response(HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"use GET or HEAD\"}");
        response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      } else {
        HealthReport report = live ? health.liveness() : health.readiness();
        response = response(HttpResponseStatus.valueOf(report.httpStatus()), report.toJson());
        if (method.equals(HttpMethod.HEAD)) {
          int length = response.content().readableBytes();
          response.content().clear();
          response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        }
      }
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      if (HttpUtil.isKeepAlive(request)) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private static FullHttpResponse response(HttpResponseStatus status, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }
}
