package dev.agentledger.node.net.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of frames to a link's event loop, on an {@link EmbeddedChannel} (its loop runs the
 * scheduled tasks when the test says so): one task and one flush per burst, order kept, the byte
 * bound exact, frames of a closed link released.
 */
class LinkSendQueueTest {
  /** Counts the flushes that reach the channel's outbound end. */
  static final class Flushes extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      count++;
      ctx.flush();
    }
  }

  static ByteBuf frame(int value, int bytes) {
    ByteBuf b = Unpooled.buffer(bytes);
    b.writeInt(value);
    b.writerIndex(bytes);
    return b;
  }

  static List<Integer> written(EmbeddedChannel channel) {
    List<Integer> out = new ArrayList<>();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      out.add(b.getInt(0));
      b.release();
    }
    return out;
  }

  @Test
  void aBurstOfFramesIsWrittenInOrderWithOneFlush() {
    Flushes flushes = new Flushes();
    EmbeddedChannel channel = new EmbeddedChannel(flushes);
    LinkSendQueue queue = LinkSendQueue.of(channel, 1 << 20);
    assertThat(LinkSendQueue.of(channel, 1 << 20)).isSameAs(queue);
    for (int i = 0; i < 5; i++) {
      assertThat(queue.offer(frame(i, 64))).isTrue();
    }
    assertThat(written(channel)).as("nothing before the loop runs the drain").isEmpty();
    channel.runPendingTasks();
    assertThat(written(channel)).containsExactly(0, 1, 2, 3, 4);
    assertThat(flushes.count).isEqualTo(1);
    assertThat(queue.drains()).isEqualTo(1);
    assertThat(queue.written()).isEqualTo(5);
    assertThat(queue.queuedBytes()).isZero();

    // The next burst schedules a new drain.
    queue.offer(frame(5, 64));
    queue.offer(frame(6, 64));
    channel.runPendingTasks();
    assertThat(written(channel)).containsExactly(5, 6);
    assertThat(flushes.count).isEqualTo(2);
    channel.finishAndReleaseAll();
  }

  @Test
  void queuedBytesUpToTheBoundAreTakenAndOneByteMoreIsRefused() {
    EmbeddedChannel channel = new EmbeddedChannel();
    LinkSendQueue queue = LinkSendQueue.of(channel, 300);
    assertThat(queue.offer(frame(1, 100))).isTrue();
    assertThat(queue.offer(frame(2, 200))).as("exactly the bound").isTrue();
    ByteBuf over = frame(3, 1);
    assertThat(queue.offer(over)).as("one byte over the bound").isFalse();
    assertThat(over.refCnt()).as("a refused frame is released").isZero();
    assertThat(queue.queuedBytes()).isEqualTo(300);
    channel.runPendingTasks();
    assertThat(written(channel)).containsExactly(1, 2);
    assertThat(queue.offer(frame(4, 300))).isTrue();
    channel.runPendingTasks();
    assertThat(written(channel)).containsExactly(4);
    channel.finishAndReleaseAll();
  }

  @Test
  void aFrameLargerThanTheBoundStillGoesOutAlone() {
    EmbeddedChannel channel = new EmbeddedChannel();
    LinkSendQueue queue = LinkSendQueue.of(channel, 100);
    assertThat(queue.offer(frame(1, 101))).as("an empty queue takes one frame").isTrue();
    ByteBuf second = frame(2, 1);
    assertThat(queue.offer(second)).isFalse();
    channel.runPendingTasks();
    assertThat(written(channel)).containsExactly(1);
    channel.finishAndReleaseAll();
  }

  @Test
  void framesQueuedForALinkThatClosedAreReleasedNotWritten() {
    EmbeddedChannel channel = new EmbeddedChannel();
    LinkSendQueue queue = LinkSendQueue.of(channel, 1 << 20);
    channel.close(); // a sender that saw the link open queues after it closed
    ByteBuf a = frame(1, 64);
    ByteBuf b = frame(2, 64);
    queue.offer(a);
    queue.offer(b);
    channel.runPendingTasks();
    assertThat(a.refCnt()).isZero();
    assertThat(b.refCnt()).isZero();
    assertThat(queue.queuedBytes()).isZero();
    assertThat(queue.written()).isZero();
  }

  @Test
  void answersAreNeverRefusedAndABurstGoesOutInOrderWithOneFlush() {
    Flushes flushes = new Flushes();
    EmbeddedChannel channel = new EmbeddedChannel(flushes);
    LinkSendQueue answers = LinkSendQueue.answers(channel);
    assertThat(LinkSendQueue.answers(channel)).isSameAs(answers);
    assertThat(LinkSendQueue.of(channel, 1 << 20))
        .as("a connection's answers have their own queue")
        .isNotSameAs(answers);
    int burst = LinkSendQueue.CAPACITY + 3 * LinkSendQueue.ANSWER_CHUNK + 1;
    for (int i = 0; i < burst; i++) {
      assertThat(answers.offer(frame(i, 1024))).as("answer %d", i).isTrue();
    }
    assertThat(answers.queuedBytes()).isEqualTo(burst * 1024L);
    assertThat(written(channel)).as("nothing before the loop runs the drain").isEmpty();
    channel.runPendingTasks();
    List<Integer> out = written(channel);
    assertThat(out).hasSize(burst);
    for (int i = 0; i < burst; i++) {
      assertThat(out.get(i)).isEqualTo(i);
    }
    assertThat(flushes.count).isEqualTo(1);
    assertThat(answers.drains()).isEqualTo(1);
    assertThat(answers.queuedBytes()).isZero();

    answers.offer(frame(7, 16));
    channel.runPendingTasks();
    assertThat(written(channel)).containsExactly(7);
    assertThat(flushes.count).isEqualTo(2);
    channel.finishAndReleaseAll();
  }

  @Test
  void answersOfferedFromTheEventLoopWaitForTheEndOfTheTurn() {
    Flushes flushes = new Flushes();
    EmbeddedChannel channel = new EmbeddedChannel(flushes);
    LinkSendQueue answers = LinkSendQueue.answers(channel);
    // A task on the loop (like a read that refuses several SUBMITs) answers three times.
    channel
        .eventLoop()
        .execute(
            () -> {
              answers.offer(frame(1, 32));
              answers.offer(frame(2, 32));
              answers.offer(frame(3, 32));
            });
    channel.runPendingTasks();
    channel.runPendingTasks();
    assertThat(written(channel)).containsExactly(1, 2, 3);
    assertThat(flushes.count).isEqualTo(1);
    channel.finishAndReleaseAll();
  }

  @Test
  void answersQueuedForAConnectionThatClosedAreReleased() {
    EmbeddedChannel channel = new EmbeddedChannel();
    LinkSendQueue answers = LinkSendQueue.answers(channel);
    channel.close();
    ByteBuf a = frame(1, 64);
    answers.offer(a);
    channel.runPendingTasks();
    assertThat(a.refCnt()).isZero();
    assertThat(answers.written()).isZero();
  }
}
