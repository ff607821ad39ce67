package dev.agentledger.node.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.net.FeedEndReason;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The feed driven by hand (no thread): order, resume, filters, backpressure and limits. */
class CommitFeedTest {
  private final FeedFixture fixture = new FeedFixture();

  private CommitFeed feed(int maxSubscribers, int bufferReceipts, int commitsPerCycle) {
    return new CommitFeed(
        fixture.store, new CommitFeed.Config(maxSubscribers, bufferReceipts, commitsPerCycle, 1));
  }

  private static void drain(CommitFeed feed) {
    for (int i = 0; i < 1000 && feed.doWork() > 0; i++) {
      // until idle
    }
  }

  @Test
  void aLiveSubscriberGetsEveryCommitInOrderWithEveryReceipt() {
    CommitFeed feed = feed(8, 100, 4);
    FakeFeedSink sink = new FakeFeedSink();
    feed.subscribe(0, FeedFilter.all(), sink);
    drain(feed);
    assertThat(sink.subscribedAfter).isZero();
    fixture.commit(feed, 1, 1, 2, 3);
    fixture.commit(feed, 2);
    fixture.commit(feed, 3, 4);
    drain(feed);
    assertThat(sink.sequences()).containsExactly(1L, 2L, 3L);
    assertThat(sink.delivered.get(0).indexes()).containsExactly(0, 1, 2);
    assertThat(sink.delivered.get(0).codes()).containsExactly("OK", "BAD_NONCE", "OK");
    assertThat(sink.delivered.get(1).indexes()).isEmpty();
    assertThat(feed.deliveredCommits()).isEqualTo(3);
  }

  @Test
  void resumesFromASequenceWithNoGapOrRepeatWhileCommitsArrive() {
    CommitFeed feed = feed(8, 100, 2);
    for (long s = 1; s <= 5; s++) {
      fixture.commit(feed, s, 1, 2);
    }
    FakeFeedSink sink = new FakeFeedSink();
    feed.subscribe(2, FeedFilter.all(), sink);
    // Two commits per cycle: the catch-up from the store interleaves with new commits.
    feed.doWork();
    assertThat(sink.subscribedAfter).isEqualTo(1);
    assertThat(sink.sequences()).containsExactly(2L, 3L);
    fixture.commit(feed, 6, 1);
    feed.doWork();
    fixture.commit(feed, 7, 2);
    drain(feed);
    fixture.commit(feed, 8, 2);
    drain(feed);
    assertThat(sink.sequences())
        .containsExactlyElementsOf(LongStream.rangeClosed(2, 8).boxed().toList());
  }

  @Test
  void aSubscriptionFromAFutureSequenceStartsThere() {
    CommitFeed feed = feed(8, 100, 8);
    fixture.commit(feed, 1, 1);
    FakeFeedSink sink = new FakeFeedSink();
    feed.subscribe(3, FeedFilter.all(), sink);
    drain(feed);
    for (long s = 2; s <= 4; s++) {
      fixture.commit(feed, s, 1);
      drain(feed);
    }
    assertThat(sink.sequences()).containsExactly(3L, 4L);
  }

  @Test
  void anAgentFilterPassesOnlyThatAgentsReceipts() {
    CommitFeed feed = feed(8, 100, 8);
    FakeFeedSink sink = new FakeFeedSink();
    feed.subscribe(0, FeedFilter.agents(List.of(FeedFixture.agent(7), FeedFixture.agent(3))), sink);
    drain(feed);
    fixture.commit(feed, 1, 1, 7, 2, 3, 7);
    fixture.commit(feed, 2, 1, 1);
    drain(feed);
    assertThat(sink.delivered.get(0).indexes()).containsExactly(1, 3, 4);
    assertThat(sink.delivered.get(1).indexes()).isEmpty();
  }

