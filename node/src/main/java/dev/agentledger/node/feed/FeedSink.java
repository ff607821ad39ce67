package dev.agentledger.node.feed;

import dev.agentledger.node.net.FeedEndReason;

/**
 * Where one subscription's receipts go (a client connection, an HTTP event stream). Called only on
 * the feed's agent thread. A sink never blocks: when its connection cannot take more now it says
 * so, and the feed keeps the rest in the subscription's bounded buffer.
 */
public interface FeedSink {
  /** {@link #deliver} result: the subscriber is gone. */
  int GONE = -1;

  /**
   * Tells the subscriber that the subscription is live and that the first commit it gets follows
   * {@code lastSequenceBefore}. Returns false when it cannot be written now (asked again later).
   */
  boolean subscribed(long lastSequenceBefore);

  /**
   * Writes the receipts of {@code commit} that {@code filter} passes, from receipt index {@code
   * from} on. Returns the index to continue from: {@code commit.size()} when the commit is
   * delivered whole, less when the connection took only part of it (the rest is offered again
   * later), or {@link #GONE}.
   */
  int deliver(FeedCommit commit, FeedFilter filter, int from);

  /** Ends the subscription with a reason, even past the connection's send bound, and closes it. */
  void end(FeedEndReason reason, String detail);

  /** False once the subscriber's connection is closed. */
  boolean isOpen();
}
