package dev.agentledger.node.feed;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.net.FeedEndReason;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.query.StoredCommit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.Agent;

/**
 * The commit feed: execution {@link #publish}es each executed commit's receipts; subscribers get
 * them in commit order, from any commit sequence on, through their {@link FeedSink}.
 *
 * <p><b>Two modes per subscription.</b> A subscription that starts behind the last published commit
 * catches up from the durable {@link QueryStore} (at most {@link Config#commitsPerCycle} commits
 * per duty cycle, paced by what its connection takes), then turns live under the feed's lock
 * exactly when its next commit is the next to be published, so nothing is skipped or repeated at
 * the switch. A live subscription gets each published commit appended to its buffer.
 *
 * <p><b>Backpressure.</b> {@link #publish} runs on execution's thread and never blocks or waits for
 * a subscriber: it appends one shared {@link FeedCommit} per live subscription. A buffer holds at
 * most {@link Config#bufferReceipts} receipts (an empty commit counts as one); a subscriber whose
 * unread receipts would pass that bound is dropped with {@link FeedEndReason#SLOW_SUBSCRIBER} (it
 * can resume from the last commit it saw). More than {@link Config#maxSubscribers} subscriptions
 * are refused with {@link FeedEndReason#TOO_MANY_SUBSCRIBERS}.
 *
 * <p><b>Threads.</b> One agent ({@link #doWork}) serves every subscription: it is the only caller
 * of the sinks. {@link #agent} hands it to the node's agent host, which parks it while there is
 * nothing to do; {@link #publish}, {@link #subscribe} and {@link #wake} (a sink whose connection
 * drained calls it) wake it. Tests drive {@link #doWork} themselves.
 */
public final class CommitFeed implements AutoCloseable {

