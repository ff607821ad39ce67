package dev.agentledger.node.consensus.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The proposer's own batches: those waiting for a vertex, and those named by own vertices whose
 * commit is not yet seen, by round. A batch is never lost and never ordered twice: it goes back to
 * the front of the queue when its vertex was left uncertified ({@link #abandon}) or fell to the gc
 * round uncommitted ({@link #collect}), and leaves for good when its vertex commits ({@link
 * #committed}). Pure.
 */
final class OwnBatches {
  private final ArrayDeque<Digest> waiting = new ArrayDeque<>();
  private final TreeMap<Long, List<Digest>> proposed = new TreeMap<>();
  private long reproposed;
  private long abandoned;

  /** A batch sealed by this validator's workers, for the next vertex. */
  void add(Digest batch) {
    waiting.add(batch);
  }

  /**
   * Whether {@code batch} is still this proposer's to order: waiting for a vertex, or named by an
   * own vertex whose commit is not yet seen.
   */
  boolean holds(Digest batch) {
    if (waiting.contains(batch)) {
      return true;
    }
    for (List<Digest> batches : proposed.values()) {
      if (batches.contains(batch)) {
        return true;
      }
    }
    return false;
  }

  /** Batches waiting for a vertex. */
  int waitingCount() {
    return waiting.size();
  }

  /** Whether no own batch waits for a vertex or for the commit of the vertex that named it. */
  boolean isSettled() {
    return waiting.isEmpty() && proposed.isEmpty();
  }

  /** Takes up to {@code max} waiting batches, oldest first, for the vertex of {@code round}. */
  List<Digest> propose(long round, int max) {
    List<Digest> batches = new ArrayList<>();
    while (!waiting.isEmpty() && batches.size() < max) {
      batches.add(waiting.poll());
    }
    if (!batches.isEmpty()) {
      proposed.put(round, batches);
    }
    return batches;
  }

  /** The own vertex of {@code round} is committed: its batches are ordered. */
  void committed(long round) {
    proposed.remove(round);
  }

  /**
   * The own vertex of {@code round} was left uncertified (only its author can certify it, so it can
   * never be ordered): its batches go back to the front of the queue at once.
   */
  void abandon(long round) {
    List<Digest> batches = proposed.remove(round);
    if (batches != null) {
      requeue(batches);
      abandoned++;
    }
  }

  /**
   * Rounds up to {@code gcRound} can no longer be committed: batches of own vertices there that
   * were not committed (certified, but no later vertex named them) go back to the front of the
   * queue, round by round, so the latest of those rounds leads.
   */
  void collect(long gcRound) {
    while (!proposed.isEmpty() && proposed.firstKey() <= gcRound) {
      requeue(proposed.pollFirstEntry().getValue());
    }
  }

  private void requeue(List<Digest> batches) {
    for (int i = batches.size() - 1; i >= 0; i--) {
      waiting.addFirst(batches.get(i));
    }
    reproposed += batches.size();
  }

  /** Batches queued again after their vertex was abandoned or fell to the gc round uncommitted. */
  long reproposed() {
    return reproposed;
  }

  /** Own vertices left uncertified whose batches were queued again. */
  long abandoned() {
    return abandoned;
  }
}
