package dev.agentledger.zk.msm;

import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Fp29x8;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The window sums of a G1 MSM with eight windows side by side in the eight {@link Fp29x8} lanes:
 * lane {@code l} of pass {@code p} is window {@code 8p + l}. A pass reads every point once and adds
 * it, in all eight lanes at once, into the bucket of its digit in each lane's window, so the point
 * is broadcast to the lanes and only the buckets are gathered and scattered. A bucket is stored
 * packed, two 29-bit limbs to a long (72 bytes, two cache lines), so a group's addition loads and
 * stores nine longs per lane ({@link Fp29x8#gatherPacked}, {@link Fp29x8#scatterPacked}); the
 * bucket table of an 11-bit window is 590 KB, beside the batch's arrays (about 520 KB at 128
 * groups), more than the core's 512 KB L2 (see the module README for what that costs). Additions
 * are batched affine: a batch holds up to {@code maxGroups} such groups, at most one addition per
 * bucket and lane, and shares one inversion (Montgomery's trick along the groups, one scalar
 * inversion for the eight lanes). An addition whose bucket is already in the batch waits in its
 * lane's queue; in a later batch it fills that lane of a point's group where the lane is idle (a
 * zero digit, an empty bucket, or a bucket already in that batch), and what is left when a queue
 * grows past {@code maxGroups} or the pass ends goes into groups of mixed points. A lane whose
 * window has small digits (the top one) spreads its points over several copies of each bucket, so
 * it still fills its lane. The bucket reduction (running sums) runs in the lanes too, in Jacobian
 * coordinates, for the eight windows at once. The bookkeeping of a point is vector code as well:
 * its eight digits become eight bucket numbers, one gather reads the buckets' states (empty, in the
 * batch, or free to add to), one masked scatter (plain stores without AVX-512) marks the free ones
 * as taken; only the empty and the taken lanes go through scalar code. Points enter lane form eight
 * at a time ({@link Fp29x8#fromMont8Shift}: a shift and a reduction, no product), and the signed
 * digits are computed without branches on their values. The large arrays (lane-form points, digits,
 * accumulators) are kept between calls ({@link Arena}).
 *
 * <p>Rare cases leave the lanes for the scalar curve code: an addition whose bucket holds the same
 * x (doubling or cancelling) and a reduction step that meets a doubling. All values are public (the
 * inversions are variable time).
 */
final class LaneWindows {
  private static final int LANES = Fp29x8.LANES;
  private static final int LIMBS = Fp29x8.LIMBS;
  private static final int GR = Fp29x8.GROUP;

  /** Longs per point in lane form: nine x limbs, then nine y limbs. */
  private static final int LW = 2 * LIMBS;

  /** Longs per bucket: its 18 limbs packed two to a long ({@link Fp29x8#pack}). */
  private static final int BW = Fp29x8.PACKED;

  private static final int SCALAR_BITS = 254;

  private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;

  private final CurveOps curve = Bn254Curves.g1();
  private final int nb;
  private final int nb1;
  private final int maxGroups;

  /**
   * Bucket {@code a} of lane {@code l} at {@code (l * nb1 + a) * BW}, packed, so that a gather or
   * scatter moves two limbs; bucket 0 takes dummies.
   */
  private final long[] buckets;

  /**
   * Per bucket: 0 while empty, {@link #batch} while one of its additions is in the batch, another
   * value (-1 or an old batch) while it holds a point.
   */
  private final int[] stamp;

  private int batch = 1;

  /**
   * A lane whose digits are at most {@code m} spreads them over {@code 2^laneShift} copies of its
   * buckets, point {@code i} taking copy {@code i & (2^laneShift - 1)}.
   */
  private final int[] laneShift = new int[LANES];

  private final int[] copyMask = new int[LANES];
  private final int[] laneBase = new int[LANES];
  private final int[] dummyIdx = new int[LANES];
  private final int[] laneBucket = new int[LANES];

  // the batch: group g at g * GR; lane l of group g at g * LANES + l
  private int groups;
  private final int[] idx;
  private final int[] sgn;
  private final int[] act;
  private final int[] lanePoint;
  private final long[] x1;
  private final long[] y1;
  private final long[] x2;
  private final long[] y2;
  private final long[] dx;

  /**
   * {@code y2 - y1} of the batch, lazy; apart from {@code y2}, whose stale lanes (unused lanes of
   * groups filled from the waiting queues) must stay canonical.
   */
  private final long[] dy;

  private final long[] pre;
  private final long[] inv = new long[2 * GR];
  private final long[] invJ = new long[2 * GR];
  private final long[] lam = new long[2 * GR];
  private final long[] x3 = new long[2 * GR];
  private final long[] t = new long[2 * GR];
  private final long[] ltmp = new long[80];

  /** Scratch of the bucket loads and stores ({@link Fp29x8#gatherPacked}). */
  private final long[] ptmp = new long[GR];

  // additions waiting for their bucket to leave the batch: per lane, point << 1 | sign and bucket
  private final int[][] waitEntry = new int[LANES][];
  private final int[][] waitBucket = new int[LANES][];
  private final int[] waitHead = new int[LANES];
  private final int[] waitCount = new int[LANES];

  // reduction: running sum and total (Jacobian, eight lanes), bucket, scratch
  private final long[] rx = new long[GR];
  private final long[] ry = new long[GR];
  private final long[] rz = new long[GR];
  private final long[] tx = new long[GR];
  private final long[] ty = new long[GR];
  private final long[] tz = new long[GR];
  private final long[] bx = new long[GR];
  private final long[] by = new long[GR];
  private final long[] e1 = new long[GR];
  private final long[] e2 = new long[GR];
  private final long[] e3 = new long[GR];
  private final long[] e4 = new long[GR];
  private final long[] e5 = new long[GR];
  private final long[] e6 = new long[GR];
  private final long[] e7 = new long[GR];
  private final int[] ridx = new int[LANES];
  private int runInf;
  private int totInf;
  private final long[] jp = new long[12];
  private final long[] jq = new long[12];
  private final long[] aff = new long[8];
  private final long[] mt = new long[4];
  private final long[] pt = new long[LW];

  LaneWindows(int bucketCount, int maxGroups) {
    this.nb = bucketCount;
    this.nb1 = bucketCount + 1;
    this.maxGroups = maxGroups;
    this.buckets = new long[LANES * nb1 * BW];
    this.stamp = new int[LANES * nb1];
    this.idx = new int[maxGroups * LANES];
    this.sgn = new int[maxGroups];
    this.act = new int[maxGroups];
    this.lanePoint = new int[maxGroups * LANES];
    this.x1 = new long[maxGroups * GR];
    this.y1 = new long[maxGroups * GR];
    this.x2 = new long[maxGroups * GR];
    this.y2 = new long[maxGroups * GR];
    this.dx = new long[maxGroups * GR];
    this.dy = new long[maxGroups * GR];
    this.pre = new long[maxGroups * GR];
    for (int l = 0; l < LANES; l++) {
      waitEntry[l] = new int[64];
      waitBucket[l] = new int[64];
      laneBase[l] = l * nb1;
      dummyIdx[l] = l * nb1 * BW;
    }
  }

  /** Passes (groups of eight windows) for window width {@code c}. */
  static int passes(int c) {
    return (SignedDigits.windows(SCALAR_BITS, c) + LANES - 1) / LANES;
  }

  /**
   * Window width for {@code n} points: minimises {@code passes * (n + REDUCE * 2^(c-1))}, a pass
   * costing one lane addition per point and about {@code REDUCE} of them per bucket in the
   * reduction. At most {@link #MAX_BITS}: wider windows (two passes at 16 bits) count fewer
   * additions, but their bucket table (19 MB at 16 bits) leaves the caches and every gather waits
   * on memory.
   */
  static int windowBits(int n) {
    int best = 8;
    double bestCost = Double.MAX_VALUE;
    for (int c = 8; c <= MAX_BITS; c++) {
      double cost = passes(c) * ((double) n + REDUCE * (1 << (c - 1)));
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    return best;
  }

  /** Widest window: 8 lanes x 4,096 buckets x 72 bytes, 2.4 MB of buckets. */
  private static final int MAX_BITS = 13;

  /** Cost of one reduction step (two Jacobian additions) in lane additions of a point. */
  private static final double REDUCE = 4.0;

  private static int groupsFor(int c) {
    return Math.max(32, Math.min(512, (1 << (c - 1)) / 8));
  }

  /**
   * The window sums {@code S_w = sum_i d_w(k_i) P_i} of the G1 MSM, window width {@code c}, as
   * Jacobian points (12 longs each, {@link Bn254Curves#g1()} form) at {@code 12 w}.
   */
  static long[] windowSums(long[] points, long[] scalars, int n, int c, int threads) {
    return windowSums(points, scalars, n, c, threads, groupsFor(c));
  }

  /** {@link #windowSums(long[], long[], int, int, int)} with batches of {@code groups} groups. */
  static long[] windowSums(long[] points, long[] scalars, int n, int c, int threads, int groups) {
    Arena arena = Arena.take();
    try {
      return windowSums(points, scalars, n, c, threads, groups, arena);
    } finally {
      Arena.give(arena);
    }
  }

  static long[] windowSums(
      long[] points, long[] scalars, int n, int c, int threads, int groups, Arena arena) {
    int windows = SignedDigits.windows(SCALAR_BITS, c);
    int passes = (windows + LANES - 1) / LANES;
    long[] lanePoints = arena.lanePoints(n * LW);
    int[] digits = arena.digits(passes * LANES * n);
    int t = Math.max(1, threads);
    int ranges = t;
    int[][] maxD = new int[ranges][passes * LANES];
    int chunks = t == 1 ? 1 : Math.max(1, Math.min(n / 1024 + 1, (2 * t + passes - 1) / passes));
    long[] partial = new long[passes * chunks * LANES * 12];
    if (t == 1) {
      prepare(points, scalars, n, c, windows, 0, n, lanePoints, digits, maxD[0]);
      LaneWindows acc = arena.accumulator(c, groups);
      for (int p = 0; p < passes; p++) {
        acc.pass(
            lanePoints, points, digits, p * LANES * n, 0, n, maxD[0], p, partial, p * LANES * 12);
      }
      arena.keep(acc);
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
        int per = (n + ranges - 1) / ranges;
        for (int k = 0; k < ranges; k++) {
          int from = Math.min(n, k * per);
          int to = Math.min(n, from + per);
          int[] md = maxD[k];
          fs.add(
              pool.submit(
                  () -> prepare(points, scalars, n, c, windows, from, to, lanePoints, digits, md)));
        }
        await(fs);
        fs.clear();
        for (int k = 1; k < ranges; k++) {
          for (int w = 0; w < passes * LANES; w++) {
            maxD[0][w] = Math.max(maxD[0][w], maxD[k][w]);
          }
        }
        int perChunk = (n + chunks - 1) / chunks;
        for (int p = 0; p < passes; p++) {
          for (int ch = 0; ch < chunks; ch++) {
            int p0 = p;
            int from = Math.min(n, ch * perChunk);
            int to = Math.min(n, from + perChunk);
            int slot = (p * chunks + ch) * LANES * 12;
            fs.add(
                pool.submit(
                    () -> {
                      LaneWindows acc = arena.accumulator(c, groups);
                      acc.pass(
                          lanePoints,
                          points,
                          digits,
                          p0 * LANES * n,
                          from,
                          to,
                          maxD[0],
                          p0,
                          partial,
                          slot);
                      arena.keep(acc);
                    }));
          }
        }
        await(fs);
      } finally {
        pool.shutdownNow();
      }
    }
    CurveOps g = Bn254Curves.g1();
    long[] sums = new long[windows * 12];
    for (int w = 0; w < windows; w++) {
      int p = w / LANES;
      int l = w % LANES;
      g.setInfinity(sums, w * 12);
      for (int ch = 0; ch < chunks; ch++) {
        g.add(sums, w * 12, sums, w * 12, partial, ((p * chunks + ch) * LANES + l) * 12);
      }
    }
    return sums;
  }

  /**
   * The large arrays of a lane MSM, kept between calls so that a run allocates nothing in
   * proportion to its size once one as large has run: the lane-form points, the digits and the
   * accumulators with their buckets (one per worker). At most {@link #KEPT} arenas are kept, softly
   * reachable, so the collector may take them back under memory pressure.
   */
  static final class Arena {
    private static final int KEPT = 2;
    private static final ArrayDeque<SoftReference<Arena>> POOL = new ArrayDeque<>();

    private long[] lanePoints = new long[0];
    private int[] digits = new int[0];
    private final ConcurrentLinkedQueue<LaneWindows> accs = new ConcurrentLinkedQueue<>();

    /** A kept arena, or a new one. */
    static Arena take() {
      synchronized (POOL) {
        while (!POOL.isEmpty()) {
          Arena a = POOL.pop().get();
          if (a != null) {
            return a;
          }
        }
      }
      return new Arena();
    }

    /** Keeps {@code a} for a later call, unless {@link #KEPT} arenas are kept already. */
    static void give(Arena a) {
      synchronized (POOL) {
        if (POOL.size() < KEPT) {
          POOL.push(new SoftReference<>(a));
        }
      }
    }

    /** At least {@code len} longs for the lane-form points (old contents left in place). */
    long[] lanePoints(int len) {
      if (lanePoints.length < len) {
        lanePoints = new long[len];
      }
      return lanePoints;
    }

    /** At least {@code len} ints for the digits (old contents left in place). */
    int[] digits(int len) {
      if (digits.length < len) {
        digits = new int[len];
      }
      return digits;
    }

    /** A kept accumulator for window width {@code c} (others are dropped), or a new one. */
    LaneWindows accumulator(int c, int groups) {
      LaneWindows acc;
      while ((acc = accs.poll()) != null) {
        if (acc.nb == 1 << (c - 1) && acc.maxGroups == groups) {
          return acc;
        }
      }
      return new LaneWindows(1 << (c - 1), groups);
    }

    /** Returns an accumulator taken by {@link #accumulator}. */
    void keep(LaneWindows acc) {
      accs.add(acc);
    }
  }

  /**
   * Converts points {@code [from, to)} to lane form and writes their signed digits, window {@code
   * 8p + l} of point {@code i} at {@code digits[8 (p n + i) + l]} (zeros for the point at infinity
   * and for the lanes past the last window), and the largest digit magnitude of each window into
   * {@code maxD}.
   */
  private static void prepare(
      long[] points,
      long[] scalars,
      int n,
      int c,
      int windows,
      int from,
      int to,
      long[] lanePoints,
      int[] digits,
      int[] maxD) {
    long[] tmp = new long[GR];
    int[] srcMap = Fp29x8.strideMap(8);
    int[] dstMap = Fp29x8.strideMap(LW);
    int i = from;
    for (; i + LANES <= to; i += LANES) {
      Fp29x8.fromMont8Shift(points, 8 * i, srcMap, lanePoints, LW * i, dstMap, tmp);
      Fp29x8.fromMont8Shift(points, 8 * i + 4, srcMap, lanePoints, LW * i + LIMBS, dstMap, tmp);
    }
    for (; i < to; i++) {
      Fp29x8.fromMont(points, 8 * i, lanePoints, LW * i, 1, tmp);
      Fp29x8.fromMont(points, 8 * i + 4, lanePoints, LW * i + LIMBS, 1, tmp);
    }
    int slots = (windows + LANES - 1) / LANES * LANES;
    i = from;
    if (Fp29x8.VECTOR_SCATTER) {
      int[] keep = new int[LANES];
      int[] laneMax = new int[slots * LANES];
      for (; i + LANES <= to; i += LANES) {
        digits8(points, scalars, n, c, windows, slots, i, digits, keep, laneMax);
      }
      for (int w = 0; w < slots; w++) {
        for (int l = 0; l < LANES; l++) {
          maxD[w] = Math.max(maxD[w], laneMax[w * LANES + l]);
        }
      }
    }
    for (; i < to; i++) {
      digits(points, scalars, n, c, windows, slots, i, digits, maxD);
    }
  }

  private static final VectorSpecies<Long> L8 = LongVector.SPECIES_512;

  /** Offsets of the eight points' scalars (four longs each). */
  private static final int[] SCALAR_MAP = Fp29x8.strideMap(4);

  /** Offsets of the eight points' digits within a pass (eight ints each). */
  private static final int[] DIGIT_MAP = Fp29x8.strideMap(LANES);

  /**
   * {@link #digits} for the eight points {@code i .. i + 7} at once, one vector lane per point (the
   * carry runs along the windows in every lane): gathers of the scalars' limbs, scatters of the
   * digits; the largest digit magnitude of window {@code w} in lane {@code l} goes to {@code
   * laneMax[8 w + l]}. Needs 512-bit vectors ({@link Fp29x8#VECTOR_SCATTER}); {@code keep} is
   * scratch of eight ints.
   */
  private static void digits8(
      long[] points,
      long[] scalars,
      int n,
      int c,
      int windows,
      int slots,
      int i,
      int[] digits,
      int[] keep,
      int[] laneMax) {
    for (int l = 0; l < LANES; l++) {
      keep[l] = isInfinity(points, i + l) ? 0 : -1;
    }
    IntVector keepV = IntVector.fromArray(I8, keep, 0);
    IntVector halfV = IntVector.broadcast(I8, 1 << (c - 1));
    IntVector zero = IntVector.zero(I8);
    long mask = (1L << c) - 1;
    int so = 4 * i;
    IntVector carry = zero;
    for (int w = 0; w < slots; w++) {
      IntVector d = zero;
      if (w < windows) {
        int bit = w * c;
        int limb = bit >>> 6;
        int shift = bit & 63;
        if (limb < 4) {
          LongVector v =
              LongVector.fromArray(L8, scalars, so + limb, SCALAR_MAP, 0)
                  .lanewise(VectorOperators.LSHR, shift);
          if (shift + c > 64 && limb < 3) {
            v =
                v.or(
                    LongVector.fromArray(L8, scalars, so + limb + 1, SCALAR_MAP, 0)
                        .lanewise(VectorOperators.LSHL, 64 - shift));
          }
          d = (IntVector) v.and(mask).convertShape(VectorOperators.L2I, I8, 0);
        }
        d = d.add(carry);
        carry = halfV.sub(d).lanewise(VectorOperators.LSHR, 31);
        d = d.sub(carry.lanewise(VectorOperators.LSHL, c)).and(keepV);
      }
      d.intoArray(digits, 8 * ((w >>> 3) * n + i) + (w & 7), DIGIT_MAP, 0);
      IntVector.fromArray(I8, laneMax, w * LANES)
          .max(d.lanewise(VectorOperators.ABS))
          .intoArray(laneMax, w * LANES);
    }
  }

  /**
   * Whether affine point {@code i} (eight limbs, all zero for infinity) is the point at infinity.
   */
  private static boolean isInfinity(long[] points, int i) {
    int po = 8 * i;
    long or = 0;
    for (int k = 0; k < 8; k++) {
      or |= points[po + k];
    }
    return or == 0;
  }

  /**
   * The signed digits of point {@code i}, window {@code w} at {@code digits[8 ((w / 8) n + i) + w %
   * 8]}, without branches on their values: a digit above half borrows {@code 2^c} from the next
   * window; zeros for the point at infinity and past the last window.
   */
  private static void digits(
      long[] points,
      long[] scalars,
      int n,
      int c,
      int windows,
      int slots,
      int i,
      int[] digits,
      int[] maxD) {
    int half = 1 << (c - 1);
    long mask = (1L << c) - 1;
    int carry = 0;
    int keep = isInfinity(points, i) ? 0 : -1;
    for (int w = 0; w < slots; w++) {
      int d = 0;
      if (w < windows) {
        int bit = w * c;
        int limb = bit >>> 6;
        int shift = bit & 63;
        long v = 0;
        if (limb < 4) {
          v = scalars[4 * i + limb] >>> shift;
          if (shift + c > 64 && limb < 3) {
            v |= scalars[4 * i + limb + 1] << (64 - shift);
          }
        }
        d = (int) (v & mask) + carry;
        carry = (half - d) >>> 31;
        d = (d - (carry << c)) & keep;
      }
      digits[8 * ((w >>> 3) * n + i) + (w & 7)] = d;
      int sg = d >> 31;
      maxD[w] = Math.max(maxD[w], (d ^ sg) - sg);
    }
  }

  /**
   * Pass {@code p} over points {@code [from, to)}, point {@code i}'s eight digits at {@code
   * digits[d0 + 8 i]}: the sums of windows {@code 8p .. 8p + 7} into {@code out} at {@code oo + 12
   * l} (Jacobian, infinity for a window with no digit).
   */
  void pass(
      long[] lanePoints,
      long[] points,
      int[] digits,
      int d0,
      int from,
      int to,
      int[] maxD,
      int p,
      long[] out,
      int oo) {
    for (int l = 0; l < LANES; l++) {
      int m = maxD[p * LANES + l];
      int copies = m == 0 ? 1 : Integer.highestOneBit(Math.max(1, nb / m));
      laneShift[l] = Integer.numberOfTrailingZeros(copies);
      copyMask[l] = copies - 1;
      waitHead[l] = 0;
      waitCount[l] = 0;
    }
    Arrays.fill(stamp, 0);
    groups = 0;
    for (int i = from; i < to; i++) {
      int g = groups;
      int found = lookup(digits, d0 + 8 * i, i);
      int any = found & 0xff;
      int rare = found >>> 8;
      while (rare != 0) {
        int l = Integer.numberOfTrailingZeros(rare);
        rare &= rare - 1;
        int sl = laneBucket[l];
        boolean neg = digits[d0 + 8 * i + l] < 0;
        if (stamp[sl] == 0) {
          setBucket(lanePoints, i, neg, sl);
        } else {
          waitAdd(l, (i << 1) | (neg ? 1 : 0), sl - laneBase[l]);
        }
      }
      if (any != 0) {
        Fp29x8.broadcast(x2, g * GR, lanePoints, i * LW);
        Fp29x8.broadcast(y2, g * GR, lanePoints, i * LW + LIMBS);
        if (any != 0xff) {
          fillIdle(lanePoints, g, ~any & 0xff);
        }
        groups++;
        if (groups == maxGroups) {
          flush(lanePoints, points);
          if (backlog() > maxGroups) {
            drainWaiting(lanePoints, points);
          }
        }
      }
    }
    while (groups > 0 || waiting()) {
      flush(lanePoints, points);
      drainWaiting(lanePoints, points);
    }
    reduce(out, oo);
  }

  /**
   * Looks up the eight buckets of point {@code i} (its digits at {@code digits[db..]}) at once: the
   * lanes whose bucket holds a point and is not in the batch yet join group {@link #groups} (bucket
   * marked, index, sign and point written); returns them in bits 0-7, and in bits 8-15 the lanes
   * whose bucket is empty or already in the batch, their bucket numbers left in {@link
   * #laneBucket}.
   */
  private int lookup(int[] digits, int db, int i) {
    IntVector d = IntVector.fromArray(I8, digits, db);
    VectorMask<Integer> nz = d.compare(VectorOperators.NE, 0);
    IntVector a =
        d.lanewise(VectorOperators.ABS)
            .sub(1)
            .lanewise(VectorOperators.LSHL, IntVector.fromArray(I8, laneShift, 0))
            .add(IntVector.fromArray(I8, copyMask, 0).and(i))
            .add(1);
    IntVector s = IntVector.fromArray(I8, laneBase, 0).add(a, nz);
    s.intoArray(laneBucket, 0);
    IntVector st = IntVector.fromArray(I8, stamp, 0, laneBucket, 0);
    VectorMask<Integer> other =
        st.compare(VectorOperators.EQ, 0).or(st.compare(VectorOperators.EQ, batch));
    VectorMask<Integer> go = nz.andNot(other);
    int any = (int) go.toLong();
    if (any != 0) {
      int g = groups;
      int gl = g * LANES;
      if (Fp29x8.VECTOR_SCATTER) {
        IntVector.broadcast(I8, batch).intoArray(stamp, 0, laneBucket, 0, go);
      } else {
        // no scatter instruction (AVX2): the Vector API's fallback would allocate
        for (int m = any; m != 0; m &= m - 1) {
          stamp[laneBucket[Integer.numberOfTrailingZeros(m)]] = batch;
        }
      }
      IntVector.fromArray(I8, dummyIdx, 0).blend(s.mul(BW), go).intoArray(idx, gl);
      IntVector.broadcast(I8, i).intoArray(lanePoint, gl);
      sgn[g] = (int) d.compare(VectorOperators.LT, 0).and(go).toLong();
      act[g] = any;
    }
    return any | (int) nz.and(other).toLong() << 8;
  }

  /** How far past a blocked head {@link #fillIdle} looks. */
  private static final int LOOK = 8;

  private void swapWaiting(int l, int a, int b) {
    int e = waitEntry[l][a];
    waitEntry[l][a] = waitEntry[l][b];
    waitEntry[l][b] = e;
    int k = waitBucket[l][a];
    waitBucket[l][a] = waitBucket[l][b];
    waitBucket[l][b] = k;
  }

  /** The longest waiting queue. */
  private int backlog() {
    int most = 0;
    for (int l = 0; l < LANES; l++) {
      most = Math.max(most, waitCount[l] - waitHead[l]);
    }
    return most;
  }

  private boolean waiting() {
    for (int l = 0; l < LANES; l++) {
      if (waitHead[l] < waitCount[l]) {
        return true;
      }
    }
    return false;
  }

  private void waitAdd(int l, int entry, int a) {
    int c = waitCount[l];
    if (c == waitEntry[l].length) {
      // drop the drained head before growing
      int h = waitHead[l];
      if (h > 0) {
        System.arraycopy(waitEntry[l], h, waitEntry[l], 0, c - h);
        System.arraycopy(waitBucket[l], h, waitBucket[l], 0, c - h);
        c -= h;
        waitHead[l] = 0;
      }
      if (c == waitEntry[l].length) {
        waitEntry[l] = Arrays.copyOf(waitEntry[l], 2 * c);
        waitBucket[l] = Arrays.copyOf(waitBucket[l], 2 * c);
      }
    }
    waitEntry[l][c] = entry;
    waitBucket[l][c] = a;
    waitCount[l] = c + 1;
  }

  /**
   * Gives each idle lane of group {@code g} (bits of {@code idle}: a zero digit, an empty bucket,
   * or a bucket already in the batch) a waiting addition whose bucket is not in the batch: the head
   * of its queue, or one of the next {@link #LOOK} entries swapped to the head (the order of a
   * bucket's additions does not matter). A head whose bucket is empty takes the point and leaves
   * the queue. The additions left for the groups of mixed points ({@link #drainWaiting}) each cost
   * a group with idle lanes: in the 2^16 single-thread MSM this cut the groups from 216,429 to
   * 196,274 (97% of the lanes busy against 88%) and the batches from 1,698 to 1,541.
   */
  private void fillIdle(long[] lanePoints, int g, int idle) {
    int gl = g * LANES;
    int add = 0;
    int neg = 0;
    for (int m = idle; m != 0; m &= m - 1) {
      int l = Integer.numberOfTrailingZeros(m);
      int h = waitHead[l];
      int c = waitCount[l];
      while (h < c) {
        int s = laneBase[l] + waitBucket[l][h];
        int st = stamp[s];
        if (st == batch) {
          // a blocked head: take a later entry whose bucket is not in the batch, if one is near
          int j = h + 1;
          int end = Math.min(c, h + LOOK);
          while (j < end && stamp[laneBase[l] + waitBucket[l][j]] == batch) {
            j++;
          }
          if (j == end) {
            break;
          }
          swapWaiting(l, h, j);
          continue;
        }
        int entry = waitEntry[l][h];
        int i = entry >>> 1;
        h++;
        if (st == 0) {
          setBucket(lanePoints, i, (entry & 1) != 0, s);
          continue;
        }
        stamp[s] = batch;
        idx[gl + l] = s * BW;
        lanePoint[gl + l] = i;
        neg |= (entry & 1) << l;
        add |= 1 << l;
        int po = i * LW;
        for (int k = 0; k < LIMBS; k++) {
          x2[g * GR + 8 * k + l] = lanePoints[po + k];
          y2[g * GR + 8 * k + l] = lanePoints[po + LIMBS + k];
        }
        break;
      }
      waitHead[l] = h;
    }
    act[g] |= add;
    sgn[g] |= neg;
  }

  /**
   * Puts waiting additions into groups of mixed points (lane {@code l} takes the head of its queue
   * unless that bucket is already in the batch), until every queue is empty or blocked.
   */
  private void drainWaiting(long[] lanePoints, long[] points) {
    while (true) {
      int g = groups;
      int gl = g * LANES;
      int any = 0;
      boolean progress = false;
      int neg = 0;
      for (int l = 0; l < LANES; l++) {
        idx[gl + l] = l * nb1 * BW;
        int h = waitHead[l];
        if (h == waitCount[l]) {
          continue;
        }
        int entry = waitEntry[l][h];
        int i = entry >>> 1;
        int sign = entry & 1;
        int s = l * nb1 + waitBucket[l][h];
        if (stamp[s] == 0) {
          setBucket(lanePoints, i, sign != 0, s);
          waitHead[l] = h + 1;
          progress = true;
          continue;
        }
        if (stamp[s] == batch) {
          continue;
        }
        stamp[s] = batch;
        waitHead[l] = h + 1;
        idx[gl + l] = s * BW;
        neg |= sign << l;
        lanePoint[gl + l] = i;
        any |= 1 << l;
        int po = i * LW;
        for (int k = 0; k < LIMBS; k++) {
          x2[g * GR + 8 * k + l] = lanePoints[po + k];
          y2[g * GR + 8 * k + l] = lanePoints[po + LIMBS + k];
        }
      }
      if (any != 0) {
        act[g] = any;
        sgn[g] = neg;
        groups++;
        if (groups == maxGroups) {
          flush(lanePoints, points);
        }
      } else if (!progress) {
        return;
      }
    }
  }

  private void setBucket(long[] lanePoints, int i, boolean neg, int s) {
    if (neg) {
      System.arraycopy(lanePoints, i * LW, pt, 0, LIMBS);
      Fp29x8.neg(lanePoints, i * LW + LIMBS, 1, pt, LIMBS);
      Fp29x8.pack(pt, 0, buckets, s * BW);
    } else {
      Fp29x8.pack(lanePoints, i * LW, buckets, s * BW);
    }
    stamp[s] = -1;
  }

  /** Completes the batch: one shared inversion, then every group's affine addition. */
  private void flush(long[] lanePoints, long[] points) {
    int k = groups;
    if (k == 0) {
      return;
    }
    for (int g = 0; g < k; g++) {
      int o = g * GR;
      int gl = g * LANES;
      Fp29x8.gatherPacked(x1, o, y1, o, buckets, idx, gl, ptmp);
      // lazy differences (limbs below 2^31, no carries; see Fp29x8.subLazy): each meets a product
      // beside an operand with limbs below 2^29. dx of groups 0 and 1 starts the prefix chains,
      // whose products take it beside another dx: those two stay canonical.
      Fp29x8.negSubLazy(dy, o, y2, o, y1, o, sgn[g]);
      if (g < 2) {
        Fp29x8.sub(dx, o, x2, o, x1, o);
      } else {
        Fp29x8.subLazy(dx, o, x2, o, x1, o);
      }
      int same = Fp29x8.equalLanes(x2, o, x1, o) & act[g];
      if (same != 0) {
        // same x as the bucket: doubling or cancelling, done by the scalar code after the batch
        for (int l = 0; l < LANES; l++) {
          if ((same & (1 << l)) != 0) {
            int s = idx[gl + l] / BW;
            addRare(lanePoints, points, lanePoint[gl + l], (sgn[g] & (1 << l)) != 0, s);
            idx[gl + l] = l * nb1 * BW;
          }
        }
        act[g] &= ~same;
      }
      Fp29x8.setOneWhere(dx, o, ~act[g]);
    }
    // two prefix chains, even and odd groups, so their products interleave (mul2); the prefixes,
    // the inverses and lambda are lazy (below 2p, limbs below 2^29: Fp29x8.mulLazy), the products
    // stored to the buckets and the one inverted canonical
    System.arraycopy(dx, 0, pre, 0, Math.min(k, 2) * GR);
    for (int g = 2; g + 1 < k; g += 2) {
      int o = g * GR;
      Fp29x8.mul2Lazy(pre, o, pre, o - 2 * GR, dx, o, pre, o + GR, pre, o - GR, dx, o + GR);
    }
    if (k > 2 && k % 2 == 1) {
      int o = (k - 1) * GR;
      Fp29x8.mulLazy(pre, o, pre, o - 2 * GR, dx, o);
    }
    // inverses of the two chains' products from one inversion of their product
    int lastA = (k - 1) & ~1;
    if (k == 1) {
      Fp29x8.invLanes(inv, 0, pre, 0, ltmp);
    } else {
      int lastB = k % 2 == 0 ? k - 1 : k - 2;
      Fp29x8.mul(t, 0, pre, lastA * GR, pre, lastB * GR);
      Fp29x8.invLanes(t, GR, t, 0, ltmp);
      Fp29x8.mul2Lazy(inv, 0, t, GR, pre, lastB * GR, inv, GR, t, GR, pre, lastA * GR);
    }
    // chain A walks the even groups down from lastA, chain B the odd ones from lastA + 1
    for (int ga = lastA; ga >= 0; ga -= 2) {
      int gb = ga + 1;
      if (gb < k) {
        int oa = ga * GR;
        int ob = gb * GR;
        if (ga > 0) {
          Fp29x8.mul2Lazy(invJ, 0, inv, 0, pre, oa - 2 * GR, invJ, GR, inv, GR, pre, ob - 2 * GR);
          Fp29x8.mul2Lazy(inv, 0, inv, 0, dx, oa, inv, GR, inv, GR, dx, ob);
          Fp29x8.mul2Lazy(lam, 0, dy, oa, invJ, 0, lam, GR, dy, ob, invJ, GR);
        } else {
          Fp29x8.mul2Lazy(lam, 0, dy, oa, inv, 0, lam, GR, dy, ob, inv, GR);
        }
        Fp29x8.mul2(x3, 0, lam, 0, lam, 0, x3, GR, lam, GR, lam, GR);
        Fp29x8.sub(x3, 0, x3, 0, x1, oa);
        Fp29x8.sub(x3, 0, x3, 0, x2, oa);
        Fp29x8.sub(x3, GR, x3, GR, x1, ob);
        Fp29x8.sub(x3, GR, x3, GR, x2, ob);
        Fp29x8.subLazy(t, 0, x1, oa, x3, 0);
        Fp29x8.subLazy(t, GR, x1, ob, x3, GR);
        Fp29x8.mul2(t, 0, t, 0, lam, 0, t, GR, t, GR, lam, GR);
        Fp29x8.sub(t, 0, t, 0, y1, oa);
        Fp29x8.sub(t, GR, t, GR, y1, ob);
        Fp29x8.scatterPacked(x3, 0, t, 0, buckets, idx, ga * LANES, ptmp);
        Fp29x8.scatterPacked(x3, GR, t, GR, buckets, idx, gb * LANES, ptmp);
      } else {
        int o = ga * GR;
        long[] invG;
        if (ga > 0) {
          Fp29x8.mul2Lazy(invJ, 0, inv, 0, pre, o - 2 * GR, inv, 0, inv, 0, dx, o);
          invG = invJ;
        } else {
          invG = inv;
        }
        Fp29x8.mulLazy(lam, 0, dy, o, invG, 0);
        Fp29x8.mul(x3, 0, lam, 0, lam, 0);
        Fp29x8.sub(x3, 0, x3, 0, x1, o);
        Fp29x8.sub(x3, 0, x3, 0, x2, o);
        Fp29x8.subLazy(t, 0, x1, o, x3, 0);
        Fp29x8.mul(t, 0, t, 0, lam, 0);
        Fp29x8.sub(t, 0, t, 0, y1, o);
        Fp29x8.scatterPacked(x3, 0, t, 0, buckets, idx, ga * LANES, ptmp);
      }
    }
    groups = 0;
    if (++batch == Integer.MAX_VALUE) {
      for (int s = 0; s < stamp.length; s++) {
        if (stamp[s] != 0) {
          stamp[s] = -1;
        }
      }
      batch = 1;
    }
  }

  /**
   * {@code bucket s += (-1)^neg P_i} by the scalar curve code (the bucket holds the same x as the
   * point); the bucket may become empty.
   */
  private void addRare(long[] lanePoints, long[] points, int i, boolean neg, int s) {
    int bo = s * BW;
    Fp29x8.unpack(buckets, bo, pt, 0);
    Fp29x8.toMont(pt, 0, 1, aff, 0, mt);
    Fp29x8.toMont(pt, LIMBS, 1, aff, 4, mt);
    curve.fromAffine(jp, 0, aff, 0);
    System.arraycopy(points, 8 * i, aff, 0, 8);
    if (neg) {
      curve.field().neg(aff, 4, aff, 4);
    }
    curve.fromAffine(jq, 0, aff, 0);
    curve.add(jp, 0, jp, 0, jq, 0);
    if (curve.isInfinity(jp, 0)) {
      stamp[s] = 0;
      return;
    }
    curve.toAffine(aff, 0, jp, 0);
    Fp29x8.fromMont(aff, 0, pt, 0, 1, mt);
    Fp29x8.fromMont(aff, 4, pt, LIMBS, 1, mt);
    Fp29x8.pack(pt, 0, buckets, bo);
  }

  /**
   * {@code out[oo + 12 l] = sum_a weight(a) B_l[a]} for the eight lanes by running sums from the
   * top bucket down: {@code run += B[a]}, then {@code total += run} where bucket {@code a} is the
   * first copy of its digit (every bucket when the lane has one copy).
   */
  private void reduce(long[] out, int oo) {
    runInf = 0xff;
    totInf = 0xff;
    for (int a = nb; a >= 1; a--) {
      int have = 0;
      int event = 0;
      for (int l = 0; l < LANES; l++) {
        int s = l * nb1 + a;
        ridx[l] = s * BW;
        if (stamp[s] != 0) {
          have |= 1 << l;
        }
        if (((a - 1) & copyMask[l]) == 0) {
          event |= 1 << l;
        }
      }
      if (have != 0) {
        Fp29x8.gatherPacked(bx, 0, by, 0, buckets, ridx, 0, ptmp);
        // lanes whose run is still infinity take the bucket as it is
        int first = have & runInf;
        if (first != 0) {
          Fp29x8.select(rx, 0, bx, 0, rx, 0, first);
          Fp29x8.select(ry, 0, by, 0, ry, 0, first);
          Fp29x8.setOneWhere(rz, 0, first);
          runInf &= ~first;
        }
        int add = have & ~first;
        if (add != 0) {
          addMixed(add);
        }
      }
      int acc = event & ~runInf;
      if (acc != 0) {
        int first = acc & totInf;
        if (first != 0) {
          Fp29x8.select(tx, 0, rx, 0, tx, 0, first);
          Fp29x8.select(ty, 0, ry, 0, ty, 0, first);
          Fp29x8.select(tz, 0, rz, 0, tz, 0, first);
          totInf &= ~first;
        }
        int add = acc & ~first;
        if (add != 0) {
          addFull(add);
        }
      }
    }
    for (int l = 0; l < LANES; l++) {
      int o = oo + 12 * l;
      if ((totInf & (1 << l)) != 0) {
        curve.setInfinity(out, o);
      } else {
        Fp29x8.toMont(tx, l, LANES, out, o, mt);
        Fp29x8.toMont(ty, l, LANES, out, o + 4, mt);
        Fp29x8.toMont(tz, l, LANES, out, o + 8, mt);
        if (curve.isInfinity(out, o)) {
          curve.setInfinity(out, o);
        }
      }
    }
  }

  /**
   * {@code run += (bx, by)} in the lanes of {@code lanes} (both finite): madd with {@code Z2 = 1},
   * 11 products, 10 of them in independent pairs ({@link Fp29x8#mul2}); a lane with the same x
   * leaves for the scalar code.
   */
  private void addMixed(int lanes) {
    Fp29x8.mul(e1, 0, rz, 0, rz, 0); // z1z1
    Fp29x8.mul2(e2, 0, bx, 0, e1, 0, e1, 0, e1, 0, rz, 0); // u2, z1^3
    Fp29x8.sub(e2, 0, e2, 0, rx, 0); // h
    Fp29x8.mul2(e1, 0, by, 0, e1, 0, e3, 0, e2, 0, e2, 0); // s2, hh
    Fp29x8.sub(e1, 0, e1, 0, ry, 0); // r
    int same = Fp29x8.zeroLanes(e2, 0) & lanes;
    Fp29x8.mul2(e4, 0, e3, 0, e2, 0, e3, 0, rx, 0, e3, 0); // hhh, v
    Fp29x8.mul2(e5, 0, e1, 0, e1, 0, e6, 0, rz, 0, e2, 0); // r^2, z3
    Fp29x8.sub(e5, 0, e5, 0, e4, 0);
    Fp29x8.sub(e5, 0, e5, 0, e3, 0);
    Fp29x8.sub(e5, 0, e5, 0, e3, 0); // x3
    Fp29x8.sub(e3, 0, e3, 0, e5, 0); // v - x3
    Fp29x8.mul2(e3, 0, e3, 0, e1, 0, e4, 0, e4, 0, ry, 0); // r (v - x3), y1 hhh
    Fp29x8.sub(e3, 0, e3, 0, e4, 0); // y3
    int ok = lanes & ~same;
    Fp29x8.select(rx, 0, e5, 0, rx, 0, ok);
    Fp29x8.select(ry, 0, e3, 0, ry, 0, ok);
    Fp29x8.select(rz, 0, e6, 0, rz, 0, ok);
    for (int l = 0; l < LANES; l++) {
      if ((same & (1 << l)) != 0) {
        laneToJac(rx, ry, rz, l, jp);
        Fp29x8.toMont(bx, l, LANES, aff, 0, mt);
        Fp29x8.toMont(by, l, LANES, aff, 4, mt);
        curve.fromAffine(jq, 0, aff, 0);
        curve.add(jp, 0, jp, 0, jq, 0);
        if (curve.isInfinity(jp, 0)) {
          runInf |= 1 << l;
        } else {
          jacToLane(jp, rx, ry, rz, l);
        }
      }
    }
  }

  /**
   * {@code total += run} in the lanes of {@code lanes} (both finite): add-1998-cmo-2, 16 products
   * in independent pairs ({@link Fp29x8#mul2}); a lane meeting a doubling or a cancellation leaves
   * for the scalar code.
   */
  private void addFull(int lanes) {
    Fp29x8.mul2(e1, 0, tz, 0, tz, 0, e2, 0, rz, 0, rz, 0); // z1z1 (total), z2z2 (run)
    Fp29x8.mul2(e3, 0, tx, 0, e2, 0, e4, 0, rx, 0, e1, 0); // u1, u2
    Fp29x8.mul2(e2, 0, e2, 0, rz, 0, e1, 0, e1, 0, tz, 0); // z2^3, z1^3
    Fp29x8.mul2(e2, 0, ty, 0, e2, 0, e1, 0, ry, 0, e1, 0); // s1, s2
    Fp29x8.sub(e4, 0, e4, 0, e3, 0); // h
    Fp29x8.sub(e1, 0, e1, 0, e2, 0); // r
    int same = Fp29x8.zeroLanes(e4, 0) & lanes;
    Fp29x8.mul2(e5, 0, e4, 0, e4, 0, e7, 0, tz, 0, rz, 0); // hh, z1z2
    Fp29x8.mul2(e6, 0, e5, 0, e4, 0, e3, 0, e3, 0, e5, 0); // hhh, v = u1 hh
    Fp29x8.mul2(e5, 0, e1, 0, e1, 0, e7, 0, e7, 0, e4, 0); // r^2, z3
    Fp29x8.sub(e5, 0, e5, 0, e6, 0);
    Fp29x8.sub(e5, 0, e5, 0, e3, 0);
    Fp29x8.sub(e5, 0, e5, 0, e3, 0); // x3
    Fp29x8.sub(e3, 0, e3, 0, e5, 0); // v - x3
    Fp29x8.mul2(e3, 0, e3, 0, e1, 0, e6, 0, e6, 0, e2, 0); // r (v - x3), s1 hhh
    Fp29x8.sub(e3, 0, e3, 0, e6, 0); // y3
    int ok = lanes & ~same;
    Fp29x8.select(tx, 0, e5, 0, tx, 0, ok);
    Fp29x8.select(ty, 0, e3, 0, ty, 0, ok);
    Fp29x8.select(tz, 0, e7, 0, tz, 0, ok);
    for (int l = 0; l < LANES; l++) {
      if ((same & (1 << l)) != 0) {
        laneToJac(tx, ty, tz, l, jp);
        laneToJac(rx, ry, rz, l, jq);
        curve.add(jp, 0, jp, 0, jq, 0);
        if (curve.isInfinity(jp, 0)) {
          totInf |= 1 << l;
        } else {
          jacToLane(jp, tx, ty, tz, l);
        }
      }
    }
  }

  private void laneToJac(long[] x, long[] y, long[] z, int l, long[] r) {
    Fp29x8.toMont(x, l, LANES, r, 0, mt);
    Fp29x8.toMont(y, l, LANES, r, 4, mt);
    Fp29x8.toMont(z, l, LANES, r, 8, mt);
  }

  private void jacToLane(long[] r, long[] x, long[] y, long[] z, int l) {
    Fp29x8.fromMont(r, 0, x, l, LANES, mt);
    Fp29x8.fromMont(r, 4, y, l, LANES, mt);
    Fp29x8.fromMont(r, 8, z, l, LANES, mt);
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
