package dev.agentledger.node.client.core;

import dev.agentledger.node.net.TxStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * <p>Per agent the runs held here are kept in sequence order (the order they were offered, which is
 * their nonce order) and sent in that order, pipelined: when the agent's first waiting run is due,
 * it and the agent's waiting runs after it go out together (in one frame when they fit), up to
 * {@code maxInFlightPerAgent} of the agent's runs unanswered at a time; runs parked behind runs
 * already in flight go out at once, after them. A run waiting ahead of one of its agent's runs in
 * flight (it was refused while later ones were sent) waits until all of them are answered, so a
 * resent run never overtakes a later nonce of its agent on the wire. Sending in order over one
 * connection keeps the validator's view gap-free: when a run is refused, the validator refuses the
 * agent's later nonces sent behind it (retryable, {@code NONCE_TOO_FAR}) until it is admitted, and
 * they come back here in order. Time is passed in; nothing here reads a clock, sleeps or does I/O.
 * Not thread-safe: the caller serialises access.
 *
 * <p>The agents that may send (a first waiting run with none of theirs in flight ahead of it, and
 * room in their window) are indexed by that run's due time, so {@link #drainDue} looks only at what
 * is due: a sender that asks on every cycle while thousands of agents wait for their backoff pays
 * for the runs it sends, not for the agents it passes over.
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

  /** Default most runs of one agent sent from here and unanswered at a time. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_AGENT = 1024;

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

    /** Runs waiting to be sent, by sequence. */
    final TreeMap<Long, Entry> unsent = new TreeMap<>();

    /** Runs sent from here and not yet answered, by sequence. */
    final TreeMap<Long, Entry> inFlight = new TreeMap<>();

    /** Whether it is in {@link #eligible}, and under which due time. */
    boolean indexed;

    long indexedDueNs;

    Agent(long id) {
      this.id = id;
    }

    boolean empty() {
      return unsent.isEmpty() && inFlight.isEmpty();
    }
  }

  private static final Comparator<Agent> BY_DUE =
      Comparator.<Agent>comparingLong(a -> a.indexedDueNs).thenComparingLong(a -> a.id);

  private final long baseBackoffNs;
  private final long maxBackoffNs;
  private final int maxInFlightPerAgent;
  private final Map<Long, Agent> agents = new HashMap<>();

  /** Agents that may send their first waiting run, by its due time. */
  private final TreeSet<Agent> eligible = new TreeSet<>(BY_DUE);

  private long retries;
  private int waiting;

  /**
   * With at most {@link #DEFAULT_MAX_IN_FLIGHT_PER_AGENT} runs of an agent in flight from here.
   *
   * @param baseBackoffNs pause before the first resubmission of a refused run (doubled per attempt)
   * @param maxBackoffNs the longest pause between two attempts of one run
   */
  public ResubmitQueue(long baseBackoffNs, long maxBackoffNs) {
    this(baseBackoffNs, maxBackoffNs, DEFAULT_MAX_IN_FLIGHT_PER_AGENT);
  }

  /**
   * @param baseBackoffNs pause before the first resubmission of a refused run (doubled per attempt)
   * @param maxBackoffNs the longest pause between two attempts of one run
   * @param maxInFlightPerAgent most runs of one agent sent from here and unanswered at a time
   */
  public ResubmitQueue(long baseBackoffNs, long maxBackoffNs, int maxInFlightPerAgent) {
    if (baseBackoffNs < 1 || maxBackoffNs < baseBackoffNs) {
      throw new IllegalArgumentException("backoff must be 1 <= base <= max ns");
    }
    if (maxInFlightPerAgent < 1) {
      throw new IllegalArgumentException("at least one run per agent in flight");
    }
    this.baseBackoffNs = baseBackoffNs;
    this.maxBackoffNs = maxBackoffNs;
    this.maxInFlightPerAgent = maxInFlightPerAgent;
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

  /**
   * Whether runs of {@code agent} wait here or are in flight from here (its next run must go
   * through {@link #park}, behind them).
   */
  public boolean holds(long agent) {
    return waiting > 0 && agents.containsKey(agent);
  }

  /**
   * A run of an agent that {@link #holds}: it waits behind the agent's earlier runs, and is due at
   * once (it goes out with them, or right after those in flight).
   */
  public void park(long agent, long sequence, byte[] record, long nowNs) {
    Agent a = agents.computeIfAbsent(agent, Agent::new);
    a.unsent.put(sequence, new Entry(sequence, record, null, nowNs));
    waiting++;
    reindex(a);
  }

  /**
   * Puts {@code a} in {@link #eligible} under its first waiting run's due time when it may send
   * that run (no run of its in flight follows it, and its window has room), or takes it out.
   */
  private void reindex(Agent a) {
    if (a.indexed) {
      eligible.remove(a);
      a.indexed = false;
    }
    if (a.unsent.isEmpty() || a.inFlight.size() >= maxInFlightPerAgent) {
      return;
    }
    if (!a.inFlight.isEmpty() && a.inFlight.lastKey() > a.unsent.firstKey()) {
      return; // refused while later runs were sent: after their answers
    }
    a.indexedDueNs = a.unsent.firstEntry().getValue().dueNs;
    a.indexed = true;
    eligible.add(a);
  }

  /**
   * A validator refused this run with a retryable status: it waits for its backoff (doubling with
   * each refusal of the same run), and the agent's later runs wait behind it. Counts one retry.
   */
  public void refused(long agent, long sequence, byte[] record, TxStatus status, long nowNs) {
    Agent a = agents.computeIfAbsent(agent, Agent::new);
    Entry e = a.inFlight.remove(sequence);
    if (e == null) {
      e = a.unsent.get(sequence);
    }
    if (e == null) {
      e = new Entry(sequence, record, status, 0);
      waiting++;
    }
    a.unsent.put(sequence, e);
    e.attempts++;
    e.lastStatus = status;
    e.dueNs = nowNs + backoffNs(e.attempts);
    retries++;
    reindex(a);
  }

  /**
   * The validator answered this run with a final status (accepted, or refused for good). When it
   * was held here it leaves; when it was ahead of the agent's first waiting run, that run is due at
   * once.
   */
  public void answered(long agent, long sequence, long nowNs) {
    if (waiting == 0) {
      return;
    }
    Agent a = agents.get(agent);
    if (a == null) {
      return;
    }
    if (a.inFlight.remove(sequence) == null && a.unsent.remove(sequence) == null) {
      return;
    }
    waiting--;
    if (a.empty()) {
      if (a.indexed) {
        eligible.remove(a);
      }
      agents.remove(agent);
      return;
    }
    if (!a.unsent.isEmpty() && sequence < a.unsent.firstKey()) {
      Entry next = a.unsent.firstEntry().getValue();
      next.dueNs = Math.min(next.dueNs, nowNs);
    }
    reindex(a);
  }

  /**
   * Hands to {@code sink} at most {@code max} runs that are due at {@code nowNs}, agents whose
   * first waiting run is due earliest first. Per agent its waiting runs go out together, in
   * sequence order, up to its window; the rest of an agent cut off by {@code max} is due at once on
   * the next call. Each run handed out is in flight until {@link #refused} or {@link #answered}.
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
      while (n < max && !a.unsent.isEmpty() && a.inFlight.size() < maxInFlightPerAgent) {
        Entry e = a.unsent.pollFirstEntry().getValue();
        a.inFlight.put(e.sequence, e);
        sink.send(a.id, e.sequence, e.record);
        n++;
      }
      if (!a.unsent.isEmpty()) {
        Entry next = a.unsent.firstEntry().getValue();
        next.dueNs = Math.min(next.dueNs, nowNs); // its predecessors just left: it follows them
      }
      reindex(a);
    }
    return n;
  }

  /**
   * Empties the queue, handing each run held here (waiting or in flight), in sequence order per
   * agent, to {@code out}.
   */
  public void drainAll(Abandoned out) {
    List<Agent> all = new ArrayList<>(agents.values());
    agents.clear();
    eligible.clear();
    waiting = 0;
    for (Agent a : all) {
      TreeMap<Long, Entry> entries = new TreeMap<>(a.unsent);
      entries.putAll(a.inFlight);
      for (Entry e : entries.values()) {
        out.abandoned(e.sequence, e.lastStatus == null ? TxStatus.OVERLOADED : e.lastStatus);
      }
    }
  }

  /** Runs held here: waiting to be sent, or sent from here and unanswered. */
  public int waiting() {
    return waiting;
  }

  /** Retryable refusals counted so far (each one resubmission). */
  public long retries() {
    return retries;
  }
}
