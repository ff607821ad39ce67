package dev.agentledger.node.consensus.core;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.sim.FakeSignatureScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds committees and random certified DAGs for commit-rule tests. */
final class TestDags {
  private TestDags() {}

  static Committee equalStake(int n) {
    long[] stakes = new long[n];
    java.util.Arrays.fill(stakes, 1);
    return Committee.ofStakes(0, distinctKeys(n), stakes);
  }

  /** {@code n} distinct placeholder keys (a committee refuses a repeated key). */
  static List<byte[]> distinctKeys(int n) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[32];
      key[0] = (byte) (i + 1);
      key[1] = (byte) (i >>> 8);
      keys.add(key);
    }
    return keys;
  }

  static Certificate certify(Committee committee, FakeSignatureScheme sigs, Vertex v) {
    List<Vote> votes = new ArrayList<>();
    long stake = 0;
    for (int i = 0; i < committee.size() && stake < committee.quorumThreshold(); i++) {
      votes.add(Vote.create(v, i, sigs.signer(i)));
      stake += committee.stake(i);
    }
    return new Certificate(v, votes);
  }

  /**
   * A random DAG of {@code rounds} rounds: each round a random quorum of authors (or all), each
   * naming a random quorum of the previous round's certificates.
   */
  static List<Certificate> randomDag(
      Committee committee, int rounds, long seed, double absentProbability) {
    return randomDag(committee, rounds, seed, absentProbability, 0, false);
  }

  /**
   * {@link #randomDag(Committee, int, long, double)} where a fifth of the certificates come late:
   * no vertex of the next round names them (while the others hold a quorum), as when a slow
   * validator's certificate arrives after the others moved on. With {@code weakLinks} each vertex
   * also names, as the proposer does, every certificate of an older round than its parents that no
   * certificate so far names.
   */
  static List<Certificate> randomDag(
      Committee committee, int rounds, long seed, double absentProbability, boolean weakLinks) {
    return randomDag(committee, rounds, seed, absentProbability, 0.2, weakLinks);
  }

  private static List<Certificate> randomDag(
      Committee committee,
      int rounds,
      long seed,
      double absentProbability,
      double lateProbability,
      boolean weakLinks) {
    java.util.Map<Digest, Certificate> unreferenced = new java.util.LinkedHashMap<>();
    FakeSignatureScheme sigs = new FakeSignatureScheme(committee.size(), seed);
    SplittableRandom random = new SplittableRandom(seed);
    List<Certificate> all = new ArrayList<>();
    List<Certificate> previous = List.of();
    for (int r = 0; r < rounds; r++) {
      List<Certificate> current = new ArrayList<>();
      List<Certificate> namable = new ArrayList<>(previous);
      if (lateProbability > 0) {
        for (Certificate c : previous) {
          long stakeWithout = 0;
          for (Certificate k : namable) {
            if (k != c) stakeWithout += committee.stake(k.author());
          }
          if (random.nextDouble() < lateProbability
              && stakeWithout >= committee.quorumThreshold()) {
            namable.remove(c);
          }
        }
      }
      for (int a = 0; a < committee.size(); a++) {
        List<Digest> parents = new ArrayList<>();
        if (r > 0) {
          List<Certificate> shuffled = new ArrayList<>(namable);
          for (int i = shuffled.size() - 1; i > 0; i--) {
            java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
          }
          long stake = 0;
          for (Certificate p : shuffled) {
            if (stake >= committee.quorumThreshold() && random.nextDouble() < 0.5) {
              continue;
            }
            parents.add(p.digest());
            stake += committee.stake(p.author());
          }
        }
        List<WeakLink> weak = new ArrayList<>();
        if (weakLinks) {
          for (Certificate u : unreferenced.values()) {
            if (u.round() < r - 1) {
              weak.add(new WeakLink(u.round(), u.digest()));
            }
          }
        }
        current.add(
            certify(
                committee, sigs, Vertex.create(0, r, a, List.of(), parents, weak, sigs.signer(a))));
      }
      // drop some authors while a quorum remains
      List<Certificate> kept = new ArrayList<>(current);
      for (Certificate c : current) {
        long stakeWithout = 0;
        for (Certificate k : kept) {
          if (k != c) stakeWithout += committee.stake(k.author());
        }
        if (random.nextDouble() < absentProbability
            && stakeWithout >= committee.quorumThreshold()) {
          kept.remove(c);
        }
      }
      all.addAll(kept);
      for (Certificate k : kept) {
        k.parents().forEach(unreferenced::remove);
        k.weakLinks().forEach(w -> unreferenced.remove(w.digest()));
      }
      for (Certificate k : kept) {
        unreferenced.put(k.digest(), k);
      }
      previous = kept;
    }
    return all;
  }

  /** A random topological order of {@code dag} (parents before children). */
  static List<Certificate> randomCausalOrder(List<Certificate> dag, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    java.util.Set<Digest> emitted = new java.util.HashSet<>();
    java.util.Set<Digest> all = new java.util.HashSet<>();
    dag.forEach(c -> all.add(c.digest()));
    List<Certificate> remaining = new ArrayList<>(dag);
    List<Certificate> out = new ArrayList<>();
    while (!remaining.isEmpty()) {
      List<Certificate> ready = new ArrayList<>();
      for (Certificate c : remaining) {
        boolean ok = true;
        for (Digest p : c.parents()) {
          if (all.contains(p) && !emitted.contains(p)) {
            ok = false;
            break;
          }
        }
        for (WeakLink w : c.weakLinks()) {
          if (all.contains(w.digest()) && !emitted.contains(w.digest())) {
            ok = false;
            break;
          }
        }
        if (ok) ready.add(c);
      }
      Certificate pick = ready.get(random.nextInt(ready.size()));
      remaining.remove(pick);
      emitted.add(pick.digest());
      out.add(pick);
    }
    return out;
  }
}
