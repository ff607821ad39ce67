package dev.agentledger.zk.field;

import java.math.BigInteger;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An experiment: the BN254 base-field product on eight lanes with double-precision FMA, five 51-bit
 * limbs per element, Montgomery radix {@code R = 2^255}. A group of eight elements is limb-major in
 * 40 longs (limb {@code k} of lane {@code l} at {@code 8k + l}); stored values are canonical (limbs
 * below {@code 2^51}, value below {@code p}). Only the product exists (no MSM uses it): measured
 * against {@link Fp29x8#mul} on this machine's AVX2 it is at best 1.2x faster, below the 1.3x that
 * would pay for a second lane field in the MSM (see zk/README.md, "Lane path and vector width").
 *
 * <p>Why every step is exact (round to nearest, doubles of 53 significant bits):
 *
 * <ul>
 *   <li>A limb {@code x < 2^52} becomes a double exactly: the bits {@code x | bits(2^52)} are the
 *       double {@code 2^52 + x}, and {@code (2^52 + x) - 2^52} is exact (Sterbenz).
 *   <li>Each partial product {@code a b} (limbs {@code < 2^51}: {@code 0 <= ab < 2^102}) or {@code
 *       m p_j} ({@code |m| <= 2^50}, {@code p_j < 2^51}: {@code |m p_j| < 2^101}) is split by
 *       {@code hi = fma(a, b, C1)} with {@code C1 = 1.5 * 2^103}: the exact sum lies in {@code
 *       (2^103, 2^104)}, where the spacing of doubles is {@code 2^51}, so {@code hi = C1 + h} with
 *       {@code h} a multiple of {@code 2^51} and {@code |ab - h| <= 2^50}.
 *   <li>{@code C2 = C1 + 3 * 2^51} spans bits 103 to 51 (53 bits): it is a double. {@code C2 - hi =
 *       3 * 2^51 - h} is a multiple of {@code 2^51} below {@code 2^104} in magnitude, so exact;
 *       {@code lo = fma(a, b, C2 - hi) = ab - h + 3 * 2^51} lies in {@code [2^52 + 2^50, 2^53 -
 *       2^50]}, an integer where the spacing is 1: exact (one rounding, of a representable value).
 *   <li>As integers: {@code bits(hi) = bits(C1) + h / 2^51} and {@code bits(lo) = bits(3 * 2^51) +
 *       (ab - h)} (both stay inside one binade). The columns add these raw bits in 64-bit lanes
 *       (wrapping); each column starts at minus the sum of the offsets it will receive, a constant
 *       ({@link #START}), so after its last term it holds its true value.
 *   <li>{@code m = (t mod 2^51) * mu mod 2^51}, {@code mu = -p^-1 mod 2^51}, taken signed: with
 *       {@code tp = 2^52 + tl} (the bits {@code tl | bits(2^52)}) and {@code C1M = C1 - 2^52 mu} (a
 *       multiple of {@code 2^52} in {@code (2^102, 2^104)}: a double), {@code fma(tp, mu, C1M)} has
 *       the exact sum {@code tl mu + C1}, so it is {@code hi} as above, and {@code m = fma(tp, mu,
 *       C1M - hi) = tl mu - h}, {@code |m| <= 2^50} ({@code C1M - hi = -2^52 mu - h}, a multiple of
 *       {@code 2^51} below {@code 2^104}: exact). The offsets' bits are multiples of {@code 2^51},
 *       so {@code t mod 2^51} can be read before the column is complete.
 *   <li>The carry of column {@code i}: {@code T + m p0 = 0 mod 2^51}, so {@code (T + m p0) / 2^51 =
 *       (T - tl) / 2^51 + N} with {@code N = (m p0 + tl) / 2^51} an integer, {@code |N| <= 2^50 +
 *       1}; {@code fma(m, p0 / 2^51, tl / 2^51)} has that exact sum (the scalings by powers of two
 *       are exact, {@code tl / 2^51 = fma(tp, 2^-51, -2)}), so it is {@code N}, and {@code N + 3 *
 *       2^51} an integer in {@code [2^52, 2^53)}: exact, read from its bits.
 *   <li>Every column carries a bias of {@code 2^62} when complete (in its start value, less the
 *       {@code 2^11} its carry in brings), so that carries are logical shifts: AVX2 has no 64-bit
 *       arithmetic shift, and the Vector API's fallback for it allocates.
 * </ul>
 *
 * <p>Bounds: a column receives per round at most two low parts ({@code <= 2^50} each) and two high
 * parts ({@code |h / 2^51| <= 2^51}), over at most five rounds, plus a carry below {@code 2^55}:
 * far inside 63 bits. The result {@code (ab + M p) / R} with {@code |M| < 2^254 (1 + 2^-50)} lies
 * in {@code (-p/2 - 1, p)} for canonical inputs ({@code ab / R < p / 2}); one conditional addition
 * of {@code p} where it is negative makes it canonical.
 */
public final class Fp51x8 {
  /** Lanes per group. */
  public static final int LANES = 8;

  /** Limbs per element. */
  public static final int LIMBS = 5;

  /** Longs per group of eight elements. */
  public static final int GROUP = LANES * LIMBS;

  private static final VectorSpecies<Long> SL =
      Fp29x8.species(System.getProperty(Fp29x8.BITS_PROPERTY, ""));
  private static final VectorSpecies<Double> SD =
      SL.vectorBitSize() == 512 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
  private static final int W = SL.length();

  private static final long M = (1L << 51) - 1;
  private static final double TWO52 = 0x1p52;
  private static final long B52 = Double.doubleToRawLongBits(TWO52);
  private static final double C1 = 0x1.8p103;
  private static final double C2 = C1 + 0x1.8p52;
  private static final long BC1 = Double.doubleToRawLongBits(C1);
  private static final double K = 0x1.8p52;
  private static final long BK = Double.doubleToRawLongBits(K);

  /** The modulus. */
  public static final BigInteger P = Bn254.P;

  private static final long[] P_L = limbs(P);
  private static final double P0 = P_L[0];
  private static final double P1 = P_L[1];
  private static final double P2 = P_L[2];
  private static final double P3 = P_L[3];
  private static final double P4 = P_L[4];
  private static final double P0S = P_L[0] * 0x1p-51;

  private static final double MU =
      BigInteger.ONE
          .shiftLeft(51)
          .subtract(P.modInverse(BigInteger.ONE.shiftLeft(51)))
          .doubleValue();

  /**
   * {@code C1 - 2^52 mu}: a multiple of {@code 2^52} in {@code (2^102, 2^104)}, so a double; {@code
   * fma(2^52 + t, mu, C1M)} has the exact sum {@code t mu + C1}.
   */
  private static final double C1M = C1 - 0x1p52 * MU;

  /**
   * The start value of column {@code c}: minus the offsets ({@code bits(C1)} per high part, {@code
   * bits(3 * 2^51)} per low part) its products add.
   */
  private static final long[] START = new long[2 * LIMBS];

  /** Added to each column: {@code |column| < 2^62}, so column plus bias is non-negative. */
  private static final long BIAS = 1L << 62;

  static {
    if (C2 - C1 != 0x1.8p52) {
      throw new AssertionError("C2 is not a double");
    }
    for (int r = 0; r < LIMBS; r++) {
      for (int j = 0; j < LIMBS; j++) {
        // a_r b_j, and m_r p_j but for j = 0 (its carry comes as bits(N + K))
        START[r + j] -= j == 0 ? BK : 2 * BK;
        START[r + j + 1] -= j == 0 ? BC1 + BK : 2 * BC1;
      }
    }
    // every column carries BIAS when complete, so that carries are logical shifts (AVX2 has no
    // 64-bit arithmetic shift): the carry into it adds BIAS >>> 51, which its start takes back
    for (int c = 0; c < 2 * LIMBS; c++) {
      START[c] += BIAS - (c > 0 ? BIAS >>> 51 : 0);
    }
  }

  private Fp51x8() {}

  /** {@code v} (below {@code 2^255}) as five 51-bit limbs. */
  public static long[] limbs(BigInteger v) {
    long[] out = new long[LIMBS];
    for (int k = 0; k < LIMBS; k++) {
      out[k] = v.shiftRight(51 * k).longValue() & M;
    }
    return out;
  }

  /** Lane {@code l} of the group at {@code o} as an integer. */
  public static BigInteger value(long[] a, int o, int l) {
    BigInteger v = BigInteger.ZERO;
    for (int k = LIMBS - 1; k >= 0; k--) {
      v = v.shiftLeft(51).add(BigInteger.valueOf(a[o + 8 * k + l]));
    }
    return v;
  }

  /** Stores {@code v} (below {@code 2^255}) into lane {@code l} of the group at {@code o}. */
  public static void set(long[] a, int o, int l, BigInteger v) {
    long[] x = limbs(v);
    for (int k = 0; k < LIMBS; k++) {
      a[o + 8 * k + l] = x[k];
    }
  }

  private static DoubleVector toDouble(LongVector x) {
    return x.or(B52).reinterpretAsDoubles().sub(TWO52);
  }

  private static LongVector bits(DoubleVector x) {
    return x.reinterpretAsLongs();
  }

  /** Longs of scratch {@link #mul} needs. */
  public static final int SCRATCH = 2 * LIMBS * LANES;

  /**
   * {@code r = a * b / 2^255 mod p} lane by lane for canonical groups at {@code ao}, {@code bo};
   * {@code r} may alias an operand; {@code tmp} holds at least {@link #SCRATCH} longs. The product
   * and the reduction are two methods that pass the ten columns through {@code tmp}: as one method
   * C2 stops inlining at its node budget and boxes the vectors.
   */
  public static void mul(long[] r, int ro, long[] a, int ao, long[] b, int bo, long[] tmp) {
    if (W == LANES) {
      product(tmp, 0, a, ao, b, bo);
      reduce(r, ro, tmp);
      return;
    }
    // two halves: their reductions, each a chain of dependent steps, run side by side
    product(tmp, 0, a, ao, b, bo);
    product(tmp, HALF, a, ao + W, b, bo + W);
    reduce2(tmp);
    finish(r, ro, tmp, 0);
    finish(r, ro + W, tmp, HALF);
  }

  /** As {@link #mul}, one half after the other (for comparison). */
  static void mulSerial(long[] r, int ro, long[] a, int ao, long[] b, int bo, long[] tmp) {
    for (int h = 0; h < LANES; h += W) {
      product(tmp, 0, a, ao + h, b, bo + h);
      reduce(r, ro + h, tmp);
    }
  }

  /** Offset in the scratch of the second half's columns. */
  private static final int HALF = 2 * LIMBS * 4;

  /** The ten columns of {@code a * b} (one vector's lanes), each from its start value, into tmp. */
  private static void product(long[] tmp, int to, long[] a, int ao, long[] b, int bo) {
    DoubleVector b0 = toDouble(LongVector.fromArray(SL, b, bo));
    DoubleVector b1 = toDouble(LongVector.fromArray(SL, b, bo + 8));
    DoubleVector b2 = toDouble(LongVector.fromArray(SL, b, bo + 16));
    DoubleVector b3 = toDouble(LongVector.fromArray(SL, b, bo + 24));
    DoubleVector b4 = toDouble(LongVector.fromArray(SL, b, bo + 32));
    LongVector t0 = LongVector.broadcast(SL, START[0]);
    LongVector t1 = LongVector.broadcast(SL, START[1]);
    LongVector t2 = LongVector.broadcast(SL, START[2]);
    LongVector t3 = LongVector.broadcast(SL, START[3]);
    LongVector t4 = LongVector.broadcast(SL, START[4]);
    for (int i = 0; i < LIMBS; i++) {
      DoubleVector c1 = DoubleVector.broadcast(SD, C1);
      DoubleVector c2 = DoubleVector.broadcast(SD, C2);
      DoubleVector ai = toDouble(LongVector.fromArray(SL, a, ao + 8 * i));
      LongVector t5 = LongVector.broadcast(SL, START[i + 5]);
      DoubleVector hi;
      hi = ai.fma(b0, c1);
      t0 = t0.add(bits(ai.fma(b0, c2.sub(hi))));
      t1 = t1.add(bits(hi));
      hi = ai.fma(b1, c1);
      t1 = t1.add(bits(ai.fma(b1, c2.sub(hi))));
      t2 = t2.add(bits(hi));
      hi = ai.fma(b2, c1);
      t2 = t2.add(bits(ai.fma(b2, c2.sub(hi))));
      t3 = t3.add(bits(hi));
      hi = ai.fma(b3, c1);
      t3 = t3.add(bits(ai.fma(b3, c2.sub(hi))));
      t4 = t4.add(bits(hi));
      hi = ai.fma(b4, c1);
      t4 = t4.add(bits(ai.fma(b4, c2.sub(hi))));
      t5 = t5.add(bits(hi));
      t0.intoArray(tmp, to + i * W);
      t0 = t1;
      t1 = t2;
      t2 = t3;
      t3 = t4;
      t4 = t5;
    }
    t0.intoArray(tmp, to + 5 * W);
    t1.intoArray(tmp, to + 6 * W);
    t2.intoArray(tmp, to + 7 * W);
    t3.intoArray(tmp, to + 8 * W);
    t4.intoArray(tmp, to + 9 * W);
  }

  /** Montgomery reduction of the columns in tmp into the canonical result at {@code ro}. */
  private static void reduce(long[] r, int ro, long[] tmp) {
    LongVector t0 = LongVector.fromArray(SL, tmp, 0);
    LongVector t1 = LongVector.fromArray(SL, tmp, W);
    LongVector t2 = LongVector.fromArray(SL, tmp, 2 * W);
    LongVector t3 = LongVector.fromArray(SL, tmp, 3 * W);
    LongVector t4 = LongVector.fromArray(SL, tmp, 4 * W);
    for (int i = 0; i < LIMBS; i++) {
      DoubleVector c1 = DoubleVector.broadcast(SD, C1);
      DoubleVector c2 = DoubleVector.broadcast(SD, C2);
      LongVector t5 = LongVector.fromArray(SL, tmp, (i + 5) * W);
      // m = (t0 mod 2^51) * mu mod 2^51, signed (|m| <= 2^50)
      // tp = 2^52 + tl straight from the bits; C1M = C1 - 2^52 mu takes the 2^52 back inside the
      // fma, whose exact sum is that of tl mu + C1: one rounding fewer on the chain
      DoubleVector tp = t0.and(M).or(B52).reinterpretAsDoubles();
      DoubleVector mu = DoubleVector.broadcast(SD, MU);
      DoubleVector c1m = DoubleVector.broadcast(SD, C1M);
      DoubleVector m = tp.fma(mu, c1m.sub(tp.fma(mu, c1m)));
      DoubleVector tl =
          tp.fma(DoubleVector.broadcast(SD, 0x1p-51), DoubleVector.broadcast(SD, -2.0));
      DoubleVector hi;
      DoubleVector p;
      p = DoubleVector.broadcast(SD, P1);
      hi = m.fma(p, c1);
      t1 = t1.add(bits(m.fma(p, c2.sub(hi))));
      t2 = t2.add(bits(hi));
      p = DoubleVector.broadcast(SD, P2);
      hi = m.fma(p, c1);
      t2 = t2.add(bits(m.fma(p, c2.sub(hi))));
      t3 = t3.add(bits(hi));
      p = DoubleVector.broadcast(SD, P3);
      hi = m.fma(p, c1);
      t3 = t3.add(bits(m.fma(p, c2.sub(hi))));
      t4 = t4.add(bits(hi));
      p = DoubleVector.broadcast(SD, P4);
      hi = m.fma(p, c1);
      t4 = t4.add(bits(m.fma(p, c2.sub(hi))));
      t5 = t5.add(bits(hi));
      // column i plus m p0 is 0 mod 2^51; its carry (T - tl) / 2^51 + (m p0 + tl) / 2^51 goes to
      // column i + 1, the second term exact from one fma (an integer below 2^51 in magnitude)
      DoubleVector n =
          m.fma(DoubleVector.broadcast(SD, P0S), tl).add(DoubleVector.broadcast(SD, K));
      t0 = t1.add(t0.lanewise(VectorOperators.LSHR, 51)).add(bits(n));
      t1 = t2;
      t2 = t3;
      t3 = t4;
      t4 = t5;
    }
    t0.intoArray(tmp, 0);
    t1.intoArray(tmp, W);
    t2.intoArray(tmp, 2 * W);
    t3.intoArray(tmp, 3 * W);
    t4.intoArray(tmp, 4 * W);
    finish(r, ro, tmp, 0);
  }

  /** Carries and the conditional addition of p: the five columns at {@code to} into {@code r}. */
  private static void finish(long[] r, int ro, long[] tmp, int to) {
    LongVector t0 = LongVector.fromArray(SL, tmp, to);
    LongVector t1 = LongVector.fromArray(SL, tmp, to + W);
    LongVector t2 = LongVector.fromArray(SL, tmp, to + 2 * W);
    LongVector t3 = LongVector.fromArray(SL, tmp, to + 3 * W);
    LongVector t4 = LongVector.fromArray(SL, tmp, to + 4 * W);
    t1 = t1.add(t0.lanewise(VectorOperators.LSHR, 51));
    t0 = t0.and(M);
    t2 = t2.add(t1.lanewise(VectorOperators.LSHR, 51));
    t1 = t1.and(M);
    t3 = t3.add(t2.lanewise(VectorOperators.LSHR, 51));
    t2 = t2.and(M);
    t4 = t4.add(t3.lanewise(VectorOperators.LSHR, 51)).sub(BIAS);
    t3 = t3.and(M);
    // the value is in (-p/2 - 1, p): add p where it is negative
    VectorMask<Long> neg = t4.compare(VectorOperators.LT, 0L);
    LongVector d0 = t0.add(P_L[0]);
    LongVector d1 = t1.add(P_L[1]).add(d0.lanewise(VectorOperators.LSHR, 51));
    LongVector d2 = t2.add(P_L[2]).add(d1.lanewise(VectorOperators.LSHR, 51));
    LongVector d3 = t3.add(P_L[3]).add(d2.lanewise(VectorOperators.LSHR, 51));
    LongVector d4 = t4.add(P_L[4]).add(d3.lanewise(VectorOperators.LSHR, 51));
    t0.blend(d0.and(M), neg).intoArray(r, ro);
    t1.blend(d1.and(M), neg).intoArray(r, ro + 8);
    t2.blend(d2.and(M), neg).intoArray(r, ro + 16);
    t3.blend(d3.and(M), neg).intoArray(r, ro + 24);
    t4.blend(d4, neg).intoArray(r, ro + 32);
  }

  /**
   * {@link #reduce} for both halves (columns at 0 and {@link #HALF}, left there): the loop runs the
   * rounds of the two halves alternately, so that one's dependent chain overlaps the other's.
   */
  private static void reduce2(long[] tmp) {
    LongVector t0 = LongVector.fromArray(SL, tmp, 0);
    LongVector t1 = LongVector.fromArray(SL, tmp, W);
    LongVector t2 = LongVector.fromArray(SL, tmp, 2 * W);
    LongVector t3 = LongVector.fromArray(SL, tmp, 3 * W);
    LongVector t4 = LongVector.fromArray(SL, tmp, 4 * W);
    LongVector u0 = LongVector.fromArray(SL, tmp, HALF);
    LongVector u1 = LongVector.fromArray(SL, tmp, HALF + W);
    LongVector u2 = LongVector.fromArray(SL, tmp, HALF + 2 * W);
    LongVector u3 = LongVector.fromArray(SL, tmp, HALF + 3 * W);
    LongVector u4 = LongVector.fromArray(SL, tmp, HALF + 4 * W);
    for (int k = 0; k < 2 * LIMBS; k++) {
      int to = (k & 1) * HALF;
      DoubleVector c1 = DoubleVector.broadcast(SD, C1);
      DoubleVector c2 = DoubleVector.broadcast(SD, C2);
      LongVector t5 = LongVector.fromArray(SL, tmp, to + ((k >> 1) + 5) * W);
      // m = (t0 mod 2^51) * mu mod 2^51, signed (|m| <= 2^50)
      // tp = 2^52 + tl straight from the bits; C1M = C1 - 2^52 mu takes the 2^52 back inside the
      // fma, whose exact sum is that of tl mu + C1: one rounding fewer on the chain
      DoubleVector tp = t0.and(M).or(B52).reinterpretAsDoubles();
      DoubleVector mu = DoubleVector.broadcast(SD, MU);
      DoubleVector c1m = DoubleVector.broadcast(SD, C1M);
      DoubleVector m = tp.fma(mu, c1m.sub(tp.fma(mu, c1m)));
      DoubleVector tl =
          tp.fma(DoubleVector.broadcast(SD, 0x1p-51), DoubleVector.broadcast(SD, -2.0));
      DoubleVector hi;
      DoubleVector p;
      p = DoubleVector.broadcast(SD, P1);
      hi = m.fma(p, c1);
      t1 = t1.add(bits(m.fma(p, c2.sub(hi))));
      t2 = t2.add(bits(hi));
      p = DoubleVector.broadcast(SD, P2);
      hi = m.fma(p, c1);
      t2 = t2.add(bits(m.fma(p, c2.sub(hi))));
      t3 = t3.add(bits(hi));
      p = DoubleVector.broadcast(SD, P3);
      hi = m.fma(p, c1);
      t3 = t3.add(bits(m.fma(p, c2.sub(hi))));
      t4 = t4.add(bits(hi));
      p = DoubleVector.broadcast(SD, P4);
      hi = m.fma(p, c1);
      t4 = t4.add(bits(m.fma(p, c2.sub(hi))));
      t5 = t5.add(bits(hi));
      // column i plus m p0 is 0 mod 2^51; its carry (T - tl) / 2^51 + (m p0 + tl) / 2^51 goes to
      // column i + 1, the second term exact from one fma (an integer below 2^51 in magnitude)
      DoubleVector n =
          m.fma(DoubleVector.broadcast(SD, P0S), tl).add(DoubleVector.broadcast(SD, K));
      t0 = t1.add(t0.lanewise(VectorOperators.LSHR, 51)).add(bits(n));
      t1 = t2;
      t2 = t3;
      t3 = t4;
      t4 = t5;
      // the other half's chain next: independent of this one, so the two overlap
      LongVector x;
      x = t0;
      t0 = u0;
      u0 = x;
      x = t1;
      t1 = u1;
      u1 = x;
      x = t2;
      t2 = u2;
      u2 = x;
      x = t3;
      t3 = u3;
      u3 = x;
      x = t4;
      t4 = u4;
      u4 = x;
    }
    t0.intoArray(tmp, 0);
    t1.intoArray(tmp, W);
    t2.intoArray(tmp, 2 * W);
    t3.intoArray(tmp, 3 * W);
    t4.intoArray(tmp, 4 * W);
    u0.intoArray(tmp, HALF);
    u1.intoArray(tmp, HALF + W);
    u2.intoArray(tmp, HALF + 2 * W);
    u3.intoArray(tmp, HALF + 3 * W);
    u4.intoArray(tmp, HALF + 4 * W);
  }
}
