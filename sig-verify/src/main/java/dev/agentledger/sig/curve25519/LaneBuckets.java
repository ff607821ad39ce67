package dev.agentledger.sig.curve25519;

import java.util.Arrays;

/**
 * The bucket phase of Pippenger's method, eight mixed additions at a time: the points of one window
 * are dealt into groups of eight whose buckets are pairwise distinct (a point whose bucket is
 * already taken in the open group waits for a later group), each group copies its eight buckets and
 * points into the lanes of {@link Fe8} (a transposition with scalar loads and stores), runs one
 * lane-wise mixed addition (the formula of {@link PointOps#addNiels}: 7 eight-lane multiplications)
 * and copies the buckets back.
 *
 * <p>Storage is radix 2^25.5 throughout: a point is 40 limbs (Y + X, Y - X, 2dXY, -2dXY), so that a
 * negative digit is a choice of source offset rather than arithmetic; a bucket is 40 limbs (X, Y,
 * Z, T). Bucket {@code half} is a scratch bucket that absorbs the unused lanes of the last group.
 *
 * <p>Bounds (see {@link Fe8}): stored limbs are tight; Y + X is below 2^27.01 and Y - X + 2p below
 * 2^27.6, each multiplied by a tight point limb; E = B - A + 2p, F = D - C + 2p and G = D + C are
 * carried back to tight before the last four multiplications, H = B + A stays below 2^27.01.
 */
final class LaneBuckets {
  private static final int LANES = Fe8.LANES;
  private static final int WORDS = 40;

  private long[] pointLimbs = new long[0];
  private long[] bucketLimbs = new long[0];
  private int[] stamp = new int[0];
  private int[] deferred = new int[0];
  private int[] deferredNext = new int[0];
  private final int[] bucketIndex = new int[LANES];
  private final int[] plusIndex = new int[LANES];
  private final int[] minusIndex = new int[LANES];
  private final int[] tIndex = new int[LANES];
  private final long[] x = new long[10 * LANES];
  private final long[] y = new long[10 * LANES];
  private final long[] z = new long[10 * LANES];
  private final long[] t = new long[10 * LANES];
  private final long[] p1 = new long[10 * LANES];
  private final long[] p2 = new long[10 * LANES];
  private final long[] p3 = new long[10 * LANES];
  private final long[] a = new long[10 * LANES];
  private final long[] b = new long[10 * LANES];
  private final long[] c = new long[10 * LANES];
  private final long[] d = new long[10 * LANES];
  private final Fe scratch = new Fe();
  private final Fe negated = new Fe();
  private int half;
  private int open;
  private int epoch;

  /** Converts the points to lane storage (once per multi-scalar multiplication). */
  void load(NielsPoint[] points, int count) {
    if (pointLimbs.length < WORDS * count) {
      pointLimbs = new long[WORDS * count];
      deferred = new int[count];
      deferredNext = new int[count];
    }
    for (int j = 0; j < count; j++) {
      NielsPoint p = points[j];
      int off = WORDS * j;
      Fe8.putPacked(pointLimbs, off, p.yPlusX, scratch);
      Fe8.putPacked(pointLimbs, off + 10, p.yMinusX, scratch);
      Fe8.putPacked(pointLimbs, off + 20, p.xy2d, scratch);
      Fe.neg(negated, p.xy2d);
      Fe8.putPacked(pointLimbs, off + 30, negated, scratch);
    }
  }

  /**
   * Clears buckets 0..half-1 (and the scratch bucket) to the identity, then adds point j into
   * bucket |d| - 1 (subtracts it when d is negative) for every non-zero digit d = digits[base + j].
   * Returns the highest bucket touched, or -1.
   */
  int accumulate(short[] digits, int base, int count, int half) {
    this.half = half;
    int size = WORDS * (half + 1);
    if (bucketLimbs.length < size) {
      bucketLimbs = new long[size];
      stamp = new int[half + 1];
    }
    Arrays.fill(bucketLimbs, 0, size, 0L);
    for (int bucket = 0; bucket <= half; bucket++) {
      bucketLimbs[WORDS * bucket + 10] = 1; // Y
      bucketLimbs[WORDS * bucket + 20] = 1; // Z
    }
    Arrays.fill(stamp, 0, half + 1, 0);
    epoch = 1;
    open = 0;
    int highest = -1;
    int waiting = 0;
    for (int j = 0; j < count; j++) {
      int digit = digits[base + j];
      if (digit == 0) {
        continue;
      }
      highest = Math.max(highest, Math.abs(digit) - 1);
      if (!offer(j, digit)) {
        deferred[waiting++] = j;
      }
    }
    while (waiting > 0) {
      if (open > 0) {
        flush(); // a fresh group takes at least the first waiting point: the loop ends
      }
      int next = 0;
      for (int i = 0; i < waiting; i++) {
        int j = deferred[i];
        if (!offer(j, digits[base + j])) {
          deferredNext[next++] = j;
        }
      }
      int[] swap = deferred;
      deferred = deferredNext;
      deferredNext = swap;
      waiting = next;
    }
    if (open > 0) {
      flush();
    }
    return highest;
  }

