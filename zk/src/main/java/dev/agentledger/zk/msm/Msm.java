package dev.agentledger.zk.msm;

import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Fp29x8;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Multi-scalar multiplication {@code sum k_i P_i} on G1 or G2 by Pippenger's bucket method with
 * signed digits (window {@code c}, {@code 2^(c-1)} buckets per window) and batch-affine bucket
 * accumulation ({@link BucketAccumulator}). Work is split into (window, point-range) tasks over
 * {@code threads} threads; each task owns its buckets, so tasks share nothing but the inputs. A G1
 * MSM of at least 8192 points on a machine with AVX2 or AVX-512 ({@link Fp29x8#NATIVE}) runs eight
 * windows side by side in {@link Fp29x8} lanes ({@link LaneWindows}); G2 and smaller G1 MSMs use
 * scalar field operations.
 *
 * <p>Points are affine Montgomery-form (zeros for infinity), scalars canonical limbs below {@code
 * 2^254} (four longs each), as read from zkey and wtns files.
 */
public final class Msm {
  /** Which group. */
  public enum Group {
    /** G1 over Fp. */
    G1(Bn254Curves::g1),
    /** G2 over Fp2. */
    G2(Bn254Curves::g2);

    private final Supplier<CurveOps> ops;

    Group(Supplier<CurveOps> ops) {
      this.ops = ops;
    }

    /** Fresh curve operations (own scratch). */
    public CurveOps ops() {
      return ops.get();
    }
  }

  private static final int SCALAR_BITS = 254;

  private Msm() {}

  /** Window size minimising {@code windows * (n + 4 * buckets)} (a bucket sum costs ~2 adds). */
  public static int windowBits(int n) {
    int best = 2;
    double bestCost = Double.MAX_VALUE;
    for (int c = 2; c <= 16; c++) {
      double cost = SignedDigits.windows(SCALAR_BITS, c) * ((double) n + 4.0 * (1 << (c - 1)));
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    return best;
  }

  /**
   * Computes {@code sum_{i < n} k_i P_i} into the Jacobian point {@code out} (offset 0).
   *
   * @param points {@code n} affine points, {@code 2 * width} longs each
   * @param scalars {@code n} canonical scalars, 4 longs each, below {@code 2^254}
   */
  public static void msm(
      Group group, long[] points, long[] scalars, int n, int threads, long[] out) {
    msm(
        group,
        points,
        scalars,
        n,
        threads,
        out,
        group == Group.G1 && n >= LANE_MIN_POINTS && Fp29x8.NATIVE);
  }

  /**
   * {@link #msm(Group, long[], long[], int, int, long[])} taking the G1 lane path only from {@code
   * laneMinPoints} points (and never below the default minimum of 8192): in a fresh JVM the JIT
   * spends seconds of CPU on the lane code before it runs fast, more than a few small MSMs gain.
   */
  public static void msm(
      Group group,
      long[] points,
      long[] scalars,
      int n,
      int threads,
      long[] out,
      int laneMinPoints) {
    msm(
        group,
        points,
        scalars,
        n,
        threads,
        out,
        group == Group.G1 && n >= Math.max(LANE_MIN_POINTS, laneMinPoints) && Fp29x8.NATIVE);
  }

  /**
   * {@link #msm(Group, long[], long[], int, int, long[])} with the path chosen by the caller:
   * {@code lanes} (G1 only) runs {@link LaneWindows}, otherwise the scalar {@link
   * BucketAccumulator}.
   */
  static void msm(
      Group group, long[] points, long[] scalars, int n, int threads, long[] out, boolean lanes) {
    CurveOps curve = group.ops();
    int w = curve.width();
    curve.setInfinity(out, 0);
    if (n == 0) {
      return;
    }
    if (lanes) {
      if (group != Group.G1) {
        throw new IllegalArgumentException("the lane path is G1 only");
      }
      int c = LaneWindows.windowBits(n);
      long[] sums = LaneWindows.windowSums(points, scalars, n, c, threads);
      combine(curve, sums, SignedDigits.windows(SCALAR_BITS, c), 1, c, out);
      return;
    }
    int c = windowBits(n);
    int windows = SignedDigits.windows(SCALAR_BITS, c);
    int[] digits = new int[windows * n];
    int t = Math.max(1, threads);
    int chunks = t == 1 ? 1 : Math.max(1, Math.min(n / 1024 + 1, (2 * t + windows - 1) / windows));
    long[] windowSums = new long[windows * chunks * 3 * w];
    if (t == 1) {
      SignedDigits.compute(scalars, n, c, windows, 0, n, digits);
      WindowAccumulator acc = GroupCode.accumulator(group, 1 << (c - 1), batchSize(c));
      CurveOps g = group.ops();
      for (int win = 0; win < windows; win++) {
        g.setInfinity(windowSums, win * 3 * w);
        acc.window(points, digits, win * n, 0, n, windowSums, win * 3 * w);
      }
    } else {
      ExecutorService pool =
          Executors.newFixedThreadPool(
              t,
              r -> {
                Thread th = new Thread(r, "msm");
                th.setDaemon(true);
                return th;
              });
      try {
        List<Future<?>> fs = new ArrayList<>();
        int per = (n + t - 1) / t;
        for (int k = 0; k < t; k++) {
          int from = Math.min(n, k * per);
          int to = Math.min(n, from + per);
          fs.add(pool.submit(() -> SignedDigits.compute(scalars, n, c, windows, from, to, digits)));
        }
        await(fs);
        fs.clear();
        ThreadLocal<WindowAccumulator> accs =
            ThreadLocal.withInitial(() -> GroupCode.accumulator(group, 1 << (c - 1), batchSize(c)));
        int perChunk = (n + chunks - 1) / chunks;
        for (int win = windows - 1; win >= 0; win--) {
          for (int ch = 0; ch < chunks; ch++) {
            int win0 = win;
            int slot = (win * chunks + ch) * 3 * w;
            int from = Math.min(n, ch * perChunk);
            int to = Math.min(n, from + perChunk);
            fs.add(
                pool.submit(
                    () -> {
                      WindowAccumulator acc = accs.get();
                      group.ops().setInfinity(windowSums, slot);
                      acc.window(points, digits, win0 * n, from, to, windowSums, slot);
                    }));
          }
        }
        await(fs);
      } finally {
        pool.shutdownNow();
      }
    }
    combine(curve, windowSums, windows, chunks, c, out);
  }

  /**
   * {@code out = sum_win 2^(c win) S_win} by Horner from the top window, {@code S_win} the sum of
   * the window's {@code chunks} partial sums at {@code (win * chunks + ch) * 3 * width}.
   */
  private static void combine(
      CurveOps curve, long[] windowSums, int windows, int chunks, int c, long[] out) {
    int w = curve.width();
    long[] s = new long[3 * w];
    for (int win = windows - 1; win >= 0; win--) {
      for (int k = 0; k < c && win < windows - 1; k++) {
        curve.dbl(out, 0, out, 0);
      }
      curve.setInfinity(s, 0);
      for (int ch = 0; ch < chunks; ch++) {
        curve.add(s, 0, s, 0, windowSums, (win * chunks + ch) * 3 * w);
      }
      curve.add(out, 0, out, 0, s, 0);
    }
  }

  /**
   * Smallest G1 MSM that takes the lane path: below it the scalar path is as fast, and a short run
   * does not pay for the JIT's slow first versions of the vector code.
   */
  private static final int LANE_MIN_POINTS = 8192;

  private static int batchSize(int c) {
    return Math.min(4096, 1 << (c - 1));
  }

  private static void await(List<Future<?>> fs) {
    try {
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("msm task failed", e.getCause());
    }
  }
}
