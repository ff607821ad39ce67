package dev.agentledger.sig.curve25519;

/**
 * Multi-scalar multiplication sum [s_j] P_j over affine Niels points (variable time: public data
 * only), one instance per thread, scratch grown on demand and reused.
 *
 * <ul>
 *   <li>Straus (interleaved width-5 NAF, one shared doubling chain; Straus 1964, as in Bernstein et
 *       al. "High-speed high-security signatures" section 5 for small batches): about 80 M per
 *       point of precomputation plus one 8 M addition per non-zero digit.
 *   <li>Pippenger's bucket method with signed radix-2^c digits (Bernstein, Doumen, Lange,
 *       Oosterwijk, "Faster batch forgery identification", INDOCRYPT 2012, section 4): per window
 *       one 7 M mixed addition per point with a non-zero digit into one of 2^(c-1) buckets, then
 *       2^c full additions to sum the buckets; c is chosen from a cost model of the actual scalar
 *       lengths (batch verification mixes 128-bit and 253-bit scalars).
 * </ul>
 */
public final class MultiScalarMul {
  /**
   * At or below this many points Straus is used, above it Pippenger. Measured crossover (thread CPU
   * time, half 128-bit and half 253-bit scalars as in batch verification): Straus 11.3 vs Pippenger
   * 11.9 us per point at 129 points, 13.5 vs 10.0 at 193.
   */
  public static final int STRAUS_MAX_POINTS = 160;

  private final PointOps ops;
  private final LaneBuckets lanes;
  private ExtendedPoint[] buckets = new ExtendedPoint[0];
  private short[] digits = new short[0];
  private byte[][] nafs = new byte[0][];
  private CachedPoint[][] tables = new CachedPoint[0][];
  private int[] lengths = new int[0];
  private final ExtendedPoint running = new ExtendedPoint();
  private final ExtendedPoint windowSum = new ExtendedPoint();
  private final ExtendedPoint tmp = new ExtendedPoint();
  private final CachedPoint cached = new CachedPoint();
  private final long[] words = new long[5];

  private final boolean useLanes;

  /** With the eight-lane bucket phase where this CPU runs it natively ({@link Fe8#NATIVE}). */
  public MultiScalarMul(PointOps ops) {
    this(ops, Fe8.NATIVE);
  }

  /**
   * {@code lanes}: Pippenger's bucket phase eight mixed additions at a time ({@link LaneBuckets})
   * or one at a time with {@link PointOps#addNiels} (the same sums).
   */
  public MultiScalarMul(PointOps ops, boolean lanes) {
    this.ops = ops;
    this.useLanes = lanes;
    this.lanes = lanes ? new LaneBuckets() : null;
  }

  /** out = sum over j < count of [scalars[32j, 32j+32)] points[j]; scalars below 2^253. */
  public void multiply(ExtendedPoint out, NielsPoint[] points, byte[] scalars, int count) {
    if (count <= STRAUS_MAX_POINTS) {
      straus(out, points, scalars, count);
    } else {
      pippenger(out, points, scalars, count, windowBits(scalars, count));
    }
  }

  /** Bit length of each scalar into {@code lengths}; returns the maximum. */
  private int scanLengths(byte[] scalars, int count) {
    if (lengths.length < count) {
      lengths = new int[count];
    }
    int max = 0;
    for (int j = 0; j < count; j++) {
      int base = 32 * j;
      int len = 0;
      for (int b = 31; b >= 0; b--) {
        int v = scalars[base + b] & 0xFF;
        if (v != 0) {
          len = 8 * b + 32 - Integer.numberOfLeadingZeros(v);
          break;
        }
      }
      lengths[j] = len;
      max = Math.max(max, len);
    }
    return max;
  }

  /**
   * The window width minimising (mixed additions x 7 + bucket sums x 2^c x 9) in multiplications.
   */
  int windowBits(byte[] scalars, int count) {
    scanLengths(scalars, count);
    long best = Long.MAX_VALUE;
    int bestC = 4;
    for (int c = 4; c <= 13; c++) {
      long adds = 0;
      for (int j = 0; j < count; j++) {
        adds += (lengths[j] + c) / c;
      }
      int windows = (254 + c - 1) / c;
      long cost = adds * 7 + (long) windows * (1L << c) * 9 + (long) windows * c * 7;
      if (cost < best) {
        best = cost;
        bestC = c;
      }
    }
    return bestC;
  }

