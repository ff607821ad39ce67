package dev.agentledger.node.consensus.core;

import dev.agentledger.node.committee.Committee;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The certified DAG held in memory: at most one certificate per (round, author), inserted only
 * after its parents (causal completeness), rounds at or below the garbage-collection round dropped.
 */
public final class Dag {
  private final int size;
  private final TreeMap<Long, Certificate[]> rounds = new TreeMap<>();
  private final Map<Digest, Certificate> byDigest = new HashMap<>();

  public Dag(int committeeSize) {
    this.size = committeeSize;
  }

  /**
   * Inserts {@code c}. Returns false, inserting nothing, if another certificate already holds its
   * (round, author) slot: that would need two quorums of votes, impossible with less than 1/3 of
   * the stake Byzantine.
   */
  public boolean insert(Certificate c) {
    Certificate[] slots = rounds.computeIfAbsent(c.round(), r -> new Certificate[size]);
    Certificate existing = slots[c.author()];
    if (existing != null) {
      return existing.digest().equals(c.digest());
    }
    slots[c.author()] = c;
    byDigest.put(c.digest(), c);
    return true;
  }

  public boolean contains(Digest d) {
    return byDigest.containsKey(d);
  }

  public Certificate get(Digest d) {
    return byDigest.get(d);
  }

  public Certificate get(long round, int author) {
    Certificate[] slots = rounds.get(round);
    return slots == null || author < 0 ? null : slots[author];
  }

  /** The certificates of {@code round} indexed by author (null where absent); never null. */
  public Certificate[] round(long round) {
    Certificate[] slots = rounds.get(round);
    return slots == null ? new Certificate[size] : slots;
  }

  /** Sum of the stake of the authors with a certificate in {@code round}. */
  public long stakeAt(long round, Committee committee) {
    Certificate[] slots = rounds.get(round);
    long stake = 0;
    if (slots != null) {
      for (int a = 0; a < size; a++) {
        if (slots[a] != null) {
          stake += committee.stake(a);
        }
      }
    }
    return stake;
  }

  /** Highest round holding a certificate, or -1. */
  public long maxRound() {
    return rounds.isEmpty() ? -1 : rounds.lastKey();
  }

  public int certificateCount() {
    return byDigest.size();
  }

  /** Drops rounds {@code <= gcRound}; returns the dropped certificates. */
  public List<Certificate> prune(long gcRound) {
    List<Certificate> dropped = new ArrayList<>();
    while (!rounds.isEmpty() && rounds.firstKey() <= gcRound) {
      for (Certificate c : rounds.pollFirstEntry().getValue()) {
        if (c != null) {
          byDigest.remove(c.digest());
          dropped.add(c);
        }
      }
    }
    return dropped;
  }
}
