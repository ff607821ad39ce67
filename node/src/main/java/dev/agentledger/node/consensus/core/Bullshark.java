package dev.agentledger.node.consensus.core;

import dev.agentledger.node.committee.Committee;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Bullshark commit rule (partially synchronous version; Spiegelman et al., "Bullshark: DAG BFT
 * Protocols Made Practical", CCS 2022, section 5), as a function from (state, new certificate) to
 * the committed sub-DAGs it causes, after Narwhal's {@code Bullshark::process_certificate}.
 *
 * <ul>
 *   <li>Even rounds have an anchor, chosen by the {@link LeaderSchedule}.
 *   <li>An anchor commits directly when certificates of the next round holding more than 1/3 of the
 *       stake name it as a parent.
 *   <li>Before it, every earlier uncommitted anchor it reaches by a path commits, walking back two
 *       rounds at a time from the anchor that is being committed (the anchor chain).
 *   <li>Each committed anchor's causal history not yet committed (and above the garbage-collection
 *       round) is ordered by (round, author). The history follows parents and weak links (section
 *       5.1's weak edges, {@link WeakLink}): a certified vertex that no vertex of the next round
 *       named is ordered with the first anchor whose history reaches it through a weak link,
 *       instead of being left behind. Support and the anchor chain follow parents only.
 * </ul>
 *
 * Commits apply one at a time: if a commit changes the leader schedule (reputation), the search
 * starts over with the new schedule, because the new schedule governs the rounds after that commit.
 * This keeps the committed sequence a function of the DAG alone: any two honest validators start
 * each step from the same committed state and the same schedule, and any directly committed anchor
 * is reachable from every later anchor, so the earliest anchor of every chain is the same.
 */
public final class Bullshark {
  private Bullshark() {}

  /** The commit rule's state: the DAG, what is committed, the schedule. Single-threaded. */
  public static final class State {
    final Committee committee;
    final int gcDepth;
    final Dag dag;
    final LeaderSchedule schedule;
    final Set<Digest> committed = new HashSet<>();

    /** The committed digests by round, so that rounds below the gc round leave the set. */
    final java.util.TreeMap<Long, List<Digest>> committedByRound = new java.util.TreeMap<>();

    long lastCommittedRound = -1;
    long nextIndex;
    long conflicts;
    long weaklyOrdered;
    long weaklyOrderedBatches;

    public State(Committee committee, LeaderSchedule schedule, int gcDepth) {
      if (gcDepth < 2) {
        throw new IllegalArgumentException("gc depth must be at least 2 rounds");
      }
      this.committee = committee;
      this.schedule = schedule;
      this.gcDepth = gcDepth;
      this.dag = new Dag(committee.size());
    }

    public Dag dag() {
      return dag;
    }

    public LeaderSchedule schedule() {
      return schedule;
    }

    /** Round of the last committed anchor, -1 before the first. */
    public long lastCommittedRound() {
      return lastCommittedRound;
    }

    /** Certificates at or below this round are dropped and will never be committed. */
    public long gcRound() {
      return lastCommittedRound - gcDepth;
    }

    /** Number of commits so far (the index of the next one). */
    public long commitCount() {
      return nextIndex;
    }

    /** Certificates refused because their (round, author) slot held another one. */
    public long conflicts() {
      return conflicts;
    }

    public boolean isCommitted(Digest d) {
      return committed.contains(d);
    }

    /**
     * Certificates committed so far that their anchor's history reached only through a weak link
     * (with parents alone they would have been left unordered).
     */
    public long weaklyOrdered() {
      return weaklyOrdered;
    }

    /** Batch references of the {@link #weaklyOrdered} certificates. */
    public long weaklyOrderedBatches() {
      return weaklyOrderedBatches;
    }
  }

  /**
   * Adds {@code certificate} (whose parents the caller has inserted already, unless they are at or
   * below the gc round) and returns the sub-DAGs that commit because of it, in order.
   */
  public static List<CommittedSubDag> process(State state, Certificate certificate) {
    if (certificate.round() <= state.gcRound()) {
      return List.of();
    }
    if (!state.dag.insert(certificate)) {
      state.conflicts++;
      return List.of();
    }
    return tryCommit(state);
  }

  /** Inserts without looking for commits (recovery); returns false on a slot conflict. */
  public static boolean insertOnly(State state, Certificate certificate) {
    if (certificate.round() <= state.gcRound()) {
      return true;
    }
    return state.dag.insert(certificate);
  }

  /** Looks for anchors that commit with the DAG as it is. */
  public static List<CommittedSubDag> tryCommit(State state) {
    List<CommittedSubDag> out = new ArrayList<>();
    boolean again = true;
    while (again) {
      again = false;
      Certificate anchor = highestSupportedAnchor(state);
      if (anchor == null) {
        break;
      }
      for (Certificate a : anchorChain(state, anchor)) {
        CommittedSubDag subDag = commit(state, a);
        out.add(subDag);
        if (state.schedule.onCommitted(subDag)) {
          again = true;
          break;
        }
      }
    }
    return out;
  }

  /**
   * Re-applies a commit read back from storage after a restart: the same effects on the state as
   * when it was first made (committed set, last round, schedule), without the DAG.
   */
  public static void restoreCommitted(State state, CommittedSubDag subDag) {
    if (subDag.index() != state.nextIndex) {
      throw new IllegalStateException(
          "stored commit " + subDag.index() + " where " + state.nextIndex + " was expected");
    }
    markCommitted(state, subDag.certificates());
    state.lastCommittedRound = subDag.anchorRound();
    state.nextIndex++;
    state.schedule.onCommitted(subDag);
    forgetBelowGc(state);
  }

  private static void markCommitted(State state, List<Certificate> certificates) {
    for (Certificate c : certificates) {
      state.committed.add(c.digest());
      state.committedByRound.computeIfAbsent(c.round(), r -> new ArrayList<>()).add(c.digest());
    }
  }

  /** Certificates at or below the gc round are never looked up again: drop their digests. */
  private static void forgetBelowGc(State state) {
    long gc = state.gcRound();
    while (!state.committedByRound.isEmpty() && state.committedByRound.firstKey() <= gc) {
      for (Digest d : state.committedByRound.pollFirstEntry().getValue()) {
        state.committed.remove(d);
      }
    }
  }

  /**
   * Stake of the certificates of round {@code anchor.round + 1} that name {@code anchor} as a
   * parent.
   */
  public static long support(State state, Certificate anchor) {
    long stake = 0;
    for (Certificate c : state.dag.round(anchor.round() + 1)) {
      if (c != null && c.parents().contains(anchor.digest())) {
        stake += state.committee.stake(c.author());
      }
    }
    return stake;
  }

  private static Certificate highestSupportedAnchor(State state) {
    long top = state.dag.maxRound() - 1;
    long r = (top & 1) == 0 ? top : top - 1;
    for (; r > state.lastCommittedRound; r -= 2) {
      Certificate anchor = state.dag.get(r, state.schedule.leader(r));
      if (anchor != null && support(state, anchor) >= state.committee.validityThreshold()) {
        return anchor;
      }
    }
    return null;
  }

  /** The uncommitted anchors linked from {@code anchor}, earliest first, ending with it. */
  private static List<Certificate> anchorChain(State state, Certificate anchor) {
    List<Certificate> chain = new ArrayList<>();
    chain.add(anchor);
    Certificate current = anchor;
    for (long r = anchor.round() - 2; r > state.lastCommittedRound; r -= 2) {
      Certificate previous = state.dag.get(r, state.schedule.leader(r));
      if (previous != null && linked(state.dag, current, previous)) {
        chain.add(previous);
        current = previous;
      }
    }
    Collections.reverse(chain);
    return chain;
  }

  /** True if {@code to} is in the causal history of {@code from}. */
  static boolean linked(Dag dag, Certificate from, Certificate to) {
    Set<Digest> frontier = new HashSet<>();
    frontier.add(from.digest());
    for (long r = from.round(); r > to.round(); r--) {
      Set<Digest> next = new HashSet<>();
      for (Digest d : frontier) {
        Certificate c = dag.get(d);
        if (c != null) {
          next.addAll(c.parents());
        }
      }
      frontier = next;
      if (frontier.isEmpty()) {
        return false;
      }
    }
    return frontier.contains(to.digest());
  }

  private static final Comparator<Certificate> ORDER =
      Comparator.comparingLong(Certificate::round)
          .thenComparingInt(Certificate::author)
          .thenComparing(Certificate::digest);

  private static CommittedSubDag commit(State state, Certificate anchor) {
    long gcRound = state.gcRound();
    List<Certificate> history = new ArrayList<>();
    Set<Digest> seen = new HashSet<>();
    ArrayDeque<Certificate> todo = new ArrayDeque<>();
    todo.add(anchor);
    seen.add(anchor.digest());
    // Parents first, over the whole history, so that a certificate counts as weakly ordered only
    // when no path of parents from the anchor reaches it.
    while (!todo.isEmpty()) {
      Certificate c = todo.poll();
      history.add(c);
      for (Digest p : c.parents()) {
        if (seen.add(p) && !state.committed.contains(p)) {
          Certificate parent = state.dag.get(p);
          if (parent != null && parent.round() > gcRound) {
            todo.add(parent);
          }
        }
      }
    }
    int strong = history.size();
    for (int i = 0; i < history.size(); i++) {
      for (WeakLink w : history.get(i).weakLinks()) {
        Digest d = w.digest();
        if (w.round() > gcRound && !seen.contains(d) && !state.committed.contains(d)) {
          Certificate linked = state.dag.get(d);
          if (linked != null && linked.round() == w.round()) {
            seen.add(d);
            history.add(linked);
            // Its own history, parents and weak links alike, is reached through it.
            todo.add(linked);
            while (!todo.isEmpty()) {
              Certificate c = todo.poll();
              for (Digest p : c.parents()) {
                if (seen.add(p) && !state.committed.contains(p)) {
                  Certificate parent = state.dag.get(p);
                  if (parent != null && parent.round() > gcRound) {
                    history.add(parent);
                    todo.add(parent);
                  }
                }
              }
            }
          }
        }
      }
    }
    for (int i = strong; i < history.size(); i++) {
      state.weaklyOrdered++;
      state.weaklyOrderedBatches += history.get(i).vertex().batches().size();
    }
    history.sort(ORDER);
    markCommitted(state, history);
    CommittedSubDag subDag =
        new CommittedSubDag(state.nextIndex++, anchor, history, state.schedule.version());
    state.lastCommittedRound = anchor.round();
    state.dag.prune(state.gcRound());
    forgetBelowGc(state);
    return subDag;
  }
}
