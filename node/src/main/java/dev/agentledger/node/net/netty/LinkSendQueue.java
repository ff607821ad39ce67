package dev.agentledger.node.net.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The frames that threads other than a channel's event loop send on it, handed over in bulk: a
 * validator link's frames ({@link #of}), and a client connection's SUBMIT_RESULTs ({@link
 * #answers}).
 *
 * <p>A frame written to a Netty channel from outside its event loop becomes one task on the loop
 * (and a wake-up of the loop when it sleeps), and its flush another write through the TLS engine
 * and the socket. Here a sender only appends the frame to a bounded queue; the first append while
 * no drain is scheduled schedules one task, which writes everything queued by then and flushes
 * once. A duty cycle that sends a batch, its acknowledgements and a certificate to the same peer
 * costs one task, one wake-up and one flush (one TLS record run, one socket write) instead of one
 * of each per frame. Order per link is kept (one queue, one consumer).
 *
 * <p>A link's queue is bounded by bytes: a frame that would take the queued bytes over {@code
 * maxQueuedBytes} is refused, like a send to an unwritable link (the caller retransmits). A client
 * connection's answer queue refuses nothing (an answer is never dropped while the connection lives,
 * and there are no more of them than SUBMITs read, which stop while the connection is unwritable);
 * it queues in chunks, allocating nothing per answer once warm. Frames left when the channel closes
 * are released.
 */
final class LinkSendQueue {
  private static final AttributeKey<LinkSendQueue> KEY =
      AttributeKey.valueOf(LinkSendQueue.class, "sendQueue");

  private static final AttributeKey<LinkSendQueue> ANSWERS_KEY =
      AttributeKey.valueOf(LinkSendQueue.class, "answerQueue");

  /** Answers per chunk of a client connection's unbounded queue. */
  static final int ANSWER_CHUNK = 256;

  /** Frames queued per link at most (the byte bound usually binds first). */
  static final int CAPACITY = 4096;

  private final Channel channel;
  private final long maxQueuedBytes;
  private final Queue<ByteBuf> frames;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Runnable drain = this::drain;
  private long drains;
  private long written;

  private LinkSendQueue(Channel channel, long maxQueuedBytes, Queue<ByteBuf> frames) {
    this.channel = channel;
    this.maxQueuedBytes = maxQueuedBytes;
    this.frames = frames;
    channel.closeFuture().addListener(f -> drain());
  }

  /** The link queue of {@code channel}, made on first use. */
  static LinkSendQueue of(Channel channel, long maxQueuedBytes) {
    LinkSendQueue queue = channel.attr(KEY).get();
    return queue != null
        ? queue
        : install(
            channel,
            KEY,
            new LinkSendQueue(
                channel, maxQueuedBytes, new ManyToOneConcurrentArrayQueue<>(CAPACITY)));
  }

  /**
   * The answer queue of client connection {@code channel}, made on first use: unbounded, so {@link
   * #offer} is refused only once the transport is closing.
   */
  static LinkSendQueue answers(Channel channel) {
    LinkSendQueue queue = channel.attr(ANSWERS_KEY).get();
    return queue != null
        ? queue
        : install(
            channel,
            ANSWERS_KEY,
            new LinkSendQueue(
                channel, Long.MAX_VALUE, PlatformDependent.newMpscQueue(ANSWER_CHUNK, 1 << 30)));
  }

  private static LinkSendQueue install(
      Channel channel, AttributeKey<LinkSendQueue> key, LinkSendQueue made) {
    LinkSendQueue raced = channel.attr(key).setIfAbsent(made);
    return raced == null ? made : raced;
  }

  /**
   * Queues {@code frame} (ownership passes here: it is released if refused); false when the queue
   * is full by count or bytes.
   */
  boolean offer(ByteBuf frame) {
    int bytes = frame.readableBytes();
    long after = queuedBytes.addAndGet(bytes);
    if (after > maxQueuedBytes && after != bytes) { // one frame always fits an empty queue
      queuedBytes.addAndGet(-bytes);
      frame.release();
      return false;
    }
    if (!frames.offer(frame)) {
      queuedBytes.addAndGet(-bytes);
      frame.release();
      return false;
    }
    if (scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drain);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        releaseAll(); // the transport is closing: nothing will be written
        return false;
      }
    }
    return true;
  }

  /**
   * On the link's event loop: writes every queued frame, then flushes once. The flag is cleared
   * before the queue is read, so a frame queued after the last read schedules the next drain.
   */
  private void drain() {
    scheduled.set(false);
    int n = 0;
    ByteBuf frame;
    boolean open = channel.isActive();
    while ((frame = frames.poll()) != null) {
      queuedBytes.addAndGet(-frame.readableBytes());
      if (open) {
        channel.write(frame, channel.voidPromise());
        n++;
      } else {
        frame.release();
      }
    }
    if (n > 0) {
      channel.flush();
      drains++;
      written += n;
    }
  }

  private void releaseAll() {
    ByteBuf frame;
    while ((frame = frames.poll()) != null) {
      queuedBytes.addAndGet(-frame.readableBytes());
      frame.release();
    }
  }

  /** Drains that wrote at least one frame (each one flush); event-loop thread only. */
  long drains() {
    return drains;
  }

  /** Frames written by the drains; event-loop thread only. */
  long written() {
    return written;
  }

  /** Bytes queued and not yet written. */
  long queuedBytes() {
    return queuedBytes.get();
  }
}