  /** Reads bucket {@code bucket} into r (extended coordinates, tight limbs). */
  void bucket(int bucket, ExtendedPoint r) {
    int off = WORDS * bucket;
    Fe8.getPacked(bucketLimbs, off, r.x);
    Fe8.getPacked(bucketLimbs, off + 10, r.y);
    Fe8.getPacked(bucketLimbs, off + 20, r.z);
    Fe8.getPacked(bucketLimbs, off + 30, r.t);
  }

  /** Puts point j into the open group unless its bucket is taken there; flushes a full group. */
  private boolean offer(int j, int digit) {
    int bucket = Math.abs(digit) - 1;
    if (stamp[bucket] == epoch) {
      return false;
    }
    stamp[bucket] = epoch;
    int off = WORDS * j;
    boolean negative = digit < 0;
    bucketIndex[open] = WORDS * bucket;
    plusIndex[open] = off + (negative ? 10 : 0);
    minusIndex[open] = off + (negative ? 0 : 10);
    tIndex[open] = off + (negative ? 30 : 20);
    open++;
    if (open == LANES) {
      flush();
    }
    return true;
  }

  private void flush() {
    for (int k = open; k < LANES; k++) {
      bucketIndex[k] = WORDS * half;
      plusIndex[k] = 0;
      minusIndex[k] = 10;
      tIndex[k] = 20;
    }
    // Lane transposition with scalar loads and stores: on the development machine's AMD cores the
    // AVX-512 gather and scatter instructions made the group about an eighth slower.
    for (int lane = 0; lane < LANES; lane++) {
      int bucket = bucketIndex[lane];
      int plus = plusIndex[lane];
      int minus = minusIndex[lane];
      int dxy = tIndex[lane];
      for (int limb = 0; limb < 10; limb++) {
        int at = limb * LANES + lane;
        x[at] = bucketLimbs[bucket + limb];
        y[at] = bucketLimbs[bucket + 10 + limb];
        z[at] = bucketLimbs[bucket + 20 + limb];
        t[at] = bucketLimbs[bucket + 30 + limb];
        p1[at] = pointLimbs[plus + limb];
        p2[at] = pointLimbs[minus + limb];
        p3[at] = pointLimbs[dxy + limb];
      }
    }
    Fe8.add(a, y, x);
    Fe8.mul(b, a, p1); // B = (Y + X)(y + x)
    Fe8.sub(a, y, x);
    Fe8.mul(a, a, p2); // A = (Y - X)(y - x)
    Fe8.mul(c, t, p3); // C = T 2dxy
    Fe8.add(d, z, z); // D = 2Z
    Fe8.sub(x, b, a); // E
    Fe8.carry(x);
    Fe8.sub(y, d, c); // F
    Fe8.carry(y);
    Fe8.add(z, d, c); // G
    Fe8.carry(z);
    Fe8.add(t, b, a); // H
    Fe8.mul(a, x, y); // X3 = E F
    Fe8.mul(b, z, t); // Y3 = G H
    Fe8.mul(c, x, t); // T3 = E H
    Fe8.mul(d, y, z); // Z3 = F G
    for (int lane = 0; lane < LANES; lane++) {
      int bucket = bucketIndex[lane];
      for (int limb = 0; limb < 10; limb++) {
        int at = limb * LANES + lane;
        bucketLimbs[bucket + limb] = a[at];
        bucketLimbs[bucket + 10 + limb] = b[at];
        bucketLimbs[bucket + 20 + limb] = d[at];
        bucketLimbs[bucket + 30 + limb] = c[at];
      }
    }
    open = 0;
    epoch++;
  }
}
