package dev.agentledger.bench.loadgen.core;

import java.util.Arrays;

/**
 * Draws ranks {@code 1..n} with probability proportional to {@code 1 / rank^s} (Zipf's law), by
 * inverting a precomputed cumulative table (the method Gray et al. use for skewed synthetic data,
 * "Quickly generating billion-record synthetic databases", SIGMOD 1994). Building the table costs
 * O(n); a draw is a binary search. The caller supplies the uniform variate, so the sampler holds no
 * random state and is deterministic under a seeded generator.
 */
public final class ZipfSampler {
  private final double[] cumulative;
  private final double exponent;

  public ZipfSampler(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("zipf needs at least one rank: " + n);
    }
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("zipf exponent must be finite and >= 0: " + exponent);
    }
    this.exponent = exponent;
    this.cumulative = new double[n];
    double sum = 0;
    for (int rank = 1; rank <= n; rank++) {
      sum += 1.0 / Math.pow(rank, exponent);
      cumulative[rank - 1] = sum;
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= sum;
    }
    cumulative[n - 1] = 1.0;
  }

  public int n() {
    return cumulative.length;
  }

  public double exponent() {
    return exponent;
  }

  /** The rank (1-based) for a uniform variate {@code u} in {@code [0, 1)}. */
  public int rank(double u) {
    int at = Arrays.binarySearch(cumulative, u);
    int index = at >= 0 ? at + 1 : -at - 1;
    return Math.min(index, cumulative.length - 1) + 1;
  }

  /** Probability of {@code rank} (1-based). */
  public double probability(int rank) {
    double below = rank == 1 ? 0 : cumulative[rank - 2];
    return cumulative[rank - 1] - below;
  }
}
