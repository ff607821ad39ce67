package dev.agentledger.node.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.api.OpenApi;
import dev.agentledger.node.api.Problem;
import dev.agentledger.node.api.TransactionJson;
import dev.agentledger.node.net.TxStatus;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP/JSON API's own routes on the query port, in front of the query API: {@code POST
 * /v1/transactions} (submit runs and account operations as JSON, see {@link TransactionJson}),
 * {@code POST /v1/transactions/encode} (the canonical bytes and signing message of unsigned
 * fields), and {@code GET /openapi.json} (the OpenAPI 3.1 description of the whole HTTP API). Every
 * other request passes on unchanged. Errors are RFC 9457 problem details ({@link Problem}).
 *
 * <p>Submission goes through the node's own client port ({@link IngressLink}), so every check of
 * the client protocol applies. Answer of a submission that reached ingress: 200 with one result per
 * transaction ({@code txId}, {@code status}, {@code reason}) in request order; 429 (rate limited)
 * or 503 (overloaded) with {@code Retry-After: 1} when every transaction got that status.
 */
public final class ApiHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String SUBMIT = "/v1/transactions";
  static final String ENCODE = "/v1/transactions/encode";
  static final String OPENAPI = "/openapi.json";

  private final Routes routes;

  private ApiHttpHandler(Routes routes) {
    this.routes = routes;
  }

  /**
   * One per server: makes a handler per connection and owns the one {@link IngressLink} they share
   * (opened on the event loop of the first submission).
   */
  public static final class Routes implements Supplier<ChannelHandler>, AutoCloseable {
    private final InetSocketAddress client;
    private final dev.agentledger.node.net.tls.ClientTls tls;
    private IngressLink link;

    /**
     * @param client the node's client port (plaintext)
     */
    public Routes(InetSocketAddress client) {
      this(client, null);
    }

    /**
     * @param client the node's client port
     * @param tls how to reach it over TLS, or null when it is plaintext
     */
    public Routes(InetSocketAddress client, dev.agentledger.node.net.tls.ClientTls tls) {
      this.client = client;
      this.tls = tls;
    }

    @Override
    public ChannelHandler get() {
      return new ApiHttpHandler(this);
    }

    synchronized IngressLink link(ChannelHandlerContext ctx) {
      if (link == null) {
        link = new IngressLink(client, tls, ctx.channel().eventLoop());
      }
      return link;
    }

    @Override
    public synchronized void close() {
      if (link != null) {
        link.close();
      }
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path;
    try {
      path = new QueryStringDecoder(request.uri()).path();
    } catch (IllegalArgumentException e) {
      ctx.fireChannelRead(request.retain());
      return;
    }
    boolean ours = path.equals(SUBMIT) || path.equals(ENCODE) || path.equals(OPENAPI);
    if (!ours || !request.decoderResult().isSuccess()) {
      ctx.fireChannelRead(request.retain());
      return;
    }
    HttpMethod expected = path.equals(OPENAPI) ? HttpMethod.GET : HttpMethod.POST;
    if (!request.method().equals(expected)) {
      FullHttpResponse response =
          problem(
              Problem.methodNotAllowed(
                  path + " answers " + expected.name() + " only, not " + request.method().name()));
      response.headers().set(HttpHeaderNames.ALLOW, expected.name());
      send(ctx, request, response);
      return;
    }
    if (path.equals(OPENAPI)) {
      send(ctx, request, json(200, OpenApi.document()));
      return;
    }
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      send(
          ctx,
          request,
          problem(
              Problem.unsupportedMediaType(
                  "Content-Type is \"" + type + "\"; send application/json")));
      return;
    }
    byte[] body = ByteBufUtil.getBytes(request.content());
    if (path.equals(ENCODE)) {
      try {
        send(
            ctx,
            request,
            json(200, TransactionJson.encode(body).toString().getBytes(StandardCharsets.UTF_8)));
      } catch (TransactionJson.BadTransaction e) {
        send(ctx, request, problem(Problem.badTransaction(e.getMessage())));
      }
      return;
    }
    List<byte[]> records;
    try {
      records = TransactionJson.parseRequest(body);
    } catch (TransactionJson.BadTransaction e) {
      send(ctx, request, problem(Problem.badTransaction(e.getMessage())));
      return;
    }
    request.retain();
    routes
        .link(ctx)
        .submit(
            records,
            result -> {
              try {
                send(ctx, request, answer(records, result));
              } finally {
                request.release();
              }
            });
  }

  private static FullHttpResponse answer(List<byte[]> records, IngressLink.Result result) {
    if (result.failure() != null) {
      FullHttpResponse response = problem(Problem.ingressUnavailable(result.failure()));
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
      return response;
    }
    List<TxStatus> statuses = result.statuses();
    if (statuses.size() != records.size()) {
      // one status for the whole frame (TOO_MANY_RECORDS cannot happen: at most 256 are sent)
      return problem(
          Problem.badRequest(
              "ingress answered " + statuses.size() + " statuses for " + records.size()));
    }
    boolean allRate = statuses.stream().allMatch(s -> s == TxStatus.RATE_LIMITED);
    boolean allOverloaded = statuses.stream().allMatch(s -> s == TxStatus.OVERLOADED);
    if (allRate || allOverloaded) {
      FullHttpResponse response =
          problem(
              allRate
                  ? new Problem(
                      429, "rate-limited", "Too many transactions", TxStatus.RATE_LIMITED.reason())
                  : Problem.overloaded(TxStatus.OVERLOADED.reason()));
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
      return response;
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode results = body.putArray("results");
    int accepted = 0;
    for (int i = 0; i < records.size(); i++) {
      TxStatus s = statuses.get(i);
      if (s == TxStatus.ACCEPTED) {
        accepted++;
      }
      results
          .addObject()
          .put("txId", TransactionJson.transactionId(records.get(i)))
          .put("status", s == null ? "UNKNOWN" : s.name())
          .put("reason", s == null ? "unknown status" : s.reason());
    }
    body.put("accepted", accepted).put("rejected", records.size() - accepted);
    return json(200, body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static FullHttpResponse json(int status, byte[] body) {
    return response(status, "application/json", body);
  }

  private static FullHttpResponse problem(Problem problem) {
    return response(problem.status(), Problem.MEDIA_TYPE, problem.body());
  }

  private static FullHttpResponse response(int status, String type, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  private static void send(
      ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    if (HttpUtil.isKeepAlive(request)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.fireExceptionCaught(cause);
  }
}
