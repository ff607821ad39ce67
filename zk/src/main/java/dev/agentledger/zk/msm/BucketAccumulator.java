package dev.agentledger.zk.msm;

import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.FieldOps;
import dev.agentledger.zk.field.Fp2Ops;
import dev.agentledger.zk.field.FpOps;
import java.util.Arrays;

/**
 * One window's bucket sums by batch-affine addition. Buckets are affine points (zeros when empty).
 * The window's points are first sorted by bucket (a counting sort of the digits); then round {@code
 * k} adds the {@code k}-th point of every bucket that has one, so the additions of a round touch
 * distinct buckets and share one field inversion (Montgomery's trick): an addition costs about 6
 * multiplications instead of the 11 of a mixed Jacobian addition. Finally the running-sum reduction
 * turns the buckets into {@code sum b * B_b}.
 *
 * <p>Owned by one thread; allocation-free after construction (the sort arrays grow once). Each
 * group runs its own copy of this class ({@link GroupCode}).
 */
final class BucketAccumulator implements WindowAccumulator {
  /** Below this many buckets with entries left, a window finishes with Jacobian additions. */
  private static final int TAIL_BUCKETS = 64;

  private final CurveOps curve;
  private final FieldOps f;
  private final int w;
  private final int aw;
  private final int nb;
  private final int maxBatch;
  private final long[] buckets;
  private final long[] jacBuckets;
  private final boolean[] isJac;
  private final int[] count;
  private final int[] start;
  private final int[] active;
  private int[] order = new int[0];
  private final int[] batchBucket;
  private final int[] batchEntry;
  private int batchSize;
  private final long[] prefix;
  private final long[] dxs;
  private final long[] staged;
  private final long[] tmp;
  private final long[] jac;
  private final long[] run;
  private final long[] total;

  BucketAccumulator(CurveOps curve, int bucketCount, int maxBatch) {
    this.curve = curve;
    this.f = curve.field();
    this.w = f.width();
    this.aw = 2 * w;
    this.nb = bucketCount;
    this.maxBatch = maxBatch;
    this.buckets = new long[(nb + 1) * aw];
    this.jacBuckets = new long[(nb + 1) * 3 * w];
    this.isJac = new boolean[nb + 1];
    this.count = new int[nb + 2];
    this.start = new int[nb + 2];
    this.active = new int[nb + 1];
    this.batchBucket = new int[maxBatch];
    this.batchEntry = new int[maxBatch];
    this.prefix = new long[maxBatch * w];
    this.dxs = new long[maxBatch * w];
    this.staged = new long[maxBatch * aw];
    this.tmp = new long[6 * w];
    this.jac = new long[3 * w];
    this.run = new long[3 * w];
    this.total = new long[3 * w];
  }

  /**
   * An accumulator of G1 or G2 on curve operations of the loader of this class: in a group's own
   * copy ({@link GroupCode}), {@code CurveOps} is that group's copy too.
   */
  static WindowAccumulator create(boolean g2, int bucketCount, int maxBatch) {
    CurveOps curve =
        g2
            ? new CurveOps(new Fp2Ops(), Bn254Curves.B2)
            : new CurveOps(new FpOps(Bn254.FP), Bn254Curves.B1);
    return new BucketAccumulator(curve, bucketCount, maxBatch);
  }

  @Override
  public void window(
      long[] points, int[] digits, int digitBase, int from, int to, long[] out, int oo) {
    // each loop is a method of its own: window runs once per window and spends its time in its
    // loops, so the JIT compiles it on-stack (OSR), once for each loop it is caught in, the whole
    // method every time; a loop in a small method costs a small compile
    int maxD = maxDigit(digits, digitBase, from, to);
    if (maxD == 0) {
      return;
    }
    // a window whose digits are small (the top one) spreads its points over groups of buckets, so
    // the batched rounds still find many distinct buckets: key = group * maxD + |d|
    int groups = Math.max(1, nb / maxD);
    int keys = groups * maxD;
    Arrays.fill(buckets, 0, (keys + 1) * aw, 0L);
    Arrays.fill(isJac, 0, keys + 1, false);
    Arrays.fill(count, 0, keys + 2, 0);
    int m = countEntries(points, digits, digitBase, from, to, groups, maxD);
    if (order.length < m) {
      order = new int[m];
    }
    int nActive = startBuckets(keys);
    placeEntries(points, digits, digitBase, from, to, groups, maxD);
    for (int k = 0; k < nActive; k++) {
      int b = active[k];
      start[b] -= count[b];
    }
    // round r: the r-th entry of every bucket that has one; rounds with few buckets left (the
    // tail of the count distribution) would pay an inversion for a handful of additions, so those
    // buckets finish with Jacobian additions
    int tail = Math.min(TAIL_BUCKETS, Math.max(1, nb / 8));
    int r = 0;
    for (; nActive >= tail; r++) {
      nActive = round(points, nActive, r);
      flush(points);
    }
    finishTail(points, nActive, r);
    reduce(groups, maxD, out, oo);
  }