  /** Pippenger with window c (public for benchmarks and tests). */
  public void pippenger(ExtendedPoint out, NielsPoint[] points, byte[] scalars, int count, int c) {
    final int windows = (254 + c - 1) / c;
    final int half = 1 << (c - 1);
    if (digits.length < windows * count) {
      digits = new short[windows * count];
    }
    if (buckets.length < half) {
      ExtendedPoint[] grown = new ExtendedPoint[half];
      System.arraycopy(buckets, 0, grown, 0, buckets.length);
      for (int i = buckets.length; i < half; i++) {
        grown[i] = new ExtendedPoint();
      }
      buckets = grown;
    }
    recodeSigned(scalars, count, c, windows);
    if (useLanes) {
      lanes.load(points, count);
    }
    out.identity();
    for (int w = windows - 1; w >= 0; w--) {
      if (w != windows - 1) {
        for (int i = 0; i < c - 1; i++) {
          ops.dbl(out, out, false);
        }
        ops.dbl(out, out, true);
      }
      int highest;
      if (useLanes) {
        highest = lanes.accumulate(digits, w * count, count, half);
        for (int b = 0; b <= highest; b++) {
          lanes.bucket(b, buckets[b]);
        }
      } else {
        highest = accumulate(points, w * count, count, half);
      }
      if (highest < 0) {
        continue;
      }
      // windowSum = sum (b + 1) bucket[b] = sum over b of the running suffix sums
      running.set(buckets[highest]);
      windowSum.set(running);
      for (int b = highest - 1; b >= 0; b--) {
        ops.addExtended(running, running, buckets[b], true);
        ops.addExtended(windowSum, windowSum, running, true);
      }
      ops.addExtended(out, out, windowSum, true);
    }
  }

  /**
   * The scalar bucket phase: buckets 0..half-1 to the identity, then point j added into bucket |d|
   * - 1 (subtracted when d is negative) for every non-zero digit d = digits[base + j]. Returns the
   * highest bucket touched, or -1.
   */
  private int accumulate(NielsPoint[] points, int base, int count, int half) {
    for (int b = 0; b < half; b++) {
      buckets[b].identity();
    }
    int highest = -1;
    for (int j = 0; j < count; j++) {
      int digit = digits[base + j];
      if (digit > 0) {
        ops.addNiels(buckets[digit - 1], buckets[digit - 1], points[j], true);
        highest = Math.max(highest, digit - 1);
      } else if (digit < 0) {
        ops.subNiels(buckets[-digit - 1], buckets[-digit - 1], points[j], true);
        highest = Math.max(highest, -digit - 1);
      }
    }
    return highest;
  }

  /** Signed radix-2^c digits, window-major: digits[w * count + j] in [-2^(c-1), 2^(c-1)]. */
  private void recodeSigned(byte[] scalars, int count, int c, int windows) {
    final long mask = (1L << c) - 1;
    final int half = 1 << (c - 1);
    for (int j = 0; j < count; j++) {
      for (int i = 0; i < 4; i++) {
        words[i] = Fe.le64(scalars, 32 * j + 8 * i);
      }
      words[4] = 0;
      int carry = 0;
      for (int w = 0; w < windows; w++) {
        int pos = w * c;
        int index = pos >>> 6;
        int bit = pos & 63;
        long bits = words[index] >>> bit;
        if (bit + c > 64) {
          bits |= words[index + 1] << (64 - bit);
        }
        int v = (int) (bits & mask) + carry;
        if (v >= half && w != windows - 1) {
          v -= 1 << c;
          carry = 1;
        } else {
          carry = 0;
        }
        digits[w * count + j] = (short) v;
      }
    }
  }

  /** Straus: interleaved width-5 NAF with per-point tables of 8 odd multiples. */
  public void straus(ExtendedPoint out, NielsPoint[] points, byte[] scalars, int count) {
    if (nafs.length < count) {
      byte[][] grownNafs = new byte[count][];
      CachedPoint[][] grownTables = new CachedPoint[count][];
      System.arraycopy(nafs, 0, grownNafs, 0, nafs.length);
      System.arraycopy(tables, 0, grownTables, 0, tables.length);
      for (int j = nafs.length; j < count; j++) {
        grownNafs[j] = new byte[256];
        grownTables[j] = new CachedPoint[8];
        for (int i = 0; i < 8; i++) {
          grownTables[j][i] = new CachedPoint();
        }
      }
      nafs = grownNafs;
      tables = grownTables;
    }
    int top = -1;
    for (int j = 0; j < count; j++) {
      byte[] naf = nafs[j];
      ScalarRecoding.wnaf(scalars, 32 * j, 5, naf, words);
      int t = 255;
      while (t >= 0 && naf[t] == 0) {
        t--;
      }
      top = Math.max(top, t);
      CachedPoint[] table = tables[j];
      tmp.identity();
      ops.addNiels(tmp, tmp, points[j], true); // P
      ops.toCached(table[0], tmp);
      ops.dbl(running, tmp, true); // 2P
      ops.toCached(cached, running);
      for (int i = 1; i < 8; i++) {
        ops.add(tmp, tmp, cached, true);
        ops.toCached(table[i], tmp);
      }
    }
    out.identity();
    for (int i = top; i >= 0; i--) {
      ops.dbl(out, out, true);
      for (int j = 0; j < count; j++) {
        int d = nafs[j][i];
        if (d > 0) {
          ops.add(out, out, tables[j][d >> 1], true);
        } else if (d < 0) {
          ops.sub(out, out, tables[j][(-d) >> 1], true);
        }
      }
    }
  }
}
