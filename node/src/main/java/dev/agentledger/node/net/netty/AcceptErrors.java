package dev.agentledger.node.net.netty;

import dev.agentledger.node.net.RateLimitedLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listening channel's error handler: an accept error (EMFILE when descriptors run out) is
 * counted, logged at most once per second with the count since the last line, and accepting pauses
 * for {@link #PAUSE_MS} so a persistent error does not spin. Nothing is passed down the pipeline
 * (Netty would log every error again).
 */
@ChannelHandler.Sharable
public final class AcceptErrors extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(AcceptErrors.class.getName());

  /** How long accepting pauses after an error. */
  public static final long PAUSE_MS = 100;

  private final String port;
  private final RateLimitedLog log = new RateLimitedLog(TimeUnit.SECONDS.toNanos(1));
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong lines = new AtomicLong();

  public AcceptErrors(String port) {
    this.port = port;
  }

  /** Accept errors seen. */
  public long errors() {
    return errors.get();
  }

  /** Log lines written about them. */
  public long lines() {
    return lines.get();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    errors.incrementAndGet();
    long count = log.onEvent(System.nanoTime());
    if (count > 0) {
      lines.incrementAndGet();
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} port: {1} accept error(s) since the last report, latest: {2}",
          port,
          count,
          String.valueOf(cause));
    }
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      ctx.executor()
          .schedule(
              () -> ctx.channel().config().setAutoRead(true), PAUSE_MS, TimeUnit.MILLISECONDS);
    }
  }
}