  @Test
  void aSlowSubscriberIsDroppedWithAReasonAndTheOthersCarryOn() {
    CommitFeed feed = feed(8, 10, 64);
    FakeFeedSink slow = new FakeFeedSink();
    FakeFeedSink fast = new FakeFeedSink();
    feed.subscribe(0, FeedFilter.all(), slow);
    feed.subscribe(0, FeedFilter.all(), fast);
    drain(feed);
    slow.room = 1; // takes one commit, then its connection stays full
    for (long s = 1; s <= 10; s++) {
      fixture.commit(feed, s, 1, 2, 3); // publish never waits for anyone
      feed.doWork();
    }
    drain(feed);
    assertThat(fast.sequences())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    assertThat(slow.sequences()).containsExactly(1L);
    assertThat(slow.endReason).isEqualTo(FeedEndReason.SLOW_SUBSCRIBER);
    // Buffer 10 receipts = 3 commits of 3; the 4th unread commit drops it, naming where to resume.
    assertThat(slow.endDetail)
        .contains("more than 10 receipts unread at commit 5")
        .contains("resume from 2");
    assertThat(feed.droppedSlow()).isEqualTo(1);
    assertThat(feed.subscribers()).isEqualTo(1);
  }

  @Test
  void aConnectionThatTakesPartOfACommitGetsTheRestLater() {
    CommitFeed feed = feed(8, 100, 8);
    FakeFeedSink sink =
        new FakeFeedSink() {
          int calls;

          @Override
          public int deliver(FeedCommit commit, FeedFilter filter, int from) {
            calls++;
            if (calls == 1) {
              delivered.add(new Delivered(commit.sequence(), List.of(0), List.of()));
              return 1; // one receipt taken
            }
            return super.deliver(commit, filter, from);
          }
        };
    feed.subscribe(0, FeedFilter.all(), sink);
    drain(feed);
    fixture.commit(feed, 1, 1, 2, 3);
    drain(feed);
    assertThat(sink.delivered).hasSize(2);
    assertThat(sink.delivered.get(1).indexes()).containsExactly(1, 2);
  }

  @Test
  void subscriptionsPastTheLimitAreRefusedAndGoneOnesRemoved() {
    CommitFeed feed = feed(1, 100, 8);
    FakeFeedSink first = new FakeFeedSink();
    FakeFeedSink second = new FakeFeedSink();
    feed.subscribe(0, FeedFilter.all(), first);
    feed.subscribe(0, FeedFilter.all(), second);
    drain(feed);
    assertThat(second.endReason).isEqualTo(FeedEndReason.TOO_MANY_SUBSCRIBERS);
    assertThat(feed.subscribers()).isEqualTo(1);
    first.open = false;
    drain(feed);
    assertThat(feed.subscribers()).isZero();
  }

  @Test
  void closingEndsEverySubscription() {
    CommitFeed feed = feed(8, 100, 8);
    FakeFeedSink sink = new FakeFeedSink();
    feed.subscribe(0, FeedFilter.all(), sink);
    feed.close();
    assertThat(sink.endReason).isEqualTo(FeedEndReason.CLOSING);
  }

  @Test
  void commitsMustBePublishedInSequence() {
    CommitFeed feed = feed(8, 100, 8);
    fixture.commit(feed, 1, 1);
    assertThatThrownBy(() -> feed.publish(fixture.store(3, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not follow 1");
  }

  @Test
  void aFeedOverAnExistingHistoryContinuesAfterItsLatestCommit() {
    fixture.store(1, 1);
    fixture.store(2, 1);
    CommitFeed feed = feed(8, 100, 8);
    assertThat(feed.lastPublished()).isEqualTo(2);
    FakeFeedSink sink = new FakeFeedSink();
    feed.subscribe(1, FeedFilter.all(), sink);
    fixture.commit(feed, 3, 1);
    drain(feed);
    assertThat(sink.sequences()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void filtersCheckTheirKeys() {
    assertThatThrownBy(() -> FeedFilter.agents(List.of(new byte[31])))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> FeedFilter.agentsHex(List.of("zz"))).hasMessageContaining("not hex");
    assertThat(FeedFilter.agents(List.of()).isAll()).isTrue();
    assertThat(FeedFilter.agents(List.of(FeedFixture.agent(1))).matches(new byte[20])).isFalse();
  }
}
