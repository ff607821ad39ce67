package dev.agentledger.node.events;

import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.ExecutionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The committed event stream: events appended by execution, one commit at a time, in commit order;
 * subscribers get them in the same order, resuming from any commit sequence (first the stored
 * events from that commit on, then live ones, with no gap and no duplicate). Event-driven contracts
 * will consume this stream.
 *
 * <p>Memory is bounded: the log holds the events of the latest commits, at most {@code 2 x
 * maxEvents} of them (whole commits; when the bound is passed the oldest commits are dropped until
 * at most {@code maxEvents} remain, and {@link #firstSequence()} moves on), the same way a log
 * resumed after a restart holds nothing before its start. Older commits are paged from a {@link
 * History} when one is set ({@link #pageFrom}: the node's durable query store, whose stored commits
 * give back their events through {@link ReceiptEvents}), one commit at a time and only as far as a
 * read's limit, so a read of old events costs disk reads, never memory that stays. Without a
 * history, or for a commit it no longer has, a read continues from the first commit held.
 *
 * <p>A held commit is one array of event records ({@link CommitOutput#EVENT_RECORD_BYTES} bytes
 * each, copied flat from the executor's {@link CommitOutput}), so appending makes no object per
 * event; events become {@link ExecutionEvent} objects only when read or delivered to a subscriber.
 *
 * <p>One writer (the execution stage). Subscribers are called on the writer's thread and must be
 * quick; a subscriber that throws is removed.
 */
public final class EventLog {
  /** Default bound: 262,144 events (about 28 MB at 107 bytes an event), twice that at most. */
  public static final int DEFAULT_MAX_EVENTS = 1 << 18;

  private final int maxEvents;

  /** The held commits, oldest first: commit {@code firstSequence + i} at index i. */
  private final List<HeldCommit> held = new ArrayList<>();

  /** Events in {@link #held}. */
  private long heldEvents;

  private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private long lastSequence;
  private volatile History history;

  /** Where the events of commits no longer held come from. */
  @FunctionalInterface
  public interface History {
    /** The events of stored commit {@code sequence}, or null when it is not stored. */
    List<ExecutionEvent> events(long sequence);
  }

  /** The first commit whose events this log holds (a log resumed after a restart starts later). */
  private long firstSequence = 1;

  /** A log holding about {@link #DEFAULT_MAX_EVENTS} events. */
  public EventLog() {
    this(DEFAULT_MAX_EVENTS);
  }

  /** A log holding the latest commits' events, between {@code maxEvents} and twice that. */
  public EventLog(int maxEvents) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be positive");
    }
    this.maxEvents = maxEvents;
  }

  /** Reads commits before {@link #firstSequence()} from {@code history}. */
  public EventLog pageFrom(History history) {
    this.history = history;
    return this;
  }

  /** The first commit whose events this log holds. */
  public synchronized long firstSequence() {
    return firstSequence;
  }

  /** Events held now. */
  public synchronized int size() {
    return (int) heldEvents;
  }

  /** One held commit: its events as event records, {@code count} of them. */
  private record HeldCommit(long sequence, byte[] records, int count) {
    ExecutionEvent event(int index) {
      return CommitOutput.decodeEventRecord(
          sequence, index, records, index * CommitOutput.EVENT_RECORD_BYTES);
    }
  }

  /** Drops the oldest whole commits while more than {@code maxEvents} events are held. */
  private void trim() {
    if (heldEvents <= 2L * maxEvents) {
      return;
    }
    int commits = 0;
    long dropEvents = 0;
    while (commits < held.size() - 1 && heldEvents - dropEvents > maxEvents) {
      dropEvents += held.get(commits).count();
      commits++;
    }
    if (commits == 0) {
      return;
    }
    held.subList(0, commits).clear();
    heldEvents -= dropEvents;
    firstSequence += commits;
  }

  /** A live subscription; {@link #close()} stops delivery. */
  public final class Subscription implements AutoCloseable {
    private final Consumer<ExecutionEvent> consumer;

    private Subscription(Consumer<ExecutionEvent> consumer) {
      this.consumer = consumer;
    }

    @Override
    public void close() {
      subscribers.remove(this);
    }
  }

  /** Appends the events of commit {@code sequence} (which must follow the previous one). */
  public void append(long sequence, List<ExecutionEvent> commitEvents) {
    byte[] records = new byte[commitEvents.size() * CommitOutput.EVENT_RECORD_BYTES];
    for (int i = 0; i < commitEvents.size(); i++) {
      CommitOutput.encodeEventRecord(
          commitEvents.get(i), records, i * CommitOutput.EVENT_RECORD_BYTES);
    }
    append(new HeldCommit(sequence, records, commitEvents.size()));
  }

  /**
   * Appends the events {@code output} holds as those of commit {@code sequence} (which must follow
   * the previous one): one array copied from it, no object per event.
   */
  public void append(long sequence, CommitOutput output) {
    byte[] records = new byte[output.count() * CommitOutput.EVENT_RECORD_BYTES];
    output.copyEventRecords(records, 0);
    append(new HeldCommit(sequence, records, output.count()));
  }

  private void append(HeldCommit commit) {
    List<Subscription> live;
    synchronized (this) {
      if (commit.sequence() != lastSequence + 1) {
        throw new IllegalStateException(
            "commit " + commit.sequence() + " does not follow " + lastSequence);
      }
      held.add(commit);
      heldEvents += commit.count();
      lastSequence = commit.sequence();
      trim();
      live = subscribers.isEmpty() ? List.of() : List.copyOf(subscribers);
    }
    for (Subscription s : live) {
      for (int i = 0; i < commit.count(); i++) {
        try {
          s.consumer.accept(commit.event(i));
        } catch (RuntimeException failure) {
          subscribers.remove(s);
          break;
        }
      }
    }
  }

  /**
   * Starts an empty log after commit {@code sequence}: a node that resumes from a durable state
   * appends from {@code sequence + 1} on; the events of earlier commits are not in this log.
   */
  public synchronized void resumeAfter(long sequence) {
    if (!held.isEmpty() || lastSequence != 0) {
      throw new IllegalStateException("only an empty log can resume");
    }
    lastSequence = sequence;
    firstSequence = sequence + 1;
  }

  public synchronized long lastSequence() {
    return lastSequence;
  }

  /**
   * Up to {@code limit} events from commit {@code fromSequence} on (commit order): from the {@link
   * History} for commits before {@link #firstSequence()}, then from memory.
   */
  public List<ExecutionEvent> read(long fromSequence, int limit) {
    History h = history;
    long first = firstSequence();
    if (h == null || fromSequence >= first || limit <= 0) {
      return readHeld(fromSequence, limit);
    }
    List<ExecutionEvent> out = new ArrayList<>();
    long s = Math.max(1, fromSequence);
    for (; s < first && out.size() < limit; s++) {
      List<ExecutionEvent> commit = h.events(s);
      if (commit == null) {
        if (out.isEmpty()) {
          continue; // not stored (pruned, or before this node's history): skip ahead
        }
        break;
      }
      out.addAll(commit.subList(0, Math.min(commit.size(), limit - out.size())));
    }
    if (out.size() < limit && s >= first) {
      out.addAll(readHeld(s, limit - out.size()));
    }
    return List.copyOf(out);
  }

  /** Up to {@code limit} events held in memory from commit {@code fromSequence} on. */
  private synchronized List<ExecutionEvent> readHeld(long fromSequence, int limit) {
    List<ExecutionEvent> out = new ArrayList<>();
    long from = Math.max(fromSequence, firstSequence);
    for (long c = from - firstSequence; c < held.size() && out.size() < limit; c++) {
      HeldCommit commit = held.get((int) c);
      for (int i = 0; i < commit.count() && out.size() < limit; i++) {
        out.add(commit.event(i));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Delivers every event from commit {@code fromSequence} on, then every later one as it is
   * appended. The replay and the switch to live delivery happen under the log's lock, so an append
   * cannot slip between them.
   */
  public Subscription subscribe(long fromSequence, Consumer<ExecutionEvent> consumer) {
    Subscription subscription = new Subscription(consumer);
    // Commits before the held window come from the history, one at a time and outside the lock;
    // then the held events and the switch to live delivery happen under the lock.
    long next = Math.max(1, fromSequence);
    while (true) {
      History h = history;
      long first = firstSequence();
      for (; h != null && next < first; next++) {
        List<ExecutionEvent> commit = h.events(next);
        if (commit != null) {
          commit.forEach(consumer);
        }
      }
      synchronized (this) {
        if (h != null && next < firstSequence) {
          continue; // the window moved on while paging: page the rest too
        }
        for (ExecutionEvent e : readHeld(next, Integer.MAX_VALUE)) {
          consumer.accept(e);
        }
        subscribers.add(subscription);
        return subscription;
      }
    }
  }
}
