package dev.agentledger.node.net.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The frames that threads other than a link's event loop send on that link, handed over in bulk.
 *
 * <p>A frame written to a Netty channel from outside its event loop becomes one task on the loop
 * (and a wake-up of the loop when it sleeps), and its flush another write through the TLS engine
 * and the socket. Here a sender only appends the frame to a bounded queue; the first append while
 * no drain is scheduled schedules one task, which writes everything queued by then and flushes
 * once. A duty cycle that sends a batch, its acknowledgements and a certificate to the same peer
 * costs one task, one wake-up and one flush (one TLS record run, one socket write) instead of one
 * of each per frame. Order per link is kept (one queue, one consumer).
 *
 * <p>Bounded by bytes: a frame that would take the queued bytes over {@code maxQueuedBytes} is
 * refused, like a send to an unwritable link (the caller retransmits). Frames left when the link
 * closes are released.
 */
final class LinkSendQueue {
  private static final AttributeKey<LinkSendQueue> KEY =
      AttributeKey.valueOf(LinkSendQueue.class, "sendQueue");

  /** Frames queued per link at most (the byte bound usually binds first). */
  static final int CAPACITY = 4096;

  private final Channel channel;
  private final long maxQueuedBytes;
  private final ManyToOneConcurrentArrayQueue<ByteBuf> frames =
      new ManyToOneConcurrentArrayQueue<>(CAPACITY);
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Runnable drain = this::drain;
  private long drains;
  private long written;

  LinkSendQueue(Channel channel, long maxQueuedBytes) {
    this.channel = channel;
    this.maxQueuedBytes = maxQueuedBytes;
    channel.closeFuture().addListener(f -> drain());
  }

  /** The queue of {@code channel}, made on first use. */
  static LinkSendQueue of(Channel channel, long maxQueuedBytes) {
    LinkSendQueue queue = channel.attr(KEY).get();
    if (queue == null) {
      LinkSendQueue made = new LinkSendQueue(channel, maxQueuedBytes);
      queue = channel.attr(KEY).setIfAbsent(made);
      if (queue == null) {
        queue = made;
      }
    }
    return queue;
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