  private static int maxDigit(int[] digits, int digitBase, int from, int to) {
    int maxD = 0;
    for (int i = from; i < to; i++) {
      int d = digits[digitBase + i];
      int a = d < 0 ? -d : d;
      if (a > maxD) {
        maxD = a;
      }
    }
    return maxD;
  }

  /** Counts the entries of each key; returns their number. */
  private int countEntries(
      long[] points, int[] digits, int digitBase, int from, int to, int groups, int maxD) {
    int m = 0;
    for (int i = from; i < to; i++) {
      int d = digits[digitBase + i];
      if (d != 0 && !curve.isInfinityAffine(points, i * aw)) {
        count[key(d, i, groups, maxD)]++;
        m++;
      }
    }
    return m;
  }

  /** Each key's first slot in {@code order}; lists the keys with entries; returns their number. */
  private int startBuckets(int keys) {
    int pos = 0;
    int nActive = 0;
    for (int b = 1; b <= keys; b++) {
      start[b] = pos;
      pos += count[b];
      if (count[b] > 0) {
        active[nActive++] = b;
      }
    }
    return nActive;
  }

  /**
   * Entries: point index {@code << 1 | sign}; {@code start[b]} advances as entries are placed (the
   * caller resets it).
   */
  private void placeEntries(
      long[] points, int[] digits, int digitBase, int from, int to, int groups, int maxD) {
    for (int i = from; i < to; i++) {
      int d = digits[digitBase + i];
      if (d != 0 && !curve.isInfinityAffine(points, i * aw)) {
        int b = key(d, i, groups, maxD);
        order[start[b]++] = (i << 1) | (d < 0 ? 1 : 0);
      }
    }
  }

  /**
   * Offers the {@code r}-th entry of each of the {@code nActive} buckets; keeps in {@code active}
   * those with more; returns their number.
   */
  private int round(long[] points, int nActive, int r) {
    int kept = 0;
    for (int k = 0; k < nActive; k++) {
      int b = active[k];
      offer(points, b, order[start[b] + r]);
      if (count[b] > r + 1) {
        active[kept++] = b;
      }
    }
    return kept;
  }

  /** The entries from round {@code r} on of the {@code nActive} buckets left, in Jacobian form. */
  private void finishTail(long[] points, int nActive, int r) {
    for (int k = 0; k < nActive; k++) {
      int b = active[k];
      finishJacobian(points, b, start[b] + r, start[b] + count[b]);
    }
  }

  private static int key(int d, int i, int groups, int maxD) {
    int a = d < 0 ? -d : d;
    return groups == 1 ? a : (i % groups) * maxD + a;
  }

  private void offer(long[] points, int b, int entry) {
    int po = (entry >>> 1) * aw;
    boolean neg = (entry & 1) != 0;
    int bo = b * aw;
    if (curve.isInfinityAffine(buckets, bo)) {
      f.copy(buckets, bo, points, po);
      if (neg) {
        f.neg(buckets, bo + w, points, po + w);
      } else {
        f.copy(buckets, bo + w, points, po + w);
      }
      return;
    }
    if (f.equal(buckets, bo, points, po)) {
      // same x: the bucket equals +-point; the generic formula handles doubling and cancelling
      addRare(points, po, neg, bo);
      return;
    }
    // stage the signed point next to its batch slot: one random read of the point, then the
    // batch passes run over contiguous memory
    int so = batchSize * aw;
    f.copy(staged, so, points, po);
    if (neg) {
      f.neg(staged, so + w, points, po + w);
    } else {
      f.copy(staged, so + w, points, po + w);
    }
    batchBucket[batchSize] = b;
    batchEntry[batchSize] = entry;
    batchSize++;
    if (batchSize == maxBatch) {
      flush(points);
    }
  }

