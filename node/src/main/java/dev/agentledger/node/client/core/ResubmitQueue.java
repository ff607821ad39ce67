package dev.agentledger.node.client.core;

import dev.agentledger.node.net.TxStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runs of one submission lane that wait to be (re)sent because a validator refused one of their
 * agent's runs with a retryable status: the refused run comes back after a capped exponential
 * backoff, and every later run of the same agent waits behind it, so an agent's nonces never leave
 * a gap that would hold its later, accepted runs forever.
 *
 * <p>Per agent the waiting runs are kept in sequence order (the order they were offered, which is
 * their nonce order); only the first is ever sent, one at a time. When it is accepted, or refused
 * for good, the next one is due at once. Time is passed in; nothing here reads a clock, sleeps or
 * does I/O. Not thread-safe: the caller serialises access.
 *
 * <p>The agents whose first waiting run may be sent (none of theirs in flight) are indexed by that
 * run's due time, so {@link #drainDue} looks only at what is due: a sender that asks on every cycle
 * while thousands of agents wait for their backoff pays for the runs it sends, not for the agents
 * it passes over.
 */
public final class ResubmitQueue {
  /** Receives the runs due to be sent. */
  @FunctionalInterface
  public interface Sink {
    void send(long agent, long sequence, byte[] record);
  }

  /** Receives the runs given up at {@link #drainAll}. */
  @FunctionalInterface
  public interface Abandoned {
    void abandoned(long sequence, TxStatus lastStatus);
  }

  private static final class Entry {
    final long sequence;
    final byte[] record;
    int attempts;
    long dueNs;
    TxStatus lastStatus;

    Entry(long sequence, byte[] record, TxStatus lastStatus, long dueNs) {
      this.sequence = sequence;
      this.record = record;
      this.lastStatus = lastStatus;
      this.dueNs = dueNs;
    }
  }

  private static final class Agent {
    final long id;
    final TreeMap<Long, Entry> waiting = new TreeMap<>();

    /** Sequence of the run of this agent now sent from here and unanswered, or -1. */
    long inFlight = -1;

    /** Whether it is in {@link #eligible}, and under which due time. */
    boolean indexed;

    long indexedDueNs;

    Agent(long id) {
      this.id = id;
    }

    Entry first() {
      return waiting.get(waiting.firstKey());
    }
  }

  private static final Comparator<Agent> BY_DUE =
      Comparator.<Agent>comparingLong(a -> a.indexedDueNs).thenComparingLong(a -> a.id);

  private final long baseBackoffNs;
  private final long maxBackoffNs;
  private final Map<Long, Agent> agents = new HashMap<>();

  /** Agents with a waiting run and none in flight, by their first waiting run's due time. */
  private final TreeSet<Agent> eligible = new TreeSet<>(BY_DUE);

  private long retries;
  private int waiting;

  /**
   * @param baseBackoffNs pause before the first resubmission of a refused run (doubled per attempt)
   * @param maxBackoffNs the longest pause between two attempts of one run
   */
  public ResubmitQueue(long baseBackoffNs, long maxBackoffNs) {
    if (baseBackoffNs < 1 || maxBackoffNs < baseBackoffNs) {
      throw new IllegalArgumentException("backoff must be 1 <= base <= max ns");
    }
    this.baseBackoffNs = baseBackoffNs;
    this.maxBackoffNs = maxBackoffNs;
  }

  /**
   * Whether a refusal with {@code status} is worth resubmitting: load shedding ({@code OVERLOADED},
   * {@code RATE_LIMITED}, {@code AGENT_LIMIT}) and {@code NONCE_TOO_FAR} (the agent's earlier
   * nonces are not through yet). Every other refusal is final.
   */
  public static boolean retryable(TxStatus status) {
    return status == TxStatus.OVERLOADED
        || status == TxStatus.RATE_LIMITED
        || status == TxStatus.AGENT_LIMIT
        || status == TxStatus.NONCE_TOO_FAR;
  }

