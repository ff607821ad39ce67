package dev.agentledger.zk.ntt;

import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The number-theoretic transform over Fr on flat Montgomery-form arrays: in-place iterative radix-2
 * Cooley-Tukey (decimation in time after a bit-reversal permutation), natural order in and out.
 * {@code forward}: {@code A_i = sum_j a_j w^(ij)}; {@code inverse}: {@code a_j = n^-1 sum_i A_i
 * w^(-ij)}. Stages split their butterflies over an optional executor.
 */
public final class Ntt {
  private static final MontField FR = Bn254.FR;
  private final int log;
  private final int n;
  private final long[] twiddles;
  private final long[] invTwiddles;
  private final long[] nInv = new long[4];

  /** Transforms of size {@code 2^log}. */
  public Ntt(int log) {
    if (log < 0 || log > Domain.TWO_ADICITY) {
      throw new IllegalArgumentException("domain 2^" + log + " not supported");
    }
    this.log = log;
    this.n = 1 << log;
    int half = Math.max(1, n / 2);
    twiddles = powers(Domain.root(log), half);
    long[] inv = new long[4];
    FR.inv(inv, 0, Domain.root(log), 0);
    invTwiddles = powers(inv, half);
    FR.fromBigInteger(nInv, 0, java.math.BigInteger.valueOf(n).modInverse(Bn254.R));
  }

  /** The size {@code n}. */
  public int size() {
    return n;
  }

  /** {@code [1, g, g^2, ..., g^(count-1)]} in Montgomery form. */
  public static long[] powers(long[] g, int count) {
    long[] out = new long[4 * count];
    FR.setOne(out, 0);
    for (int i = 1; i < count; i++) {
      FR.mul(out, 4 * i, out, 4 * (i - 1), g, 0);
    }
    return out;
  }

  /** Forward transform in place. */
  public void forward(long[] a, ExecutorService pool, int threads) {
    transform(a, twiddles, pool, threads);
  }

  /** Inverse transform in place (scaled by {@code 1/n}). */
  public void inverse(long[] a, ExecutorService pool, int threads) {
    transform(a, invTwiddles, pool, threads);
    multiplyEach(a, nInv, 0, pool, threads);
  }

  /** {@code a_i *= g^i} (move to the coset {@code g H}). */
  public void scaleByPowers(long[] a, long[] g, ExecutorService pool, int threads) {
    long[] one = new long[4];
    FR.setOne(one, 0);
    scaleByPowers(a, one, g, pool, threads);
  }

  /**
   * Inverse transform followed by the move to the coset {@code g H}: {@code a_i = n^-1 g^i sum_j
   * A_j w^(-ij)}, the {@code 1/n} folded into the powers of {@code g} (one product per element).
   */
  public void inverseToCoset(long[] a, long[] g, ExecutorService pool, int threads) {
    transform(a, invTwiddles, pool, threads);
    scaleByPowers(a, nInv, g, pool, threads);
  }

  /**
   * The factors of {@link #inverseScaled} for the coset {@code g H}: {@code n^-1 g^i} for {@code i
   * < n} (Montgomery form), computed once for several polynomials.
   */
  public long[] cosetFactors(long[] g, ExecutorService pool, int threads) {
    long[] f = new long[4 * n];
    for (int i = 0; i < n; i++) {
      FR.setOne(f, 4 * i);
    }
    scaleByPowers(f, nInv, g, pool, threads); // once per proof: n products more than needed
    return f;
  }

  /**
   * Inverse transform followed by {@code a_i *= factors_i} (with {@link #cosetFactors}: the same as
   * {@link #inverseToCoset}, one product per element instead of two).
   */
  public void inverseScaled(long[] a, long[] factors, ExecutorService pool, int threads) {
    transform(a, invTwiddles, pool, threads);
    multiplyEach(a, factors, 4, pool, threads);
  }

  /**
   * {@code a_i *= f_(i * stride / 4)}: stride 4 multiplies element-wise, 0 by {@code f}'s first.
   */
  private void multiplyEach(long[] a, long[] f, int stride, ExecutorService pool, int threads) {
    parallel(
        pool,
        threads,
        n,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            FR.mul(a, 4 * i, a, 4 * i, f, stride * i);
          }
        });
  }

  private void scaleByPowers(long[] a, long[] first, long[] g, ExecutorService pool, int threads) {
    parallel(
        pool,
        threads,
        n,
        (from, to) -> {
          long[] p = new long[4];
          FR.pow(p, 0, g, 0, new long[] {from});
          FR.mul(p, 0, p, 0, first, 0);
          for (int i = from; i < to; i++) {
            FR.mul(a, 4 * i, a, 4 * i, p, 0);
            FR.mul(p, 0, p, 0, g, 0);
          }
        });
  }

  private void transform(long[] a, long[] tw, ExecutorService pool, int threads) {
    // bit reversal
    for (int i = 0; i < n; i++) {
      int j = log == 0 ? 0 : Integer.reverse(i) >>> (32 - log);
      if (i < j) {
        for (int k = 0; k < 4; k++) {
          long t = a[4 * i + k];
          a[4 * i + k] = a[4 * j + k];
          a[4 * j + k] = t;
        }
      }
    }
    for (int m = 1; m < n; m <<= 1) {
      int half = m;
      int stride = n / (2 * m);
      // butterflies: index b over n/2, group g = b / half, position j = b % half
      parallel(pool, threads, n / 2, (from, to) -> butterflies(a, tw, half, stride, from, to));
    }
  }

  /**
   * Butterflies {@code from..to-1} of the stage with groups of {@code 2 half}: butterfly {@code b}
   * pairs {@code i0 = 2 half (b / half) + b % half} with {@code i0 + half} under the twiddle {@code
   * w^((b % half) stride)}. The first of each group has the twiddle 1 and no product (the whole
   * first stage, half of the second, ...: an eighth of a transform's products).
   */
  private static void butterflies(long[] a, long[] tw, int half, int stride, int from, int to) {
    long[] t = new long[4];
    int b = from;
    while (b < to) {
      int g = b / half;
      int j = b - g * half;
      int end = Math.min(to, b + half - j);
      int i0 = 2 * half * g + j;
      if (j == 0) {
        int i1 = i0 + half;
        MontField.copy(t, 0, a, 4 * i1);
        FR.sub(a, 4 * i1, a, 4 * i0, t, 0);
        FR.add(a, 4 * i0, a, 4 * i0, t, 0);
        b++;
        j++;
        i0++;
      }
      for (; b < end; b++, j++, i0++) {
        int i1 = i0 + half;
        FR.mul(t, 0, a, 4 * i1, tw, 4 * j * stride);
        FR.sub(a, 4 * i1, a, 4 * i0, t, 0);
        FR.add(a, 4 * i0, a, 4 * i0, t, 0);
      }
    }
  }

  /** A range task. */
  private interface Range {
    void run(int from, int to);
  }

  private static void parallel(ExecutorService pool, int threads, int count, Range body) {
    if (pool == null || threads <= 1 || count < 4096) {
      body.run(0, count);
      return;
    }
    List<Future<?>> fs = new ArrayList<>();
    int per = (count + threads - 1) / threads;
    for (int k = 0; k < threads; k++) {
      int from = Math.min(count, k * per);
      int to = Math.min(count, from + per);
      fs.add(pool.submit(() -> body.run(from, to)));
    }
    try {
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
