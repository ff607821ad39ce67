package dev.agentledger.node.net.netty;

import dev.agentledger.node.net.ConnectionLimits;
import dev.agentledger.node.net.RateLimitedLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * First handler of every accepted connection of one port: admits it under the port's {@link
 * ConnectionLimits} (a refused connection is closed at once; refusals are logged at most once a
 * second, with their count), and closes it when it sends nothing for {@code readIdleMs} or when a
 * frame that started to arrive is not whole after {@code frameTimeoutMs} (a truncated frame, a
 * slow-loris sender). A frame is timed from the read it started in, so a sender streaming whole
 * frames back to back is never cut off, however long it streams. Timeouts are checked on the
 * connection's event loop, on its clock.
 */
public final class ConnectionGuard extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());

  /** What the guard asks the rest of the pipeline. */
  public interface Progress {
    /** Called as bytes arrive, before the rest of the pipeline sees them. */
    default void onBytes() {}

    /** True while part of a frame or request has arrived and the rest has not. */
    boolean midMessage();

    /**
     * Whole frames or requests arrived so far; a count that moves during a read tells the guard
     * that the message still arriving after it started in that read. The default (never moves)
     * times a partial message from the first read that left one.
     */
    default long messages() {
      return 0;
    }

    /** True while the connection may be silent for good (a server-sent event stream). */
    default boolean mayIdle() {
      return false;
    }
  }

  private final String port;
  private final ConnectionLimits limits;
  private final RateLimitedLog refusals;
  private final Progress progress;
  private InetAddress address;
  private boolean admitted;
  private long lastReadNs;
  private long partialSinceNs;
  private ScheduledFuture<?> check;

  /**
   * @param port the port's name for log lines ("client", "peer", "query")
   * @param refusals the port's shared refusal log limiter
   */
  public ConnectionGuard(
      String port, ConnectionLimits limits, RateLimitedLog refusals, Progress progress) {
    this.port = port;
    this.limits = limits;
    this.refusals = refusals;
    this.progress = progress;
  }

  /** A guard whose progress is the frame decoder's of the same pipeline. */
  static ChannelHandler forFrames(
      String port, ConnectionLimits limits, RateLimitedLog refusals, FrameDecoder decoder) {
    return new ConnectionGuard(
        port,
        limits,
        refusals,
        new Progress() {
          @Override
          public boolean midMessage() {
            return decoder.midFrame();
          }

          @Override
          public long messages() {
            return decoder.frames();
          }
        });
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    address =
        ctx.channel().remoteAddress() instanceof InetSocketAddress a
            ? a.getAddress()
            : InetAddress.getLoopbackAddress();
    ConnectionLimits.Refusal refusal = limits.tryOpen(address);
    if (refusal != null) {
      long count = refusals.onEvent(System.nanoTime());
      if (count > 0) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0} port: refused {1} connection(s) since the last report ({2}: {3} at most, {4} per"
                + " address; latest from {5})",
            port,
            count,
            refusal,
            limits.settings().maxConnections(),
            limits.settings().maxPerAddress(),
            address.getHostAddress());
      }
      ctx.close();
      return;
    }
    admitted = true;
    lastReadNs = ctx.executor().ticker().nanoTime();
    ConnectionLimits.Settings s = limits.settings();
    long periodMs = Math.max(10, Math.min(s.readIdleMs(), s.frameTimeoutMs()) / 4);
    check =
        ctx.executor()
            .scheduleAtFixedRate(() -> check(ctx), periodMs, periodMs, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!admitted) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    long now = ctx.executor().ticker().nanoTime();
    lastReadNs = now;
    long messagesBefore = progress.messages();
    progress.onBytes();
    ctx.fireChannelRead(msg);
    if (progress.midMessage()) {
      // The message still arriving began in this read if one completed in it: a sender streaming
      // frames back to back, every read ending inside the next frame, is not one slow frame.
      if (partialSinceNs == 0 || progress.messages() != messagesBefore) {
        partialSinceNs = now;
      }
    } else {
      partialSinceNs = 0;
    }
  }

  private void check(ChannelHandlerContext ctx) {
    long now = ctx.executor().ticker().nanoTime();
    ConnectionLimits.Settings s = limits.settings();
    if (!progress.midMessage()) {
      partialSinceNs = 0; // finished outside a read (an HTTP request answered later)
    }
    if (partialSinceNs != 0
        && now - partialSinceNs > TimeUnit.MILLISECONDS.toNanos(s.frameTimeoutMs())) {
      close(ctx, "a frame not complete after " + s.frameTimeoutMs() + " ms");
    } else if (!progress.mayIdle()
        && now - lastReadNs > TimeUnit.MILLISECONDS.toNanos(s.readIdleMs())) {
      close(ctx, "nothing received for " + s.readIdleMs() + " ms");
    }
  }

  private void close(ChannelHandlerContext ctx, String why) {
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0} port: closing {1}: {2}",
        port,
        ctx.channel().remoteAddress(),
        why);
    if (check != null) {
      check.cancel(false);
    }
    limits.onTimedOut();
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (check != null) {
      check.cancel(false);
    }
    if (admitted) {
      admitted = false;
      limits.closed(address);
      ctx.fireChannelInactive();
    }
  }
}
