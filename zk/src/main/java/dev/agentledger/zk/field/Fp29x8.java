package dev.agentledger.zk.field;

import java.math.BigInteger;
import java.util.Locale;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The BN254 base field on eight SIMD lanes: each element is nine 29-bit limbs in Montgomery form
 * with {@code R' = 2^261}, and a group of eight elements is stored limb-major in 72 longs (limb
 * {@code k} of lane {@code l} at {@code 8k + l}). Every stored value is canonical (limbs below
 * {@code 2^29}, value below {@code p}) except the lazy results of {@link #mulLazy}, {@link
 * #subLazy} and {@link #negSubLazy}, which may only be operands of a product (bounds at {@link
 * #mulLazy}). A product is word-by-word Montgomery multiplication with lazy carries (29-bit limbs
 * leave room for 18 partial products per 64-bit lane), then one carry pass and one conditional
 * subtraction; it costs about a sixth of the scalar {@link MontField} product per element on
 * AVX-512, about a third on AVX2. Used by the G1 MSM's batched affine additions, whose elements are
 * public.
 *
 * <p>Each operation runs a group as {@code LANES / S.length()} vectors of the species {@code S}:
 * one 512-bit vector where the CPU prefers them (AVX-512), else two 256-bit halves (lanes 0-3 and
 * 4-7, AVX2). {@link #mul} masks its operands to 32 bits so that C2 emits {@code vpmuludq} on
 * either width ({@link #BITS_PROPERTY} forces a width, {@link #LANES_PROPERTY} the MSM's path).
 *
 * <p>Conversion to and from the {@link MontField} form ({@code R = 2^256}) of the same value is one
 * scalar product with a constant: {@code x 2^261 = mont(x 2^256, 2^261 mod p)} and back with {@code
 * 2^251 mod p}.
 */
public final class Fp29x8 {
  /** Lanes per group. */
  public static final int LANES = 8;

  /** Limbs per element. */
  public static final int LIMBS = 9;

  /** Longs per group of eight elements. */
  public static final int GROUP = LANES * LIMBS;

  /**
   * System property choosing whether the G1 MSM runs on the lanes: {@code auto} (default: where
   * {@link #NATIVE}), {@code vector} or {@code scalar}.
   */
  public static final String LANES_PROPERTY = "agentledger.zk.lanes";

  /**
   * System property choosing the vectors the lanes run on: {@code 512} (a group in one vector) or
   * {@code 256} (a group in two halves); by default 512 where the CPU prefers 512-bit vectors
   * (AVX-512), else 256. For tests and comparisons: the other width runs emulated, far slower.
   */
  public static final String BITS_PROPERTY = "agentledger.zk.lanes.bits";

  private static final VectorSpecies<Long> S = species(System.getProperty(BITS_PROPERTY, ""));

  /** Lanes per vector: a group is {@code LANES / W} vectors side by side (8: one, 4: two). */
  private static final int W = S.length();

  /**
   * Whether scatters (stores to lanes' own indices) are vector stores: on 512-bit vectors (AVX-512
   * has scatter instructions). AVX2 has none, and the Vector API's fallback allocates and runs per
   * lane in Java (about 450 ns and 2 kB for a packed point group); there plain stores do it.
   */
  public static final boolean VECTOR_SCATTER = W == LANES;

  /** The lane bits ({@code (1 << W) - 1}) of one vector's part of a group. */
  private static final int PART = (1 << W) - 1;

  /**
   * Whether the G1 MSM takes the lane path: by default where this CPU runs vectors of at least 256
   * bits natively (AVX2 or AVX-512); elsewhere the Vector API would emulate them and the scalar
   * {@link MontField} is faster. {@link #LANES_PROPERTY} set to {@code vector} or {@code scalar}
   * overrides it.
   */
  public static final boolean NATIVE = lanesByDefault(System.getProperty(LANES_PROPERTY, "auto"));

  static boolean lanesByDefault(String choice) {
    return switch (choice.trim().toLowerCase(Locale.ROOT)) {
      case "vector" -> true;
      case "scalar" -> false;
      case "auto", "" -> LongVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
      default ->
          throw new IllegalArgumentException(
              LANES_PROPERTY + " must be auto, vector or scalar: " + choice);
    };
  }

  static VectorSpecies<Long> species(String bits) {
    return switch (bits.trim()) {
      case "512" -> LongVector.SPECIES_512;
      case "256" -> LongVector.SPECIES_256;
      case "" ->
          LongVector.SPECIES_PREFERRED.vectorBitSize() >= 512
              ? LongVector.SPECIES_512
              : LongVector.SPECIES_256;
      default -> throw new IllegalArgumentException(BITS_PROPERTY + " must be 256 or 512: " + bits);
    };
  }

  /** The width in bits of the vectors the lane code runs on (512 or 256). */
  public static int vectorBits() {
    return S.vectorBitSize();
  }

  private static final long MASK = (1L << 29) - 1;
  private static final long MU = 75916169L;

  private static final long P0 = 410844487L;
  private static final long P1 = 17064118L;
  private static final long P2 = 477274959L;
  private static final long P3 = 47522512L;
  private static final long P4 = 361093496L;
  private static final long P5 = 47923392L;
  private static final long P6 = 10936641L;
  private static final long P7 = 240920116L;
  private static final long P8 = 3171406L;

  /** The limbs of {@code p}. */
  private static final long[] P_LIMBS = {P0, P1, P2, P3, P4, P5, P6, P7, P8};

  /** {@code 2^261 mod p} as plain limbs: {@code mont(x R, TO_LANES) = x R'}. */
  private static final long[] TO_LANES = {
    5657511702120156193L, -319573045807068989L, 5981337227141884470L, 993103269003609205L
  };

  /** {@code 2^251 mod p} as plain limbs: {@code mont(x R', FROM_LANES) = x R}. */
  private static final long[] FROM_LANES = {0L, 0L, 0L, 576460752303423488L};

  /** {@code 2^266 mod p}: {@code mont(S^-1 2^512, INV_FIX) = S^-1 2^522}. */
  private static final long[] INV_FIX = {
    -5527129963348321119L, 2200009676130154866L, -1914912587770156139L, 396320206888758578L
  };

  /** {@code 1} in lane form, {@code 2^261 mod p} in 29-bit limbs. */
  public static final long[] ONE = {
    360500257L,
    337389400L,
    408039635L,
    21759001L,
    178483129L,
    490881230L,
    299191303L,
    86689704L,
    903222L
  };

  private Fp29x8() {}

  /**
   * {@code r = a * b / 2^261 mod p} lane by lane for the groups at {@code ro}, {@code ao}, {@code
   * bo}; {@code r} may alias an operand. The result is canonical. The operands may also be lazy
   * (see {@link #mulLazy}).
   */
  public static void mul(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    product(r, ro, a, ao, b, bo, true);
  }

  /**
   * {@link #mul} without the final conditional subtraction: the result is below {@code 2p} with
   * limbs below {@code 2^29} ("lazy"), for another product or a lazy difference only.
   *
   * <p>Bounds that keep {@link #mul} and {@code mulLazy} exact: one operand's limbs below {@code
   * 2^31}, the other's below {@code 2^29}, their values below {@code 4p} and {@code 2p}. Each
   * 64-bit column then sums at most nine products below {@code 2^60}, nine reduction products below
   * {@code 2^58} and a carry below {@code 2^35}: below {@code 2^63.5}, no wrap (the carries are
   * logical shifts). The result {@code (ab + Mp) / 2^261} with {@code M < 2^261} is below {@code
   * 8p^2 / 2^261 + p < 1.05p}, so one conditional subtraction makes it canonical.
   */
  public static void mulLazy(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    product(r, ro, a, ao, b, bo, false);
  }

  private static void product(
      long[] r, int ro, long[] a, int ao, long[] b, int bo, boolean canonical) {
    // every limb and constant enters a product masked to its low 32 bits: no value changes (limbs
    // and constants are below 2^29), and C2 (JDK 24+) emits one vpmuludq per product: AVX2 has no
    // 64-bit lane product (vpmullq), and without the masks C2 builds one from several instructions.
    // One body for both widths: on 512-bit vectors the loop over halves runs once. The round stays
    // a loop: unrolled, the method exceeds C2's inlining budget and the vectors get boxed.
    for (int h = 0; h < LANES; h += W) {
      LongVector b0 = LongVector.fromArray(S, b, bo + h + 0).and(LOW32);
      LongVector b1 = LongVector.fromArray(S, b, bo + h + 8).and(LOW32);
      LongVector b2 = LongVector.fromArray(S, b, bo + h + 16).and(LOW32);
      LongVector b3 = LongVector.fromArray(S, b, bo + h + 24).and(LOW32);
      LongVector b4 = LongVector.fromArray(S, b, bo + h + 32).and(LOW32);
      LongVector b5 = LongVector.fromArray(S, b, bo + h + 40).and(LOW32);
      LongVector b6 = LongVector.fromArray(S, b, bo + h + 48).and(LOW32);
      LongVector b7 = LongVector.fromArray(S, b, bo + h + 56).and(LOW32);
      LongVector b8 = LongVector.fromArray(S, b, bo + h + 64).and(LOW32);
      LongVector t0 = LongVector.zero(S);
      LongVector t1 = t0;
      LongVector t2 = t0;
      LongVector t3 = t0;
      LongVector t4 = t0;
      LongVector t5 = t0;
      LongVector t6 = t0;
      LongVector t7 = t0;
      LongVector t8 = t0;
      for (int i = 0; i < LIMBS; i++) {
        LongVector ai = LongVector.fromArray(S, a, ao + h + 8 * i).and(LOW32);
        t0 = t0.add(ai.mul(b0));
        t1 = t1.add(ai.mul(b1));
        t2 = t2.add(ai.mul(b2));
        t3 = t3.add(ai.mul(b3));
        t4 = t4.add(ai.mul(b4));
        t5 = t5.add(ai.mul(b5));
        t6 = t6.add(ai.mul(b6));
        t7 = t7.add(ai.mul(b7));
        t8 = t8.add(ai.mul(b8));
        LongVector m = t0.and(LOW32).mul(LongVector.broadcast(S, MU).and(LOW32)).and(MASK);
        t0 = t0.add(m.mul(LongVector.broadcast(S, P0).and(LOW32)));
        t1 = t1.add(m.mul(LongVector.broadcast(S, P1).and(LOW32)));
        t2 = t2.add(m.mul(LongVector.broadcast(S, P2).and(LOW32)));
        t3 = t3.add(m.mul(LongVector.broadcast(S, P3).and(LOW32)));
        t4 = t4.add(m.mul(LongVector.broadcast(S, P4).and(LOW32)));
        t5 = t5.add(m.mul(LongVector.broadcast(S, P5).and(LOW32)));
        t6 = t6.add(m.mul(LongVector.broadcast(S, P6).and(LOW32)));
        t7 = t7.add(m.mul(LongVector.broadcast(S, P7).and(LOW32)));
        t8 = t8.add(m.mul(LongVector.broadcast(S, P8).and(LOW32)));
        t0 = t1.add(t0.lanewise(VectorOperators.LSHR, 29));
        t1 = t2;
        t2 = t3;
        t3 = t4;
        t4 = t5;
        t5 = t6;
        t6 = t7;
        t7 = t8;
        t8 = LongVector.zero(S);
      }
      t1 = t1.add(t0.lanewise(VectorOperators.LSHR, 29));
      t0 = t0.and(MASK);
      t2 = t2.add(t1.lanewise(VectorOperators.LSHR, 29));
      t1 = t1.and(MASK);
      t3 = t3.add(t2.lanewise(VectorOperators.LSHR, 29));
      t2 = t2.and(MASK);
      t4 = t4.add(t3.lanewise(VectorOperators.LSHR, 29));
      t3 = t3.and(MASK);
      t5 = t5.add(t4.lanewise(VectorOperators.LSHR, 29));
      t4 = t4.and(MASK);
      t6 = t6.add(t5.lanewise(VectorOperators.LSHR, 29));
      t5 = t5.and(MASK);
      t7 = t7.add(t6.lanewise(VectorOperators.LSHR, 29));
      t6 = t6.and(MASK);
      t8 = t8.add(t7.lanewise(VectorOperators.LSHR, 29));
      t7 = t7.and(MASK);
      if (!canonical) {
        t0.intoArray(r, ro + h + 0);
        t1.intoArray(r, ro + h + 8);
        t2.intoArray(r, ro + h + 16);
        t3.intoArray(r, ro + h + 24);
        t4.intoArray(r, ro + h + 32);
        t5.intoArray(r, ro + h + 40);
        t6.intoArray(r, ro + h + 48);
        t7.intoArray(r, ro + h + 56);
        t8.intoArray(r, ro + h + 64);
        continue;
      }
      // the value is below 2p: subtract p where that does not borrow
      LongVector bw;
      LongVector d0 = t0.sub(P0);
      bw = d0.lanewise(VectorOperators.LSHR, 63);
      d0 = d0.and(MASK);
      LongVector d1 = t1.sub(P1).sub(bw);
      bw = d1.lanewise(VectorOperators.LSHR, 63);
      d1 = d1.and(MASK);
      LongVector d2 = t2.sub(P2).sub(bw);
      bw = d2.lanewise(VectorOperators.LSHR, 63);
      d2 = d2.and(MASK);
      LongVector d3 = t3.sub(P3).sub(bw);
      bw = d3.lanewise(VectorOperators.LSHR, 63);
      d3 = d3.and(MASK);
      LongVector d4 = t4.sub(P4).sub(bw);
      bw = d4.lanewise(VectorOperators.LSHR, 63);
      d4 = d4.and(MASK);
      LongVector d5 = t5.sub(P5).sub(bw);
      bw = d5.lanewise(VectorOperators.LSHR, 63);
      d5 = d5.and(MASK);
      LongVector d6 = t6.sub(P6).sub(bw);
      bw = d6.lanewise(VectorOperators.LSHR, 63);
      d6 = d6.and(MASK);
      LongVector d7 = t7.sub(P7).sub(bw);
      bw = d7.lanewise(VectorOperators.LSHR, 63);
      d7 = d7.and(MASK);
      LongVector d8 = t8.sub(P8).sub(bw);
      bw = d8.lanewise(VectorOperators.LSHR, 63);
      d8 = d8.and(MASK);
      VectorMask<Long> keep = bw.compare(VectorOperators.NE, 0L);
      d0.blend(t0, keep).intoArray(r, ro + h + 0);
      d1.blend(t1, keep).intoArray(r, ro + h + 8);
      d2.blend(t2, keep).intoArray(r, ro + h + 16);
      d3.blend(t3, keep).intoArray(r, ro + h + 24);
      d4.blend(t4, keep).intoArray(r, ro + h + 32);
      d5.blend(t5, keep).intoArray(r, ro + h + 40);
      d6.blend(t6, keep).intoArray(r, ro + h + 48);
      d7.blend(t7, keep).intoArray(r, ro + h + 56);
      d8.blend(t8, keep).intoArray(r, ro + h + 64);
    }
  }

  /**
   * Two independent products, {@code r1 = a1 * b1} and {@code r2 = a2 * b2} (as {@link #mul}),
   * interleaved so that each fills the other's latency; any of the groups may alias, the results
   * are stored after both are computed.
   */
  public static void mul2(
      long[] r1,
      int r1o,
      long[] a1,
      int a1o,
      long[] b1,
      int b1o,
      long[] r2,
      int r2o,
      long[] a2,
      int a2o,
      long[] b2,
      int b2o) {
    if (W != LANES) {
      mul2Narrow(r1, r1o, a1, a1o, b1, b1o, r2, r2o, a2, a2o, b2, b2o, true);
      return;
    }
    LongVector t0a = LongVector.zero(S);
    LongVector t1a = t0a;
    LongVector t2a = t0a;
    LongVector t3a = t0a;
    LongVector t4a = t0a;
    LongVector t5a = t0a;
    LongVector t6a = t0a;
    LongVector t7a = t0a;
    LongVector t8a = t0a;
    LongVector t0b = t0a;
    LongVector t1b = t0a;
    LongVector t2b = t0a;
    LongVector t3b = t0a;
    LongVector t4b = t0a;
    LongVector t5b = t0a;
    LongVector t6b = t0a;
    LongVector t7b = t0a;
    LongVector t8b = t0a;
    for (int i = 0; i < LIMBS; i++) {
      LongVector ai = LongVector.fromArray(S, a1, a1o + 8 * i);
      LongVector ci = LongVector.fromArray(S, a2, a2o + 8 * i);
      t0a = t0a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 0)));
      t0b = t0b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 0)));
      t1a = t1a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 8)));
      t1b = t1b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 8)));
      t2a = t2a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 16)));
      t2b = t2b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 16)));
      t3a = t3a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 24)));
      t3b = t3b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 24)));
      t4a = t4a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 32)));
      t4b = t4b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 32)));
      t5a = t5a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 40)));
      t5b = t5b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 40)));
      t6a = t6a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 48)));
      t6b = t6b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 48)));
      t7a = t7a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 56)));
      t7b = t7b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 56)));
      t8a = t8a.add(ai.mul(LongVector.fromArray(S, b1, b1o + 64)));
      t8b = t8b.add(ci.mul(LongVector.fromArray(S, b2, b2o + 64)));
      LongVector ma = t0a.mul(MU).and(MASK);
      LongVector mb = t0b.mul(MU).and(MASK);
      t0a = t0a.add(ma.mul(P0));
      t0b = t0b.add(mb.mul(P0));
      t1a = t1a.add(ma.mul(P1));
      t1b = t1b.add(mb.mul(P1));
      t2a = t2a.add(ma.mul(P2));
      t2b = t2b.add(mb.mul(P2));
      t3a = t3a.add(ma.mul(P3));
      t3b = t3b.add(mb.mul(P3));
      t4a = t4a.add(ma.mul(P4));
      t4b = t4b.add(mb.mul(P4));
      t5a = t5a.add(ma.mul(P5));
      t5b = t5b.add(mb.mul(P5));
      t6a = t6a.add(ma.mul(P6));
      t6b = t6b.add(mb.mul(P6));
      t7a = t7a.add(ma.mul(P7));
      t7b = t7b.add(mb.mul(P7));
      t8a = t8a.add(ma.mul(P8));
      t8b = t8b.add(mb.mul(P8));
      t0a = t1a.add(t0a.lanewise(VectorOperators.LSHR, 29));
      t1a = t2a;
      t2a = t3a;
      t3a = t4a;
      t4a = t5a;
      t5a = t6a;
      t6a = t7a;
      t7a = t8a;
      t8a = LongVector.zero(S);
      t0b = t1b.add(t0b.lanewise(VectorOperators.LSHR, 29));
      t1b = t2b;
      t2b = t3b;
      t3b = t4b;
      t4b = t5b;
      t5b = t6b;
      t6b = t7b;
      t7b = t8b;
      t8b = LongVector.zero(S);
    }
    t1a = t1a.add(t0a.lanewise(VectorOperators.LSHR, 29));
    t0a = t0a.and(MASK);
    t2a = t2a.add(t1a.lanewise(VectorOperators.LSHR, 29));
    t1a = t1a.and(MASK);
    t3a = t3a.add(t2a.lanewise(VectorOperators.LSHR, 29));
    t2a = t2a.and(MASK);
    t4a = t4a.add(t3a.lanewise(VectorOperators.LSHR, 29));
    t3a = t3a.and(MASK);
    t5a = t5a.add(t4a.lanewise(VectorOperators.LSHR, 29));
    t4a = t4a.and(MASK);
    t6a = t6a.add(t5a.lanewise(VectorOperators.LSHR, 29));
    t5a = t5a.and(MASK);
    t7a = t7a.add(t6a.lanewise(VectorOperators.LSHR, 29));
    t6a = t6a.and(MASK);
    t8a = t8a.add(t7a.lanewise(VectorOperators.LSHR, 29));
    t7a = t7a.and(MASK);
    // the value is below 2p: subtract p where that does not borrow
    LongVector bwa;
    LongVector d0a = t0a.sub(P0);
    bwa = d0a.lanewise(VectorOperators.LSHR, 63);
    d0a = d0a.and(MASK);
    LongVector d1a = t1a.sub(P1).sub(bwa);
    bwa = d1a.lanewise(VectorOperators.LSHR, 63);
    d1a = d1a.and(MASK);
    LongVector d2a = t2a.sub(P2).sub(bwa);
    bwa = d2a.lanewise(VectorOperators.LSHR, 63);
    d2a = d2a.and(MASK);
    LongVector d3a = t3a.sub(P3).sub(bwa);
    bwa = d3a.lanewise(VectorOperators.LSHR, 63);
    d3a = d3a.and(MASK);
    LongVector d4a = t4a.sub(P4).sub(bwa);
    bwa = d4a.lanewise(VectorOperators.LSHR, 63);
    d4a = d4a.and(MASK);
    LongVector d5a = t5a.sub(P5).sub(bwa);
    bwa = d5a.lanewise(VectorOperators.LSHR, 63);
    d5a = d5a.and(MASK);
    LongVector d6a = t6a.sub(P6).sub(bwa);
    bwa = d6a.lanewise(VectorOperators.LSHR, 63);
    d6a = d6a.and(MASK);
    LongVector d7a = t7a.sub(P7).sub(bwa);
    bwa = d7a.lanewise(VectorOperators.LSHR, 63);
    d7a = d7a.and(MASK);
    LongVector d8a = t8a.sub(P8).sub(bwa);
    bwa = d8a.lanewise(VectorOperators.LSHR, 63);
    d8a = d8a.and(MASK);
    VectorMask<Long> keepa = bwa.compare(VectorOperators.NE, 0L);
    d0a.blend(t0a, keepa).intoArray(r1, r1o + 0);
    d1a.blend(t1a, keepa).intoArray(r1, r1o + 8);
    d2a.blend(t2a, keepa).intoArray(r1, r1o + 16);
    d3a.blend(t3a, keepa).intoArray(r1, r1o + 24);
    d4a.blend(t4a, keepa).intoArray(r1, r1o + 32);
    d5a.blend(t5a, keepa).intoArray(r1, r1o + 40);
    d6a.blend(t6a, keepa).intoArray(r1, r1o + 48);
    d7a.blend(t7a, keepa).intoArray(r1, r1o + 56);
    d8a.blend(t8a, keepa).intoArray(r1, r1o + 64);
    t1b = t1b.add(t0b.lanewise(VectorOperators.LSHR, 29));
    t0b = t0b.and(MASK);
    t2b = t2b.add(t1b.lanewise(VectorOperators.LSHR, 29));
    t1b = t1b.and(MASK);
    t3b = t3b.add(t2b.lanewise(VectorOperators.LSHR, 29));
    t2b = t2b.and(MASK);
    t4b = t4b.add(t3b.lanewise(VectorOperators.LSHR, 29));
    t3b = t3b.and(MASK);
    t5b = t5b.add(t4b.lanewise(VectorOperators.LSHR, 29));
    t4b = t4b.and(MASK);
    t6b = t6b.add(t5b.lanewise(VectorOperators.LSHR, 29));
    t5b = t5b.and(MASK);
    t7b = t7b.add(t6b.lanewise(VectorOperators.LSHR, 29));
    t6b = t6b.and(MASK);
    t8b = t8b.add(t7b.lanewise(VectorOperators.LSHR, 29));
    t7b = t7b.and(MASK);
    // the value is below 2p: subtract p where that does not borrow
    LongVector bwb;
    LongVector d0b = t0b.sub(P0);
    bwb = d0b.lanewise(VectorOperators.LSHR, 63);
    d0b = d0b.and(MASK);
    LongVector d1b = t1b.sub(P1).sub(bwb);
    bwb = d1b.lanewise(VectorOperators.LSHR, 63);
    d1b = d1b.and(MASK);
    LongVector d2b = t2b.sub(P2).sub(bwb);
    bwb = d2b.lanewise(VectorOperators.LSHR, 63);
    d2b = d2b.and(MASK);
    LongVector d3b = t3b.sub(P3).sub(bwb);
    bwb = d3b.lanewise(VectorOperators.LSHR, 63);
    d3b = d3b.and(MASK);
    LongVector d4b = t4b.sub(P4).sub(bwb);
    bwb = d4b.lanewise(VectorOperators.LSHR, 63);
    d4b = d4b.and(MASK);
    LongVector d5b = t5b.sub(P5).sub(bwb);
    bwb = d5b.lanewise(VectorOperators.LSHR, 63);
    d5b = d5b.and(MASK);
    LongVector d6b = t6b.sub(P6).sub(bwb);
    bwb = d6b.lanewise(VectorOperators.LSHR, 63);
    d6b = d6b.and(MASK);
    LongVector d7b = t7b.sub(P7).sub(bwb);
    bwb = d7b.lanewise(VectorOperators.LSHR, 63);
    d7b = d7b.and(MASK);
    LongVector d8b = t8b.sub(P8).sub(bwb);
    bwb = d8b.lanewise(VectorOperators.LSHR, 63);
    d8b = d8b.and(MASK);
    VectorMask<Long> keepb = bwb.compare(VectorOperators.NE, 0L);
    d0b.blend(t0b, keepb).intoArray(r2, r2o + 0);
    d1b.blend(t1b, keepb).intoArray(r2, r2o + 8);
    d2b.blend(t2b, keepb).intoArray(r2, r2o + 16);
    d3b.blend(t3b, keepb).intoArray(r2, r2o + 24);
    d4b.blend(t4b, keepb).intoArray(r2, r2o + 32);
    d5b.blend(t5b, keepb).intoArray(r2, r2o + 40);
    d6b.blend(t6b, keepb).intoArray(r2, r2o + 48);
    d7b.blend(t7b, keepb).intoArray(r2, r2o + 56);
    d8b.blend(t8b, keepb).intoArray(r2, r2o + 64);
  }

  /**
   * {@link #mul2} with lazy results ({@link #mulLazy}) on 256-bit vectors; on 512-bit vectors the
   * canonical {@link #mul2} (a canonical result is a lazy one too).
   */
  public static void mul2Lazy(
      long[] r1,
      int r1o,
      long[] a1,
      int a1o,
      long[] b1,
      int b1o,
      long[] r2,
      int r2o,
      long[] a2,
      int a2o,
      long[] b2,
      int b2o) {
    if (W != LANES) {
      mul2Narrow(r1, r1o, a1, a1o, b1, b1o, r2, r2o, a2, a2o, b2, b2o, false);
    } else {
      mul2(r1, r1o, a1, a1o, b1, b1o, r2, r2o, a2, a2o, b2, b2o);
    }
  }

  /**
   * {@link #mul2} on narrower vectors: the two products one after the other ({@link #mul}), first
   * the one whose result the other does not read. Interleaved in one method (as {@link #mul2} does
   * on 512-bit vectors), the two exceed C2's inlining budget and every vector is boxed.
   */
  private static void mul2Narrow(
      long[] r1,
      int r1o,
      long[] a1,
      int a1o,
      long[] b1,
      int b1o,
      long[] r2,
      int r2o,
      long[] a2,
      int a2o,
      long[] b2,
      int b2o,
      boolean canonical) {
    if (!overlaps(r1, r1o, a2, a2o) && !overlaps(r1, r1o, b2, b2o)) {
      product(r1, r1o, a1, a1o, b1, b1o, canonical);
      product(r2, r2o, a2, a2o, b2, b2o, canonical);
    } else if (!overlaps(r2, r2o, a1, a1o) && !overlaps(r2, r2o, b1, b1o)) {
      product(r2, r2o, a2, a2o, b2, b2o, canonical);
      product(r1, r1o, a1, a1o, b1, b1o, canonical);
    } else {
      // each result is an operand of the other product (no caller does this): copy one's operands
      long[] c = new long[2 * GROUP];
      System.arraycopy(a2, a2o, c, 0, GROUP);
      System.arraycopy(b2, b2o, c, GROUP, GROUP);
      product(r1, r1o, a1, a1o, b1, b1o, canonical);
      product(r2, r2o, c, 0, c, GROUP, canonical);
    }
  }

  /** Whether the groups at {@code x[xo..]} and {@code y[yo..]} share a long. */
  private static boolean overlaps(long[] x, int xo, long[] y, int yo) {
    return x == y && Math.abs(xo - yo) < GROUP;
  }

  /** {@code r = a - b mod p} lane by lane; {@code r} may alias an operand. */
  public static void sub(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    for (int h = 0; h < LANES; h += W) {
      LongVector bw;
      LongVector d0 =
          LongVector.fromArray(S, a, ao + h + 0).sub(LongVector.fromArray(S, b, bo + h + 0));
      bw = d0.lanewise(VectorOperators.LSHR, 63);
      d0 = d0.and(MASK);
      LongVector d1 =
          LongVector.fromArray(S, a, ao + h + 8)
              .sub(LongVector.fromArray(S, b, bo + h + 8))
              .sub(bw);
      bw = d1.lanewise(VectorOperators.LSHR, 63);
      d1 = d1.and(MASK);
      LongVector d2 =
          LongVector.fromArray(S, a, ao + h + 16)
              .sub(LongVector.fromArray(S, b, bo + h + 16))
              .sub(bw);
      bw = d2.lanewise(VectorOperators.LSHR, 63);
      d2 = d2.and(MASK);
      LongVector d3 =
          LongVector.fromArray(S, a, ao + h + 24)
              .sub(LongVector.fromArray(S, b, bo + h + 24))
              .sub(bw);
      bw = d3.lanewise(VectorOperators.LSHR, 63);
      d3 = d3.and(MASK);
      LongVector d4 =
          LongVector.fromArray(S, a, ao + h + 32)
              .sub(LongVector.fromArray(S, b, bo + h + 32))
              .sub(bw);
      bw = d4.lanewise(VectorOperators.LSHR, 63);
      d4 = d4.and(MASK);
      LongVector d5 =
          LongVector.fromArray(S, a, ao + h + 40)
              .sub(LongVector.fromArray(S, b, bo + h + 40))
              .sub(bw);
      bw = d5.lanewise(VectorOperators.LSHR, 63);
      d5 = d5.and(MASK);
      LongVector d6 =
          LongVector.fromArray(S, a, ao + h + 48)
              .sub(LongVector.fromArray(S, b, bo + h + 48))
              .sub(bw);
      bw = d6.lanewise(VectorOperators.LSHR, 63);
      d6 = d6.and(MASK);
      LongVector d7 =
          LongVector.fromArray(S, a, ao + h + 56)
              .sub(LongVector.fromArray(S, b, bo + h + 56))
              .sub(bw);
      bw = d7.lanewise(VectorOperators.LSHR, 63);
      d7 = d7.and(MASK);
      LongVector d8 =
          LongVector.fromArray(S, a, ao + h + 64)
              .sub(LongVector.fromArray(S, b, bo + h + 64))
              .sub(bw);
      bw = d8.lanewise(VectorOperators.LSHR, 63);
      d8 = d8.and(MASK);
      // a < b: add p back (the mask is all ones in those lanes)
      LongVector q = bw.neg();
      LongVector c;
      d0 = d0.add(q.and(P0));
      c = d0.lanewise(VectorOperators.LSHR, 29);
      d0.and(MASK).intoArray(r, ro + h + 0);
      d1 = d1.add(q.and(P1)).add(c);
      c = d1.lanewise(VectorOperators.LSHR, 29);
      d1.and(MASK).intoArray(r, ro + h + 8);
      d2 = d2.add(q.and(P2)).add(c);
      c = d2.lanewise(VectorOperators.LSHR, 29);
      d2.and(MASK).intoArray(r, ro + h + 16);
      d3 = d3.add(q.and(P3)).add(c);
      c = d3.lanewise(VectorOperators.LSHR, 29);
      d3.and(MASK).intoArray(r, ro + h + 24);
      d4 = d4.add(q.and(P4)).add(c);
      c = d4.lanewise(VectorOperators.LSHR, 29);
      d4.and(MASK).intoArray(r, ro + h + 32);
      d5 = d5.add(q.and(P5)).add(c);
      c = d5.lanewise(VectorOperators.LSHR, 29);
      d5.and(MASK).intoArray(r, ro + h + 40);
      d6 = d6.add(q.and(P6)).add(c);
      c = d6.lanewise(VectorOperators.LSHR, 29);
      d6.and(MASK).intoArray(r, ro + h + 48);
      d7 = d7.add(q.and(P7)).add(c);
      c = d7.lanewise(VectorOperators.LSHR, 29);
      d7.and(MASK).intoArray(r, ro + h + 56);
      d8 = d8.add(q.and(P8)).add(c);
      d8.and(MASK).intoArray(r, ro + h + 64);
    }
  }

  /**
   * {@code 2p} in limbs biased so that limbs 0-7 are at least {@code 2^29 - 1} (limb 0 at least
   * {@code 2^29}) and below {@code 2^30}: {@code Q2_k = c_k + 2^29 - 1} (limb 0: {@code c_0 +
   * 2^29}, limb 8: {@code c_8 - 1}) for the canonical limbs {@code c_k} of {@code 2p}; the same
   * sum.
   */
  private static final long[] Q2P = biased(2, 1);

  /** {@code 4p} biased by {@code 2 * 2^29} the same way: limbs 0-7 in {@code [2^30 - 2, 2^31)}. */
  private static final long[] Q4P = biased(4, 2);

  private static long[] biased(int multiple, int s) {
    BigInteger v = Bn254.P.multiply(BigInteger.valueOf(multiple));
    long[] q = new long[LIMBS];
    for (int k = 0; k < LIMBS; k++) {
      q[k] =
          k < LIMBS - 1
              ? v.shiftRight(29 * k).longValue() & MASK
              : v.shiftRight(29 * k).longValue();
    }
    q[0] += (long) s << 29;
    for (int k = 1; k < LIMBS - 1; k++) {
      q[k] += s * MASK;
    }
    q[LIMBS - 1] -= s;
    return q;
  }

  /**
   * {@code r = a - b + 2p} lane by lane, limb by limb with no carries ("lazy"): for canonical
   * {@code a} and {@code b} each limb {@code a_k + Q2_k - b_k} (see {@link #Q2P}) is at least 0
   * ({@code Q2_k >= b_k}: limbs 0-7 from the bias, limb 8 as {@code b_8 <= p_8 < Q2_8}) and below
   * {@code 2^29 + 2^30 < 2^31}, and the value is below {@code 3p}: an operand of {@link #mul} or
   * {@link #mulLazy} beside a lazy or canonical one, nothing else. {@code r} may alias an operand.
   */
  public static void subLazy(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    for (int h = 0; h < LANES; h += W) {
      for (int k = 0; k < LIMBS; k++) {
        LongVector.fromArray(S, a, ao + h + 8 * k)
            .add(Q2P[k])
            .sub(LongVector.fromArray(S, b, bo + h + 8 * k))
            .intoArray(r, ro + h + 8 * k);
      }
    }
  }

  /**
   * {@code r = -a - b + 4p} in the lanes set in {@code lanes} (bit {@code l}) and {@link
   * #subLazy}'s {@code a - b + 2p} in the others, lazy, for canonical {@code a} and {@code b}: in a
   * negated lane each limb {@code Q4_k - a_k - b_k} is at least 0 ({@code Q4_k >= 2^30 - 2} for
   * limbs 0-7, {@code a_8 + b_8 <= 2p_8 < Q4_8}) and below {@code 2^31}, the value below {@code
   * 4p}. {@code r} may alias an operand.
   */
  public static void negSubLazy(long[] r, int ro, long[] a, int ao, long[] b, int bo, int lanes) {
    for (int h = 0; h < LANES; h += W) {
      VectorMask<Long> neg = VectorMask.fromLong(S, (lanes >>> h) & PART);
      for (int k = 0; k < LIMBS; k++) {
        LongVector av = LongVector.fromArray(S, a, ao + h + 8 * k);
        LongVector q = LongVector.broadcast(S, Q2P[k]).blend(Q4P[k], neg);
        q.add(av.blend(av.neg(), neg))
            .sub(LongVector.fromArray(S, b, bo + h + 8 * k))
            .intoArray(r, ro + h + 8 * k);
      }
    }
  }

  /** The lanes (bit {@code l}) where the groups at {@code ao} and {@code bo} hold equal limbs. */
  public static int equalLanes(long[] a, int ao, long[] b, int bo) {
    int bits = 0;
    for (int h = 0; h < LANES; h += W) {
      LongVector v =
          LongVector.fromArray(S, a, ao + h)
              .lanewise(VectorOperators.XOR, LongVector.fromArray(S, b, bo + h));
      for (int k = 1; k < LIMBS; k++) {
        v =
            v.or(
                LongVector.fromArray(S, a, ao + h + 8 * k)
                    .lanewise(VectorOperators.XOR, LongVector.fromArray(S, b, bo + h + 8 * k)));
      }
      bits |= (int) v.compare(VectorOperators.EQ, 0L).toLong() << h;
    }
    return bits;
  }

  /**
   * {@code r = -a mod p} in the lanes whose {@code signs[so + l]} is nonzero, {@code r = a} in the
   * others; {@code r} may alias {@code a}.
   */
  public static void negWhere(long[] r, int ro, long[] a, int ao, long[] signs, int so) {
    negWhere(r, ro, a, ao, nonzeroLanes(signs, so));
  }

  /** The lanes (bit {@code l}) whose {@code v[vo + l]} is nonzero. */
  private static int nonzeroLanes(long[] v, int vo) {
    int bits = 0;
    for (int h = 0; h < LANES; h += W) {
      bits |=
          (int) LongVector.fromArray(S, v, vo + h).compare(VectorOperators.NE, 0L).toLong() << h;
    }
    return bits;
  }

  /**
   * {@code r = -a mod p} in the lanes set in {@code lanes} (bit {@code l}), {@code r = a} in the
   * others; {@code r} may alias {@code a}.
   */
  public static void negWhere(long[] r, int ro, long[] a, int ao, int lanes) {
    for (int h = 0; h < LANES; h += W) {
      VectorMask<Long> neg = VectorMask.fromLong(S, (lanes >>> h) & PART);
      LongVector bw;
      LongVector a0 = LongVector.fromArray(S, a, ao + h + 0);
      LongVector a1 = LongVector.fromArray(S, a, ao + h + 8);
      LongVector a2 = LongVector.fromArray(S, a, ao + h + 16);
      LongVector a3 = LongVector.fromArray(S, a, ao + h + 24);
      LongVector a4 = LongVector.fromArray(S, a, ao + h + 32);
      LongVector a5 = LongVector.fromArray(S, a, ao + h + 40);
      LongVector a6 = LongVector.fromArray(S, a, ao + h + 48);
      LongVector a7 = LongVector.fromArray(S, a, ao + h + 56);
      LongVector a8 = LongVector.fromArray(S, a, ao + h + 64);
      LongVector d0 = LongVector.broadcast(S, P0).sub(a0);
      bw = d0.lanewise(VectorOperators.LSHR, 63);
      d0 = d0.and(MASK);
      LongVector d1 = LongVector.broadcast(S, P1).sub(a1).sub(bw);
      bw = d1.lanewise(VectorOperators.LSHR, 63);
      d1 = d1.and(MASK);
      LongVector d2 = LongVector.broadcast(S, P2).sub(a2).sub(bw);
      bw = d2.lanewise(VectorOperators.LSHR, 63);
      d2 = d2.and(MASK);
      LongVector d3 = LongVector.broadcast(S, P3).sub(a3).sub(bw);
      bw = d3.lanewise(VectorOperators.LSHR, 63);
      d3 = d3.and(MASK);
      LongVector d4 = LongVector.broadcast(S, P4).sub(a4).sub(bw);
      bw = d4.lanewise(VectorOperators.LSHR, 63);
      d4 = d4.and(MASK);
      LongVector d5 = LongVector.broadcast(S, P5).sub(a5).sub(bw);
      bw = d5.lanewise(VectorOperators.LSHR, 63);
      d5 = d5.and(MASK);
      LongVector d6 = LongVector.broadcast(S, P6).sub(a6).sub(bw);
      bw = d6.lanewise(VectorOperators.LSHR, 63);
      d6 = d6.and(MASK);
      LongVector d7 = LongVector.broadcast(S, P7).sub(a7).sub(bw);
      bw = d7.lanewise(VectorOperators.LSHR, 63);
      d7 = d7.and(MASK);
      LongVector d8 = LongVector.broadcast(S, P8).sub(a8).sub(bw);
      bw = d8.lanewise(VectorOperators.LSHR, 63);
      d8 = d8.and(MASK);
      // -0 = 0, not p
      VectorMask<Long> nz =
          a0.or(a1)
              .or(a2)
              .or(a3)
              .or(a4)
              .or(a5)
              .or(a6)
              .or(a7)
              .or(a8)
              .compare(VectorOperators.NE, 0L)
              .and(neg);
      a0.blend(d0, nz).intoArray(r, ro + h + 0);
      a1.blend(d1, nz).intoArray(r, ro + h + 8);
      a2.blend(d2, nz).intoArray(r, ro + h + 16);
      a3.blend(d3, nz).intoArray(r, ro + h + 24);
      a4.blend(d4, nz).intoArray(r, ro + h + 32);
      a5.blend(d5, nz).intoArray(r, ro + h + 40);
      a6.blend(d6, nz).intoArray(r, ro + h + 48);
      a7.blend(d7, nz).intoArray(r, ro + h + 56);
      a8.blend(d8, nz).intoArray(r, ro + h + 64);
    }
  }

  /**
   * Loads a group from eight elements scattered in {@code src}: lane {@code l} reads the element
   * whose limb {@code k} is at {@code src[idx[io + l] + so + k]} (a gather per limb).
   */
  public static void gather(long[] r, int ro, long[] src, int so, int[] idx, int io) {
    for (int h = 0; h < LANES; h += W) {
      for (int k = 0; k < LIMBS; k++) {
        LongVector.fromArray(S, src, so + k, idx, io + h).intoArray(r, ro + h + 8 * k);
      }
    }
  }

  /**
   * Stores the group at {@code a} to eight elements scattered in {@code dst}: lane {@code l} writes
   * limb {@code k} to {@code dst[idx[io + l] + d + k]}; the eight targets must be distinct.
   */
  public static void scatter(long[] a, int ao, long[] dst, int d, int[] idx, int io) {
    if (!VECTOR_SCATTER) {
      for (int l = 0; l < LANES; l++) {
        int t = d + idx[io + l];
        for (int k = 0; k < LIMBS; k++) {
          dst[t + k] = a[ao + 8 * k + l];
        }
      }
      return;
    }
    for (int h = 0; h < LANES; h += W) {
      for (int k = 0; k < LIMBS; k++) {
        LongVector.fromArray(S, a, ao + h + 8 * k).intoArray(dst, d + k, idx, io + h);
      }
    }
  }

  /** Longs per packed point: the 18 limbs of x and y, two to a long. */
  public static final int PACKED = LIMBS;

  private static final long LOW32 = 0xFFFFFFFFL;

  /**
   * Loads two groups, {@code x} and {@code y}, from eight packed points scattered in {@code src}
   * (see {@link #pack}): lane {@code l} reads the point at {@code src[idx[io + l]..]}. On 512-bit
   * vectors a gather per two limbs; on 256-bit vectors (AVX2) the eight points' longs are copied by
   * plain loads into {@code tmp} ({@link #GROUP} longs, long {@code j} of lane {@code l} at {@code
   * 8j + l}) and split from there by vector loads (in one loop, thread CPU per group: 103-108 ns
   * with {@code vpgatherdq} against 73-80 ns from L1, 119-140 against 69-89 ns from a 590 KB
   * table).
   */
  public static void gatherPacked(
      long[] x, int xo, long[] y, int yo, long[] src, int[] idx, int io, long[] tmp) {
    if (!VECTOR_SCATTER) {
      for (int l = 0; l < LANES; l++) {
        int t = idx[io + l];
        for (int j = 0; j < PACKED; j++) {
          tmp[8 * j + l] = src[t + j];
        }
      }
      for (int h = 0; h < LANES; h += W) {
        for (int j = 0; j < 4; j++) {
          LongVector v = LongVector.fromArray(S, tmp, h + 8 * j);
          v.and(LOW32).intoArray(x, xo + h + 16 * j);
          v.lanewise(VectorOperators.LSHR, 32).intoArray(x, xo + h + 16 * j + 8);
        }
        LongVector v = LongVector.fromArray(S, tmp, h + 32);
        v.and(LOW32).intoArray(x, xo + h + 64);
        v.lanewise(VectorOperators.LSHR, 32).intoArray(y, yo + h);
        for (int j = 0; j < 4; j++) {
          LongVector w = LongVector.fromArray(S, tmp, h + 40 + 8 * j);
          w.and(LOW32).intoArray(y, yo + h + 8 + 16 * j);
          w.lanewise(VectorOperators.LSHR, 32).intoArray(y, yo + h + 16 + 16 * j);
        }
      }
      return;
    }
    for (int h = 0; h < LANES; h += W) {
      for (int j = 0; j < 4; j++) {
        LongVector v = LongVector.fromArray(S, src, j, idx, io + h);
        v.and(LOW32).intoArray(x, xo + h + 16 * j);
        v.lanewise(VectorOperators.LSHR, 32).intoArray(x, xo + h + 16 * j + 8);
      }
      LongVector v = LongVector.fromArray(S, src, 4, idx, io + h);
      v.and(LOW32).intoArray(x, xo + h + 64);
      v.lanewise(VectorOperators.LSHR, 32).intoArray(y, yo + h);
      for (int j = 0; j < 4; j++) {
        LongVector w = LongVector.fromArray(S, src, 5 + j, idx, io + h);
        w.and(LOW32).intoArray(y, yo + h + 8 + 16 * j);
        w.lanewise(VectorOperators.LSHR, 32).intoArray(y, yo + h + 16 + 16 * j);
      }
    }
  }

  /**
   * Stores the groups {@code x} and {@code y} as eight packed points scattered in {@code dst}: lane
   * {@code l} writes the point at {@code dst[idx[io + l]..]}; the eight targets must be distinct.
   * On 512-bit vectors a scatter per two limbs; on 256-bit vectors (no scatter instruction) the
   * packed longs are built by vector code into {@code tmp} ({@link #GROUP} longs, as in {@link
   * #gatherPacked}) and copied to the points by plain stores (in one loop: 45-59 ns a group from L1
   * against 91-93 ns for packing each long with scalar code, 70-87 against 97-114 ns from a 590 KB
   * table).
   */
  public static void scatterPacked(
      long[] x, int xo, long[] y, int yo, long[] dst, int[] idx, int io, long[] tmp) {
    for (int h = 0; h < LANES; h += W) {
      for (int j = 0; j < 4; j++) {
        LongVector v =
            LongVector.fromArray(S, x, xo + h + 16 * j)
                .or(
                    LongVector.fromArray(S, x, xo + h + 16 * j + 8)
                        .lanewise(VectorOperators.LSHL, 32));
        if (VECTOR_SCATTER) {
          v.intoArray(dst, j, idx, io + h);
        } else {
          v.intoArray(tmp, h + 8 * j);
        }
      }
      LongVector v =
          LongVector.fromArray(S, x, xo + h + 64)
              .or(LongVector.fromArray(S, y, yo + h).lanewise(VectorOperators.LSHL, 32));
      if (VECTOR_SCATTER) {
        v.intoArray(dst, 4, idx, io + h);
      } else {
        v.intoArray(tmp, h + 32);
      }
      for (int j = 0; j < 4; j++) {
        LongVector w =
            LongVector.fromArray(S, y, yo + h + 8 + 16 * j)
                .or(
                    LongVector.fromArray(S, y, yo + h + 16 + 16 * j)
                        .lanewise(VectorOperators.LSHL, 32));
        if (VECTOR_SCATTER) {
          w.intoArray(dst, 5 + j, idx, io + h);
        } else {
          w.intoArray(tmp, h + 40 + 8 * j);
        }
      }
    }
    if (!VECTOR_SCATTER) {
      for (int l = 0; l < LANES; l++) {
        int t = idx[io + l];
        for (int j = 0; j < PACKED; j++) {
          dst[t + j] = tmp[8 * j + l];
        }
      }
    }
  }

  /**
   * Packs one point, x limbs at {@code src[s + k]} and y limbs at {@code src[s + LIMBS + k]}, into
   * the {@link #PACKED} longs at {@code dst[d..]}: limb {@code m} of the 18 (x then y) in the low
   * ({@code m} even) or high half of long {@code m / 2}.
   */
  public static void pack(long[] src, int s, long[] dst, int d) {
    for (int j = 0; j < PACKED; j++) {
      dst[d + j] = src[s + 2 * j] | (src[s + 2 * j + 1] << 32);
    }
  }

  /** The inverse of {@link #pack}: 18 limbs (x then y) at {@code dst[d..]}. */
  public static void unpack(long[] src, int s, long[] dst, int d) {
    for (int j = 0; j < PACKED; j++) {
      long v = src[s + j];
      dst[d + 2 * j] = v & LOW32;
      dst[d + 2 * j + 1] = v >>> 32;
    }
  }

  /**
   * Sets every lane of the group at {@code ro} to the element whose limbs are {@code src[so..]}.
   */
  public static void broadcast(long[] r, int ro, long[] src, int so) {
    for (int k = 0; k < LIMBS; k++) {
      LongVector v = LongVector.broadcast(S, src[so + k]);
      for (int h = 0; h < LANES; h += W) {
        v.intoArray(r, ro + h + 8 * k);
      }
    }
  }

  /** The lanes (bit {@code l}) of the group at {@code ao} whose element is zero. */
  public static int zeroLanes(long[] a, int ao) {
    int bits = 0;
    for (int h = 0; h < LANES; h += W) {
      LongVector v = LongVector.fromArray(S, a, ao + h);
      for (int k = 1; k < LIMBS; k++) {
        v = v.or(LongVector.fromArray(S, a, ao + h + 8 * k));
      }
      bits |= (int) v.compare(VectorOperators.EQ, 0L).toLong() << h;
    }
    return bits;
  }

  /**
   * {@code r = a} in the lanes set in {@code lanes} (bit {@code l}), {@code r = b} in the others;
   * {@code r} may alias either operand.
   */
  public static void select(long[] r, int ro, long[] a, int ao, long[] b, int bo, int lanes) {
    for (int h = 0; h < LANES; h += W) {
      VectorMask<Long> m = VectorMask.fromLong(S, (lanes >>> h) & PART);
      for (int k = 0; k < LIMBS; k++) {
        LongVector.fromArray(S, b, bo + h + 8 * k)
            .blend(LongVector.fromArray(S, a, ao + h + 8 * k), m)
            .intoArray(r, ro + h + 8 * k);
      }
    }
  }

  /** Sets the lanes set in {@code lanes} (bit {@code l}) of the group at {@code ro} to one. */
  public static void setOneWhere(long[] r, int ro, int lanes) {
    for (int h = 0; h < LANES; h += W) {
      VectorMask<Long> m = VectorMask.fromLong(S, (lanes >>> h) & PART);
      for (int k = 0; k < LIMBS; k++) {
        LongVector.fromArray(S, r, ro + h + 8 * k).blend(ONE[k], m).intoArray(r, ro + h + 8 * k);
      }
    }
  }

  /**
   * Writes the lane form of the {@link MontField} element {@code x[xo..xo+3]} (Montgomery form,
   * canonical) as nine limbs at {@code dst[d + k * stride]}; {@code tmp} holds four longs.
   */
  public static void fromMont(long[] x, int xo, long[] dst, int d, int stride, long[] tmp) {
    Bn254.FP.mul(tmp, 0, x, xo, TO_LANES, 0);
    split(tmp, dst, d, stride);
  }

  /** Lane form of {@code 2^266 mod p}: {@code mul(x 2^256, FROM_MONT) = x 2^261}. */
  private static final long[] FROM_MONT = constantGroup(INV_FIX);

  private static long[] constantGroup(long[] plain) {
    long[] one = new long[LIMBS];
    split(plain, one, 0, 1);
    long[] g = new long[GROUP];
    broadcast(g, 0, one, 0);
    return g;
  }

  /**
   * The eight offsets {@code 0, stride, .., 7 stride}: an index map for {@link #fromMont8} and
   * {@link #gather}.
   */
  public static int[] strideMap(int stride) {
    int[] m = new int[LANES];
    for (int l = 0; l < LANES; l++) {
      m[l] = l * stride;
    }
    return m;
  }

  /**
   * {@link #fromMont} for eight elements at once, in the lanes: the {@link MontField} element
   * {@code j} (four canonical limbs) at {@code src[so + srcMap[j]..]} is written as nine limbs at
   * {@code dst[d + dstMap[j] + k]}. Four gathers split into limbs, one lane product with {@code
   * 2^266 mod p}, nine scatters; {@code tmp} holds {@link #GROUP} longs.
   */
  public static void fromMont8(
      long[] src, int so, int[] srcMap, long[] dst, int d, int[] dstMap, long[] tmp) {
    for (int h = 0; h < LANES; h += W) {
      LongVector v0 = LongVector.fromArray(S, src, so, srcMap, h);
      LongVector v1 = LongVector.fromArray(S, src, so + 1, srcMap, h);
      LongVector v2 = LongVector.fromArray(S, src, so + 2, srcMap, h);
      LongVector v3 = LongVector.fromArray(S, src, so + 3, srcMap, h);
      // limb k holds bits 29k .. 29k + 28 of the 256-bit value
      v0.and(MASK).intoArray(tmp, h + 0);
      v0.lanewise(VectorOperators.LSHR, 29).and(MASK).intoArray(tmp, h + 8);
      v0.lanewise(VectorOperators.LSHR, 58)
          .or(v1.lanewise(VectorOperators.LSHL, 6))
          .and(MASK)
          .intoArray(tmp, h + 16);
      v1.lanewise(VectorOperators.LSHR, 23).and(MASK).intoArray(tmp, h + 24);
      v1.lanewise(VectorOperators.LSHR, 52)
          .or(v2.lanewise(VectorOperators.LSHL, 12))
          .and(MASK)
          .intoArray(tmp, h + 32);
      v2.lanewise(VectorOperators.LSHR, 17).and(MASK).intoArray(tmp, h + 40);
      v2.lanewise(VectorOperators.LSHR, 46)
          .or(v3.lanewise(VectorOperators.LSHL, 18))
          .and(MASK)
          .intoArray(tmp, h + 48);
      v3.lanewise(VectorOperators.LSHR, 11).and(MASK).intoArray(tmp, h + 56);
      v3.lanewise(VectorOperators.LSHR, 40).intoArray(tmp, h + 64);
    }
    mul(tmp, 0, tmp, 0, FROM_MONT, 0);
    scatterGroup(tmp, dst, d, dstMap);
  }

  /**
   * Writes the group in {@code tmp} (limb-major, eight lanes) as nine limbs at {@code dst[d +
   * dstMap[j] + k]}.
   */
  private static void scatterGroup(long[] tmp, long[] dst, int d, int[] dstMap) {
    if (!VECTOR_SCATTER) {
      for (int l = 0; l < LANES; l++) {
        int t = d + dstMap[l];
        for (int k = 0; k < LIMBS; k++) {
          dst[t + k] = tmp[8 * k + l];
        }
      }
      return;
    }
    for (int h = 0; h < LANES; h += W) {
      for (int k = 0; k < LIMBS; k++) {
        LongVector.fromArray(S, tmp, h + 8 * k).intoArray(dst, d + k, dstMap, h);
      }
    }
  }

  /** {@code floor(2^50 / (P8 + 1))}: {@link #fromMont8Shift}'s quotient estimate. */
  private static final long Q_RECIP = (1L << 50) / (P8 + 1);

  /**
   * {@link #fromMont8} without the lane product: the lane form {@code x 2^261} of the {@link
   * MontField} element {@code v = x 2^256} is {@code 32 v mod p}, so the limbs are cut five bits
   * up, a quotient {@code q} in {@code [floor(32v/p) - 2, floor(32v/p)]} is estimated from the top
   * limb (a product with a reciprocal), {@code q p} is subtracted limb by limb, and two conditional
   * subtractions of {@code p} leave the canonical value: the same limbs as {@link #fromMont8}, for
   * any four-limb {@code v} below {@code 2^256}. Arguments as {@link #fromMont8}.
   */
  public static void fromMont8Shift(
      long[] src, int so, int[] srcMap, long[] dst, int d, int[] dstMap, long[] tmp) {
    for (int h = 0; h < LANES; h += W) {
      LongVector v0 = LongVector.fromArray(S, src, so, srcMap, h);
      LongVector v1 = LongVector.fromArray(S, src, so + 1, srcMap, h);
      LongVector v2 = LongVector.fromArray(S, src, so + 2, srcMap, h);
      LongVector v3 = LongVector.fromArray(S, src, so + 3, srcMap, h);
      // limb k of 32 v holds bits 29k - 5 .. 29k + 23 of v
      LongVector t0 = v0.lanewise(VectorOperators.LSHL, 5).and(MASK);
      LongVector t1 = v0.lanewise(VectorOperators.LSHR, 24).and(MASK);
      LongVector t2 =
          v0.lanewise(VectorOperators.LSHR, 53).or(v1.lanewise(VectorOperators.LSHL, 11)).and(MASK);
      LongVector t3 = v1.lanewise(VectorOperators.LSHR, 18).and(MASK);
      LongVector t4 =
          v1.lanewise(VectorOperators.LSHR, 47).or(v2.lanewise(VectorOperators.LSHL, 17)).and(MASK);
      LongVector t5 = v2.lanewise(VectorOperators.LSHR, 12).and(MASK);
      LongVector t6 =
          v2.lanewise(VectorOperators.LSHR, 41).or(v3.lanewise(VectorOperators.LSHL, 23)).and(MASK);
      LongVector t7 = v3.lanewise(VectorOperators.LSHR, 6).and(MASK);
      LongVector t8 = v3.lanewise(VectorOperators.LSHR, 35);
      // q <= 32 v / p (t8 / (P8 + 1) bounds it from below by less than one), at most two short
      LongVector q = t8.mul(Q_RECIP).lanewise(VectorOperators.LSHR, 50);
      LongVector x;
      x = t0.sub(q.mul(P0));
      t0 = x.and(MASK);
      x = t1.sub(q.mul(P1)).add(x.lanewise(VectorOperators.ASHR, 29));
      t1 = x.and(MASK);
      x = t2.sub(q.mul(P2)).add(x.lanewise(VectorOperators.ASHR, 29));
      t2 = x.and(MASK);
      x = t3.sub(q.mul(P3)).add(x.lanewise(VectorOperators.ASHR, 29));
      t3 = x.and(MASK);
      x = t4.sub(q.mul(P4)).add(x.lanewise(VectorOperators.ASHR, 29));
      t4 = x.and(MASK);
      x = t5.sub(q.mul(P5)).add(x.lanewise(VectorOperators.ASHR, 29));
      t5 = x.and(MASK);
      x = t6.sub(q.mul(P6)).add(x.lanewise(VectorOperators.ASHR, 29));
      t6 = x.and(MASK);
      x = t7.sub(q.mul(P7)).add(x.lanewise(VectorOperators.ASHR, 29));
      t7 = x.and(MASK);
      t8 = t8.sub(q.mul(P8)).add(x.lanewise(VectorOperators.ASHR, 29));
      // now below 3p: subtract p twice where that does not borrow
      for (int round = 0; round < 2; round++) {
        LongVector d0 = t0.sub(P0);
        LongVector d1 = t1.sub(P1).sub(d0.lanewise(VectorOperators.LSHR, 63));
        LongVector d2 = t2.sub(P2).sub(d1.lanewise(VectorOperators.LSHR, 63));
        LongVector d3 = t3.sub(P3).sub(d2.lanewise(VectorOperators.LSHR, 63));
        LongVector d4 = t4.sub(P4).sub(d3.lanewise(VectorOperators.LSHR, 63));
        LongVector d5 = t5.sub(P5).sub(d4.lanewise(VectorOperators.LSHR, 63));
        LongVector d6 = t6.sub(P6).sub(d5.lanewise(VectorOperators.LSHR, 63));
        LongVector d7 = t7.sub(P7).sub(d6.lanewise(VectorOperators.LSHR, 63));
        LongVector d8 = t8.sub(P8).sub(d7.lanewise(VectorOperators.LSHR, 63));
        VectorMask<Long> ge = d8.compare(VectorOperators.GE, 0L);
        t0 = t0.blend(d0.and(MASK), ge);
        t1 = t1.blend(d1.and(MASK), ge);
        t2 = t2.blend(d2.and(MASK), ge);
        t3 = t3.blend(d3.and(MASK), ge);
        t4 = t4.blend(d4.and(MASK), ge);
        t5 = t5.blend(d5.and(MASK), ge);
        t6 = t6.blend(d6.and(MASK), ge);
        t7 = t7.blend(d7.and(MASK), ge);
        t8 = t8.blend(d8, ge);
      }
      t0.intoArray(tmp, h + 0);
      t1.intoArray(tmp, h + 8);
      t2.intoArray(tmp, h + 16);
      t3.intoArray(tmp, h + 24);
      t4.intoArray(tmp, h + 32);
      t5.intoArray(tmp, h + 40);
      t6.intoArray(tmp, h + 48);
      t7.intoArray(tmp, h + 56);
      t8.intoArray(tmp, h + 64);
    }
    scatterGroup(tmp, dst, d, dstMap);
  }

  /**
   * Reads the lane-form element at {@code src[s + k * stride]} into {@code x[xo..xo+3]} as a {@link
   * MontField} element; {@code tmp} holds four longs.
   */
  public static void toMont(long[] src, int s, int stride, long[] x, int xo, long[] tmp) {
    join(src, s, stride, tmp);
    Bn254.FP.mul(x, xo, tmp, 0, FROM_LANES, 0);
  }

  /**
   * Inverts the eight lanes of the group at {@code ao} into the group at {@code ro} (no lane may be
   * zero), by one scalar inversion shared through Montgomery's trick; {@code tmp} holds 80 longs.
   */
  public static void invLanes(long[] r, int ro, long[] a, int ao, long[] tmp) {
    // tmp[4l..]: lane l as a plain 256-bit integer S_l; tmp[32 + 4l..]: prefix products
    for (int l = 0; l < LANES; l++) {
      join(a, ao + l, LANES, tmp, 4 * l);
    }
    MontField f = Bn254.FP;
    MontField.copy(tmp, 32, tmp, 0);
    for (int l = 1; l < LANES; l++) {
      f.mul(tmp, 32 + 4 * l, tmp, 32 + 4 * (l - 1), tmp, 4 * l);
    }
    // read as MontField elements s_l = S_l / 2^256: the inverse's form is S_l^-1 2^512
    int inv = 64;
    int one = 68;
    f.invPublic(tmp, inv, tmp, 32 + 4 * (LANES - 1));
    for (int l = LANES - 1; l >= 0; l--) {
      if (l > 0) {
        f.mul(tmp, one, tmp, inv, tmp, 32 + 4 * (l - 1));
        f.mul(tmp, inv, tmp, inv, tmp, 4 * l);
      } else {
        MontField.copy(tmp, one, tmp, inv);
      }
      // lane form of the inverse: S_l^-1 2^522
      f.mul(tmp, 72, tmp, one, INV_FIX, 0);
      split(tmp, 72, r, ro + l, LANES);
    }
  }

  /** {@code dst[d + k * stride] = -src[s + k * stride] mod p} for one element. */
  public static void neg(long[] src, int s, int stride, long[] dst, int d) {
    long nz = 0;
    for (int k = 0; k < LIMBS; k++) {
      nz |= src[s + k * stride];
    }
    if (nz == 0) {
      for (int k = 0; k < LIMBS; k++) {
        dst[d + k * stride] = 0;
      }
      return;
    }
    long bw = 0;
    for (int k = 0; k < LIMBS; k++) {
      long v = P_LIMBS[k] - src[s + k * stride] - bw;
      bw = v >>> 63;
      dst[d + k * stride] = v & MASK;
    }
  }

  private static void split(long[] v, long[] dst, int d, int stride) {
    split(v, 0, dst, d, stride);
  }

  private static void split(long[] v, int vo, long[] dst, int d, int stride) {
    for (int k = 0; k < LIMBS; k++) {
      int bit = 29 * k;
      int limb = bit >>> 6;
      int sh = bit & 63;
      long x = v[vo + limb] >>> sh;
      if (sh > 64 - 29 && limb < 3) {
        x |= v[vo + limb + 1] << (64 - sh);
      }
      dst[d + k * stride] = x & MASK;
    }
  }

  private static void join(long[] src, int s, int stride, long[] v) {
    join(src, s, stride, v, 0);
  }

  private static void join(long[] src, int s, int stride, long[] v, int vo) {
    v[vo] = 0;
    v[vo + 1] = 0;
    v[vo + 2] = 0;
    v[vo + 3] = 0;
    for (int k = 0; k < LIMBS; k++) {
      long x = src[s + k * stride];
      int bit = 29 * k;
      int limb = bit >>> 6;
      int sh = bit & 63;
      v[vo + limb] |= x << sh;
      if (sh > 64 - 29 && limb < 3) {
        v[vo + limb + 1] |= x >>> (64 - sh);
      }
    }
  }
}
