package dev.agentledger.zk.msm;

import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.FieldOps;

/**
 * One window's bucket sums by batch-affine addition: buckets are affine points (zeros when empty);
 * up to {@code batch} pending additions {@code bucket += ±point} into distinct buckets share one
 * field inversion (Montgomery's trick), so an addition costs about 6 multiplications instead of
 * the 11 of a mixed Jacobian addition. A point whose bucket is already pending waits in a queue
 * for the next batch. Then the running-sum reduction turns the buckets into {@code sum b * B_b}.
 *
 * <p>Owned by one thread; allocation-free after construction.
 */
final class BucketAccumulator {
  private final CurveOps curve;
  private final FieldOps f;
  private final int w;
  private final int aw;
  private final int nb;
  private final int batch;
  private final long[] buckets;
  private final int[] stamp;
  private int batchId = 1;
  private final int[] batchBucket;
  private final int[] batchPoint;
  private final boolean[] batchNeg;
  private int batchSize;
  private final long[] prefix;
  private final long[] tmp;
  private int[] deferred;
  private int deferredCount;
  private int[] drain;
  private final long[] jac;
  private final long[] run;
  private final long[] total;

  BucketAccumulator(CurveOps curve, int bucketCount, int batch) {
    this.curve = curve;
    this.f = curve.field();
    this.w = f.width();
    this.aw = 2 * w;
    this.nb = bucketCount;
    this.batch = batch;
    this.buckets = new long[(nb + 1) * aw];
    this.stamp = new int[nb + 1];
    this.batchBucket = new int[batch];
    this.batchPoint = new int[batch];
    this.batchNeg = new boolean[batch];
    this.prefix = new long[batch * w];
    this.tmp = new long[6 * w];
    this.deferred = new int[64];
    this.drain = new int[64];
    this.jac = new long[3 * w];
    this.run = new long[3 * w];
    this.total = new long[3 * w];
  }

  /**
   * Accumulates {@code digits[digitBase + i]} times {@code points[i]} for {@code i} in
   * {@code [from, to)} and adds {@code sum_b b * bucket_b} into {@code out} (Jacobian).
   */
  void window(long[] points, int[] digits, int digitBase, int from, int to, long[] out, int oo) {
    java.util.Arrays.fill(buckets, 0L);
    for (int i = from; i < to; i++) {
      int d = digits[digitBase + i];
      if (d != 0) {
        offer(points, i, d);
        if (batchSize == 0 && deferredCount > 0) {
          drainDeferred(points);
        }
      }
    }
    while (batchSize > 0 || deferredCount > 0) {
      flush(points);
      drainDeferred(points);
    }
    reduce(out, oo);
  }

  private void offer(long[] points, int i, int d) {
    int b = d < 0 ? -d : d;
    boolean neg = d < 0;
    int po = i * aw;
    if (curve.isInfinityAffine(points, po)) {
      return;
    }
    int bo = b * aw;
    if (stamp[b] == batchId) {
      defer(i, d);
      return;
    }
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
      // same x: the bucket equals ±point; add with the generic formula, rare
      addRare(points, po, neg, bo);
      return;
    }
    stamp[b] = batchId;
    batchBucket[batchSize] = b;
    batchPoint[batchSize] = i;
    batchNeg[batchSize] = neg;
    batchSize++;
    if (batchSize == batch) {
      flush(points);
    }
  }

  private void addRare(long[] points, int po, boolean neg, int bo) {
    long[] t = tmp;
    // t[0..aw) = ±point (affine)
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

  private void defer(int i, int d) {
    if (deferredCount + 2 > deferred.length) {
      deferred = java.util.Arrays.copyOf(deferred, deferred.length * 2);
    }
    deferred[deferredCount++] = i;
    deferred[deferredCount++] = d;
  }

  private void drainDeferred(long[] points) {
    while (deferredCount > 0 && batchSize < batch) {
      int count = deferredCount;
      if (drain.length < count) {
        drain = new int[deferred.length];
      }
      System.arraycopy(deferred, 0, drain, 0, count);
      deferredCount = 0;
      for (int k = 0; k < count; k += 2) {
        offer(points, drain[k], drain[k + 1]);
      }
      if (deferredCount == count) {
        // nothing went in: all wait for buckets in the current batch
        return;
      }
    }
  }

  /** Completes the pending additions with one inversion. */
  private void flush(long[] points) {
    int k = batchSize;
    if (k == 0) {
      return;
    }
    long[] t = tmp;
    int dx = 0;
    int inv = w;
    int lam = 2 * w;
    int x3 = 3 * w;
    int dy = 4 * w;
    // prefix[j] = prod_{m <= j} (x2 - x1)_m
    for (int j = 0; j < k; j++) {
      int bo = batchBucket[j] * aw;
      int po = batchPoint[j] * aw;
      if (j == 0) {
        f.sub(prefix, 0, points, po, buckets, bo);
      } else {
        f.sub(t, dx, points, po, buckets, bo);
        f.mul(prefix, j * w, prefix, (j - 1) * w, t, dx);
      }
    }
    f.inv(t, inv, prefix, (k - 1) * w);
    for (int j = k - 1; j >= 0; j--) {
      int bo = batchBucket[j] * aw;
      int po = batchPoint[j] * aw;
      f.sub(t, dx, points, po, buckets, bo);
      // 1 / dx_j = inv * prefix[j-1]; then inv *= dx_j
      if (j > 0) {
        f.mul(t, lam, t, inv, prefix, (j - 1) * w);
        f.mul(t, inv, t, inv, t, dx);
      } else {
        f.copy(t, lam, t, inv);
      }
      // lambda = (y2 - y1) / dx
      if (batchNeg[j]) {
        f.add(t, dy, points, po + w, buckets, bo + w);
        f.neg(t, dy, t, dy);
      } else {
        f.sub(t, dy, points, po + w, buckets, bo + w);
      }
      f.mul(t, lam, t, lam, t, dy);
      // x3 = lambda^2 - x1 - x2
      f.sqr(t, x3, t, lam);
      f.sub(t, x3, t, x3, buckets, bo);
      f.sub(t, x3, t, x3, points, po);
      // y3 = lambda (x1 - x3) - y1
      f.sub(t, dy, buckets, bo, t, x3);
      f.mul(t, dy, t, dy, t, lam);
      f.sub(buckets, bo + w, t, dy, buckets, bo + w);
      f.copy(buckets, bo, t, x3);
    }
    batchSize = 0;
    batchId++;
  }

  /** {@code out += sum_b b * bucket_b} by running sums. */
  private void reduce(long[] out, int oo) {
    curve.setInfinity(run, 0);
    curve.setInfinity(total, 0);
    for (int b = nb; b >= 1; b--) {
      curve.addAffine(run, 0, run, 0, buckets, b * aw);
      curve.add(total, 0, total, 0, run, 0);
    }
    curve.add(out, oo, out, oo, total, 0);
  }
}