  /**
   * @param maxSubscribers subscriptions served at once
   * @param bufferReceipts unread receipts a live subscription may hold before it is dropped
   * @param commitsPerCycle commits handed to one subscription per duty cycle
   * @param idleParkNs longest sleep of the idle agent between wake-ups (a connection that became
   *     writable without a wake-up is served after at most this long)
   */
  public record Config(
      int maxSubscribers, int bufferReceipts, int commitsPerCycle, long idleParkNs) {
    public Config {
      if (maxSubscribers < 1 || bufferReceipts < 1 || commitsPerCycle < 1 || idleParkNs < 1) {
        throw new IllegalArgumentException("feed limits must be positive");
      }
    }

    /** 1,024 subscribers, 65,536 receipts each, 64 commits per cycle, 100 ms idle park. */
    public static Config defaults() {
      return new Config(1024, 1 << 16, 64, TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private final QueryStore history;
  private final Config config;
  private final Object lock = new Object();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private Subscription[] snapshot = new Subscription[16];
  private volatile long lastPublished;
  private volatile long droppedSlow;
  private volatile long deliveredCommits;
  private final ParkingIdleStrategy idle;

  /** A feed whose history is {@code history}; the next commit published follows its latest. */
  public CommitFeed(QueryStore history, Config config) {
    this.history = history;
    this.config = config;
    this.lastPublished = history.latestSequence();
    this.idle = ParkingIdleStrategy.parking(config.idleParkNs(), config.idleParkNs());
  }

  /** One subscriber's position and buffer. */
  public final class Subscription implements AutoCloseable {
    private final FeedFilter filter;
    private final FeedSink sink;
    private final ArrayDeque<FeedCommit> buffer = new ArrayDeque<>();
    private int buffered; // guarded by lock
    private boolean live; // guarded by lock
    private FeedEndReason endReason; // guarded by lock
    private String endDetail;
    private volatile boolean closed;
    private long next; // agent thread (set under lock at subscription)
    private int partial; // agent thread: receipts of the head commit already written
    private boolean announced; // agent thread

    private Subscription(FeedFilter filter, FeedSink sink) {
      this.filter = filter;
      this.sink = sink;
    }

    /** The next commit sequence this subscription delivers. */
    public long nextSequence() {
      return next;
    }

    /** Stops delivery; the sink is not told. */
    @Override
    public void close() {
      closed = true;
      wake();
    }
  }

  /**
   * Subscribes {@code sink} from commit {@code fromSequence} on (0: from the next commit
   * published). Any thread. A refused subscription (too many) is ended through its sink by the
   * agent.
   */
  public Subscription subscribe(long fromSequence, FeedFilter filter, FeedSink sink) {
    if (fromSequence < 0) {
      throw new IllegalArgumentException("from sequence must be 0 or more");
    }
    Subscription s = new Subscription(filter, sink);
    synchronized (lock) {
      long live = 0;
      for (Subscription other : subscriptions) {
        if (other.endReason == null) {
          live++;
        }
      }
      if (live >= config.maxSubscribers()) {
        s.endReason = FeedEndReason.TOO_MANY_SUBSCRIBERS;
        s.endDetail = "the node serves at most " + config.maxSubscribers() + " subscriptions";
      }
      s.next = fromSequence == 0 ? lastPublished + 1 : fromSequence;
      s.live = s.next == lastPublished + 1;
      subscriptions.add(s);
    }
    wake();
    return s;
  }

  /**
   * Publishes an executed, durable commit (execution's thread; commits in sequence order). Never
   * blocks: a live subscription whose buffer would pass its bound is marked dropped.
   */
  public void publish(FeedCommit commit) {
    int weight = Math.max(1, commit.size());
    synchronized (lock) {
      if (commit.sequence() != lastPublished + 1) {
        throw new IllegalStateException(
            "feed: commit " + commit.sequence() + " does not follow " + lastPublished);
      }
      lastPublished = commit.sequence();
      for (Subscription s : subscriptions) {
        if (!s.live || s.endReason != null) {
          continue;
        }
        if (!s.buffer.isEmpty() && s.buffered + weight > config.bufferReceipts()) {
          s.endReason = FeedEndReason.SLOW_SUBSCRIBER;
          s.endDetail =
              "more than "
                  + config.bufferReceipts()
                  + " receipts unread at commit "
                  + commit.sequence()
                  + "; resume from "
                  + s.buffer.peekFirst().sequence();
          s.buffer.clear();
          s.buffered = 0;
          droppedSlow++;
        } else {
          s.buffer.addLast(commit);
          s.buffered += weight;
        }
      }
    }
    wake();
  }

  /** The last commit published (or, before any, the latest the history held at start). */
  public long lastPublished() {
    return lastPublished;
  }

  /** Subscriptions currently served. */
  public int subscribers() {
    synchronized (lock) {
      return subscriptions.size();
    }
  }

  /** Subscribers dropped for leaving too many receipts unread. */
  public long droppedSlow() {
    return droppedSlow;
  }

  /** Commits handed whole to a subscriber, summed over subscribers. */
  public long deliveredCommits() {
    return deliveredCommits;
  }

  /** The status member {@code feed}. */
  public ObjectNode status() {
    return JsonNodeFactory.instance
        .objectNode()
        .put("subscribers", subscribers())
        .put("publishedSequence", lastPublished)
        .put("deliveredCommits", deliveredCommits)
        .put("droppedSlowSubscribers", droppedSlow);
  }

  /** Wakes the agent (a sink's connection can take more). */
  public void wake() {
    idle.wake();
  }

  // ---------------------------------------------------------------- the agent

  /** One duty cycle over every subscription; returns the work done (0: idle). */
  public int doWork() {
    int n;
    synchronized (lock) {
      n = subscriptions.size();
      if (snapshot.length < n) {
        snapshot = new Subscription[Math.max(n, snapshot.length * 2)];
      }
      subscriptions.toArray(snapshot);
    }
    int work = 0;
    for (int i = 0; i < n; i++) {
      Subscription s = snapshot[i];
      snapshot[i] = null;
      work += serve(s);
    }
    return work;
  }

  private int serve(Subscription s) {
    FeedEndReason reason;
    synchronized (lock) {
      reason = s.endReason;
    }
    if (s.closed || reason != null || !s.sink.isOpen()) {
      if (!s.closed && reason != null) {
        s.sink.end(reason, s.endDetail);
      }
      remove(s);
      return 1;
    }
    int work = 0;
    if (!s.announced) {
      if (!s.sink.subscribed(s.next - 1)) {
        return 0;
      }
      s.announced = true;
      work++;
    }
    boolean live;
    synchronized (lock) {
      live = s.live;
    }
    for (int k = 0; k < config.commitsPerCycle(); k++) {
      FeedCommit commit;
      if (live) {
        synchronized (lock) {
          commit = s.buffer.peekFirst();
        }
        if (commit == null) {
          break;
        }
      } else {
        if (s.next > lastPublished) {
          synchronized (lock) {
            if (s.next == lastPublished + 1) {
              s.live = true;
              live = true;
              continue;
            }
          }
          break;
        }
        Optional<StoredCommit> stored = history.commit(s.next);
        if (stored.isEmpty()) {
          synchronized (lock) {
            s.endReason = FeedEndReason.BAD_REQUEST;
            s.endDetail = "commit " + s.next + " is not held by this node";
          }
          return work + 1;
        }
        commit = FeedCommit.of(stored.get());
      }
      int at = s.sink.deliver(commit, s.filter, s.partial);
      if (at == FeedSink.GONE) {
        remove(s);
        return work + 1;
      }
      if (at < commit.size()) {
        if (at > s.partial) {
          work++;
        }
        s.partial = at;
        break;
      }
      s.partial = 0;
      s.next = commit.sequence() + 1;
      deliveredCommits++;
      work++;
      if (live) {
        synchronized (lock) {
          s.buffer.pollFirst();
          s.buffered -= Math.max(1, commit.size());
        }
      }
    }
    return work;
  }

  private void remove(Subscription s) {
    synchronized (lock) {
      subscriptions.remove(s);
    }
  }

  /**
   * The feed's agent (role {@code feed-<name>}): its duty cycle is {@link #doWork()}, run by
   * whichever thread the node's threading mode gives it.
   */
  public StageAgent agent(String name) {
    return new StageAgent(
        new Agent() {
          @Override
          public int doWork() {
            return CommitFeed.this.doWork();
          }

          @Override
          public String roleName() {
            return "feed-" + name;
          }
        },
        idle,
        StageAgent.Lane.PIPELINE);
  }

  /** Stops the agent and ends every subscription with {@link FeedEndReason#CLOSING}. */
  @Override
  public void close() {
    List<Subscription> left;
    synchronized (lock) {
      left = List.copyOf(subscriptions);
      subscriptions.clear();
    }
    for (Subscription s : left) {
      if (!s.closed && s.sink.isOpen()) {
        s.sink.end(FeedEndReason.CLOSING, "the node is shutting down");
      }
    }
  }
}