  /**
   * Adds entries {@code [from, to)} of {@code order} into bucket {@code b}, which from then on is
   * held in Jacobian form (no inversion).
   */
  private void finishJacobian(long[] points, int b, int from, int to) {
    int bo = b * aw;
    long[] t = tmp;
    long[] jac = jacBuckets;
    int jo = b * 3 * w;
    isJac[b] = true;
    curve.fromAffine(jac, jo, buckets, bo);
    for (int q = from; q < to; q++) {
      int entry = order[q];
      int po = (entry >>> 1) * aw;
      f.copy(t, 0, points, po);
      if ((entry & 1) != 0) {
        f.neg(t, w, points, po + w);
      } else {
        f.copy(t, w, points, po + w);
      }
      curve.addAffine(jac, jo, jac, jo, t, 0);
    }
  }

  private void addRare(long[] points, int po, boolean neg, int bo) {
    long[] t = tmp;
    f.copy(t, 0, points, po);
    if (neg) {
      f.neg(t, w, points, po + w);
    } else {
      f.copy(t, w, points, po + w);
    }
    curve.fromAffine(jac, 0, buckets, bo);
    curve.addAffine(jac, 0, jac, 0, t, 0);
    curve.toAffine(buckets, bo, jac, 0);
  }

  /** Completes the pending additions (distinct buckets) with one inversion. */
  private void flush(long[] points) {
    int k = batchSize;
    if (k == 0) {
      return;
    }
    // the two loops are methods of their own (see window): smaller on-stack compiles
    prefixes(k);
    f.invPublic(tmp, w, prefix, (k - 1) * w);
    backSweep(k);
    batchSize = 0;
  }

  /** {@code dxs[j] = (x2 - x1)_j}, {@code prefix[j] = prod_{m <= j} dxs[m]}. */
  private void prefixes(int k) {
    long[] p = staged;
    for (int j = 0; j < k; j++) {
      int bo = batchBucket[j] * aw;
      int po = j * aw;
      f.sub(dxs, j * w, p, po, buckets, bo);
      if (j == 0) {
        f.copy(prefix, 0, dxs, 0);
      } else {
        f.mul(prefix, j * w, prefix, (j - 1) * w, dxs, j * w);
      }
    }
  }

  /** From the inverse of the whole product at {@code tmp[w..]}: each addition, last to first. */
  private void backSweep(int k) {
    long[] t = tmp;
    long[] p = staged;
    final int inv = w;
    final int lam = 2 * w;
    final int x3 = 3 * w;
    final int dy = 4 * w;
    for (int j = k - 1; j >= 0; j--) {
      int bo = batchBucket[j] * aw;
      int po = j * aw;
      // 1 / dx_j = inv * prefix[j-1]; then inv *= dx_j
      if (j > 0) {
        f.mul(t, lam, t, inv, prefix, (j - 1) * w);
        f.mul(t, inv, t, inv, dxs, j * w);
      } else {
        f.copy(t, lam, t, inv);
      }
      // lambda = (y2 - y1) / dx
      f.sub(t, dy, p, po + w, buckets, bo + w);
      f.mul(t, lam, t, lam, t, dy);
      // x3 = lambda^2 - x1 - x2
      f.sqr(t, x3, t, lam);
      f.sub(t, x3, t, x3, buckets, bo);
      f.sub(t, x3, t, x3, p, po);
      // y3 = lambda (x1 - x3) - y1
      f.sub(t, dy, buckets, bo, t, x3);
      f.mul(t, dy, t, dy, t, lam);
      f.sub(buckets, bo + w, t, dy, buckets, bo + w);
      f.copy(buckets, bo, t, x3);
    }
  }

  /**
   * {@code out += sum_d d * (sum_g bucket_{g * maxD + d})} by running sums over the digits {@code d
   * = maxD .. 1}.
   */
  private void reduce(int groups, int maxD, long[] out, int oo) {
    curve.setInfinity(run, 0);
    curve.setInfinity(total, 0);
    for (int d = maxD; d >= 1; d--) {
      for (int g = 0; g < groups; g++) {
        int b = g * maxD + d;
        if (isJac[b]) {
          curve.add(run, 0, run, 0, jacBuckets, b * 3 * w);
        } else {
          curve.addAffine(run, 0, run, 0, buckets, b * aw);
        }
      }
      curve.add(total, 0, total, 0, run, 0);
    }
    curve.add(out, oo, out, oo, total, 0);
  }
}