  /** The pause before attempt {@code attempt + 1} of a run refused {@code attempt} times. */
  public long backoffNs(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 62);
    long pause = baseBackoffNs << shift;
    return pause <= 0 || pause > maxBackoffNs || (pause >> shift) != baseBackoffNs
        ? maxBackoffNs
        : pause;
  }

  /** Whether runs of {@code agent} wait here (its next run must wait behind them). */
  public boolean holds(long agent) {
    return waiting > 0 && agents.containsKey(agent);
  }

  /** A run of an agent that {@link #holds}: it waits behind the agent's earlier runs. */
  public void park(long agent, long sequence, byte[] record, long nowNs) {
    Agent a = agents.computeIfAbsent(agent, Agent::new);
    a.waiting.put(sequence, new Entry(sequence, record, null, nowNs));
    waiting++;
    reindex(a);
  }

  /** Puts {@code a} in {@link #eligible} under its first run's due time, or takes it out. */
  private void reindex(Agent a) {
    if (a.indexed) {
      eligible.remove(a);
      a.indexed = false;
    }
    if (a.inFlight < 0 && !a.waiting.isEmpty()) {
      a.indexedDueNs = a.first().dueNs;
      a.indexed = true;
      eligible.add(a);
    }
  }

  /**
   * A validator refused this run with a retryable status: it waits for its backoff (doubling with
   * each refusal of the same run), and the agent's later runs wait behind it. Counts one retry.
   */
  public void refused(long agent, long sequence, byte[] record, TxStatus status, long nowNs) {
    Agent a = agents.computeIfAbsent(agent, Agent::new);
    Entry e = a.waiting.get(sequence);
    if (e == null) {
      e = new Entry(sequence, record, status, 0);
      a.waiting.put(sequence, e);
      waiting++;
    }
    if (a.inFlight == sequence) {
      a.inFlight = -1;
    }
    e.attempts++;
    e.lastStatus = status;
    e.dueNs = nowNs + backoffNs(e.attempts);
    retries++;
    reindex(a);
  }

  /**
   * The validator answered this run with a final status (accepted, or refused for good). When it
   * was sent from here it leaves, and the agent's next waiting run is due at once.
   */
  public void answered(long agent, long sequence, long nowNs) {
    if (waiting == 0) {
      return;
    }
    Agent a = agents.get(agent);
    if (a == null || a.waiting.remove(sequence) == null) {
      return;
    }
    waiting--;
    if (a.inFlight == sequence) {
      a.inFlight = -1;
    }
    if (a.waiting.isEmpty()) {
      agents.remove(agent);
    } else {
      Entry next = a.first();
      next.dueNs = Math.min(next.dueNs, nowNs);
    }
    reindex(a);
  }

  /**
   * Hands to {@code sink} at most {@code max} runs that are due at {@code nowNs}: per agent only
   * the first waiting run, and only when none of the agent's runs is in flight from here. Each run
   * handed out is in flight until {@link #refused} or {@link #answered}.
   *
   * @return how many were handed out
   */
  public int drainDue(long nowNs, int max, Sink sink) {
    if (waiting == 0 || max <= 0) {
      return 0;
    }
    int n = 0;
    while (n < max && !eligible.isEmpty()) {
      Agent a = eligible.first();
      if (a.indexedDueNs - nowNs > 0) {
        break; // the earliest is not due: nothing later is
      }
      eligible.pollFirst();
      a.indexed = false;
      Entry first = a.first();
      a.inFlight = first.sequence;
      sink.send(a.id, first.sequence, first.record);
      n++;
    }
    return n;
  }

  /** Empties the queue, handing each waiting run, in sequence order per agent, to {@code out}. */
  public void drainAll(Abandoned out) {
    List<Agent> all = new ArrayList<>(agents.values());
    agents.clear();
    eligible.clear();
    waiting = 0;
    for (Agent a : all) {
      ArrayDeque<Entry> entries = new ArrayDeque<>(a.waiting.values());
      for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
        Entry e = it.next();
        out.abandoned(e.sequence, e.lastStatus == null ? TxStatus.OVERLOADED : e.lastStatus);
      }
    }
  }

  /** Runs waiting here. */
  public int waiting() {
    return waiting;
  }

  /** Retryable refusals counted so far (each one resubmission). */
  public long retries() {
    return retries;
  }
}
