package dev.agentledger.node.worker;

import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.TransactionRecords;
import dev.agentledger.node.feed.CommitFeed;
import dev.agentledger.node.feed.FeedCommit;
import dev.agentledger.node.feed.FeedFilter;
import dev.agentledger.node.feed.FeedSink;
import dev.agentledger.node.net.FeedEndReason;
import dev.agentledger.node.tx.AccountOpDescriptor;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.RunKind;
import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The node's own subscription to its commit feed: for every executed transaction that consumed its
 * signer's nonce, one {@link #MESSAGE_LENGTH}-byte message (signer 32 B, nonce u64 little-endian)
 * of type {@code messageType} into the worker agent's ring, where the mempool raises the signer's
 * next nonce past it and the ingress log forgets it; for every one refused as {@code BAD_NONCE},
 * the same message of type {@code refusedType}, where the validator that accepted it takes it back
 * if its nonce is still ahead of the ledger's ({@code Mempool#requeue}). Runs on the feed's agent
 * thread; a full ring delivers part of a commit and the feed offers the rest again later. A
 * subscription the feed drops (too slow) is taken up again from the next undelivered commit by
 * {@link #resubscribeIfEnded}.
 */
final class CommittedNonceSink implements FeedSink {
  /** Signer key and nonce. */
  static final int MESSAGE_LENGTH = 40;

  private final RingBuffer ring;
  private final int messageType;
  private final int refusedType;
  private final Runnable wake;
  private CommitFeed feed;
  private volatile long nextSequence;
  private volatile boolean ended;
  private volatile boolean open = true;

  CommittedNonceSink(RingBuffer ring, int messageType, int refusedType, Runnable wake) {
    this.ring = ring;
    this.messageType = messageType;
    this.refusedType = refusedType;
    this.wake = wake;
  }

  /** Subscribes to {@code feed} from its next commit on. */
  void subscribe(CommitFeed feed) {
    this.feed = feed;
    this.nextSequence = feed.lastPublished() + 1;
    feed.subscribe(nextSequence, FeedFilter.all(), this);
  }

  /** Takes the subscription up again after the feed dropped it. Any thread. */
  void resubscribeIfEnded() {
    if (ended && open && feed != null) {
      ended = false;
      feed.subscribe(nextSequence, FeedFilter.all(), this);
    }
  }

  @Override
  public boolean subscribed(long lastSequenceBefore) {
    return true;
  }

  @Override
  public int deliver(FeedCommit commit, FeedFilter filter, int from) {
    TransactionRecords records = commit.records();
    byte[] bytes = records.bytes();
    int delivered = 0;
    for (int i = from; i < commit.size(); i++) {
      ExecutionCode code = commit.code(i);
      boolean consumed = code.consumesNonce();
      if ((consumed || code == ExecutionCode.BAD_NONCE)
          && records.length(i) > AccountOpDescriptor.NONCE_OFFSET + 8) {
        int record = records.offset(i);
        int index = ring.tryClaim(consumed ? messageType : refusedType, MESSAGE_LENGTH);
        if (index <= 0) {
          if (delivered > 0) {
            wake.run();
          }
          return i;
        }
        MutableDirectBuffer b = ring.buffer();
        b.putBytes(index, bytes, record + FeedCommit.SIGNER_OFFSET, 32);
        b.putLong(index + 32, nonce(bytes, record), ByteOrder.LITTLE_ENDIAN);
        ring.commit(index);
        delivered++;
      }
    }
    nextSequence = commit.sequence() + 1;
    if (delivered > 0) {
      wake.run();
    }
    return commit.size();
  }

  /** The nonce of the record at {@code bytes[record]}. */
  private static long nonce(byte[] bytes, int record) {
    int at =
        record
            + (RunKind.fromCode(bytes[record + 1]) == RunKind.RUN
                ? AgentRunDescriptor.NONCE_OFFSET
                : AccountOpDescriptor.NONCE_OFFSET);
    long n = 0;
    for (int k = 7; k >= 0; k--) {
      n = (n << 8) | (bytes[at + k] & 0xFF);
    }
    return n;
  }

  @Override
  public void end(FeedEndReason reason, String detail) {
    ended = true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  void close() {
    open = false;
  }
}
