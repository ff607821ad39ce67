package dev.agentledger.node.feed;

import dev.agentledger.node.net.FeedEndReason;
import java.util.ArrayList;
import java.util.List;

/** A sink that records what it is given and takes at most {@link #room} commits when told so. */
class FakeFeedSink implements FeedSink {
  /** One delivered commit: its sequence and the indexes of the receipts the filter passed. */
  record Delivered(long sequence, List<Integer> indexes, List<String> codes) {}

  final List<Delivered> delivered = new ArrayList<>();
  long subscribedAfter = -1;
  FeedEndReason endReason;
  String endDetail;
  boolean open = true;

  /** Commits it takes before it reports its connection full (Integer.MAX_VALUE: unbounded). */
  int room = Integer.MAX_VALUE;

  @Override
  public boolean subscribed(long lastSequenceBefore) {
    subscribedAfter = lastSequenceBefore;
    return true;
  }

  @Override
  public int deliver(FeedCommit commit, FeedFilter filter, int from) {
    if (!open) {
      return GONE;
    }
    if (room <= 0) {
      return from;
    }
    room--;
    List<Integer> indexes = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    for (int i = from; i < commit.size(); i++) {
      if (commit.passes(filter, i)) {
        indexes.add(i);
        codes.add(commit.receipts().get(i).code().name());
      }
    }
    delivered.add(new Delivered(commit.sequence(), indexes, codes));
    return commit.size();
  }

  @Override
  public void end(FeedEndReason reason, String detail) {
    endReason = reason;
    endDetail = detail;
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  List<Long> sequences() {
    return delivered.stream().map(Delivered::sequence).toList();
  }
}
