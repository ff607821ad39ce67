package dev.agentledger.zk.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.LongVector;
import org.junit.jupiter.api.Test;

class Fp29x8Test {
  private static final BigInteger P = Bn254.P;
  private static final MontField F = Bn254.FP;
  private static final int GROUPS = 64;
  private static final int N = GROUPS * Fp29x8.LANES;

  private static BigInteger[] values(long seed) {
    Random rnd = new Random(seed);
    BigInteger[] v = new BigInteger[N];
    for (int i = 0; i < N; i++) {
      v[i] =
          switch (i % 37) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.ONE;
            case 2 -> P.subtract(BigInteger.ONE);
            case 3 -> P.subtract(BigInteger.TWO);
            case 4 -> BigInteger.ONE.shiftLeft(253);
            default -> new BigInteger(260, rnd).mod(P);
          };
    }
    return v;
  }

  private static int at(int i) {
    return (i / Fp29x8.LANES) * Fp29x8.GROUP + i % Fp29x8.LANES;
  }

  private static long[] lanes(BigInteger[] v) {
    long[] out = new long[GROUPS * Fp29x8.GROUP];
    long[] m = new long[4];
    long[] tmp = new long[4];
    for (int i = 0; i < N; i++) {
      F.fromBigInteger(m, 0, v[i]);
      Fp29x8.fromMont(m, 0, out, at(i), Fp29x8.LANES, tmp);
    }
    return out;
  }

  private static BigInteger value(long[] lanes, int i) {
    long[] m = new long[4];
    Fp29x8.toMont(lanes, at(i), Fp29x8.LANES, m, 0, new long[4]);
    return F.toBigInteger(m, 0);
  }

  private static void assertCanonical(long[] lanes, int i) {
    BigInteger raw = BigInteger.ZERO;
    for (int k = Fp29x8.LIMBS - 1; k >= 0; k--) {
      long limb = lanes[at(i) + k * Fp29x8.LANES];
      assertThat(limb).isBetween(0L, (1L << 29) - 1);
      raw = raw.shiftLeft(29).add(BigInteger.valueOf(limb));
    }
    assertThat(raw).isLessThan(P);
  }

  @Test
  void laneFormRoundTrips() {
    BigInteger[] a = values(1);
    long[] la = lanes(a);
    for (int i = 0; i < N; i++) {
      assertThat(value(la, i)).isEqualTo(a[i]);
      assertCanonical(la, i);
    }
  }

  /**
   * The eight-at-once conversion writes what the one-element conversion writes, for edge values (0,
   * 1, p - 1, p - 2, 2^253) and random ones, through strided sources and destinations.
   */
  @Test
  void eightAtOnceConversionEqualsOneAtATime() {
    BigInteger[] a = values(4);
    int srcStride = 8;
    int dstStride = 18;
    long[] src = new long[N * srcStride];
    for (int i = 0; i < N; i++) {
      F.fromBigInteger(src, srcStride * i + 4, a[i]);
    }
    long[] want = new long[N * dstStride];
    long[] got = new long[N * dstStride];
    Arrays.fill(got, -1L);
    long[] tmp = new long[Fp29x8.GROUP];
    for (int i = 0; i < N; i++) {
      Fp29x8.fromMont(src, srcStride * i + 4, want, dstStride * i + 9, 1, tmp);
    }
    int[] srcMap = Fp29x8.strideMap(srcStride);
    int[] dstMap = Fp29x8.strideMap(dstStride);
    for (int i = 0; i < N; i += Fp29x8.LANES) {
      Fp29x8.fromMont8(src, srcStride * i + 4, srcMap, got, dstStride * i + 9, dstMap, tmp);
    }
    for (int i = 0; i < N; i++) {
      assertThat(Arrays.copyOfRange(got, dstStride * i + 9, dstStride * i + 18))
          .as("element %d (%s)", i, a[i])
          .isEqualTo(Arrays.copyOfRange(want, dstStride * i + 9, dstStride * i + 18));
      // the first nine longs of each destination are not written
      assertThat(Arrays.copyOfRange(got, dstStride * i, dstStride * i + 9)).containsOnly(-1L);
    }
  }

  /**
   * The conversion by a shift and a reduction writes what the one by a lane product writes, for raw
   * Montgomery limbs around every multiple {@code k p / 32} (the quotient's edges), 0, 1, p - 1,
   * values up to {@code 2^256 - 1}, and random ones.
   */
  @Test
  void shiftConversionEqualsProductConversion() {
    java.util.List<BigInteger> raw = new java.util.ArrayList<>();
    for (int k = 0; k <= 40; k++) {
      BigInteger edge = P.multiply(BigInteger.valueOf(k)).shiftRight(5);
      for (int delta = -2; delta <= 2; delta++) {
        raw.add(edge.add(BigInteger.valueOf(delta)));
      }
    }
    raw.add(P.subtract(BigInteger.ONE));
    raw.add(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE));
    raw.add(BigInteger.ONE.shiftLeft(255));
    Random rnd = new Random(7);
    while (raw.size() % Fp29x8.LANES != 0 || raw.size() < 512) {
      raw.add(new BigInteger(rnd.nextBoolean() ? 256 : 254, rnd));
    }
    int n = raw.size();
    long[] src = new long[n * 8];
    for (int i = 0; i < n; i++) {
      BigInteger v = raw.get(i).max(BigInteger.ZERO);
      for (int k = 0; k < 4; k++) {
        src[8 * i + k] = v.shiftRight(64 * k).longValue();
      }
    }
    long[] want = new long[n * 18];
    long[] got = new long[n * 18];
    long[] tmp = new long[Fp29x8.GROUP];
    int[] srcMap = Fp29x8.strideMap(8);
    int[] dstMap = Fp29x8.strideMap(18);
    for (int i = 0; i < n; i += Fp29x8.LANES) {
      Fp29x8.fromMont8(src, 8 * i, srcMap, want, 18 * i, dstMap, tmp);
      Fp29x8.fromMont8Shift(src, 8 * i, srcMap, got, 18 * i, dstMap, tmp);
    }
    for (int i = 0; i < n; i++) {
      assertThat(Arrays.copyOfRange(got, 18 * i, 18 * i + 9))
          .as("element %d (%s)", i, raw.get(i))
          .isEqualTo(Arrays.copyOfRange(want, 18 * i, 18 * i + 9));
    }
  }

  @Test
  void productsDifferencesAndNegationsMatchBigInteger() {
    BigInteger[] a = values(2);
    BigInteger[] b = values(3);
    // pair the edge values of a with random values of b and with each other
    b[5] = P.subtract(BigInteger.ONE);
    long[] la = lanes(a);
    long[] lb = lanes(b);
    long[] r = new long[la.length];
    long[] signs = new long[N];
    for (int i = 0; i < N; i++) {
      signs[i] = i % 3 == 0 ? 1 : 0;
    }
    for (int g = 0; g < GROUPS; g++) {
      Fp29x8.mul(r, g * Fp29x8.GROUP, la, g * Fp29x8.GROUP, lb, g * Fp29x8.GROUP);
    }
    for (int i = 0; i < N; i++) {
      assertThat(value(r, i)).as("%s * %s", a[i], b[i]).isEqualTo(a[i].multiply(b[i]).mod(P));
      assertCanonical(r, i);
    }
    for (int g = 0; g < GROUPS; g++) {
      Fp29x8.sub(r, g * Fp29x8.GROUP, la, g * Fp29x8.GROUP, lb, g * Fp29x8.GROUP);
    }
    for (int i = 0; i < N; i++) {
      assertThat(value(r, i)).isEqualTo(a[i].subtract(b[i]).mod(P));
      assertCanonical(r, i);
    }
    for (int g = 0; g < GROUPS; g++) {
      Fp29x8.negWhere(r, g * Fp29x8.GROUP, la, g * Fp29x8.GROUP, signs, g * Fp29x8.LANES);
    }
    for (int i = 0; i < N; i++) {
      BigInteger want = signs[i] != 0 ? a[i].negate().mod(P) : a[i];
      assertThat(value(r, i)).isEqualTo(want);
      assertCanonical(r, i);
    }
    for (int i = 0; i < N; i++) {
      Fp29x8.neg(la, at(i), Fp29x8.LANES, r, at(i));
      assertThat(value(r, i)).isEqualTo(a[i].negate().mod(P));
      assertCanonical(r, i);
    }
  }

  /**
   * The limbs of lane {@code i} as one integer, each limb weighted {@code 2^29k} (carries added).
   */
  private static BigInteger raw(long[] lanes, int i) {
    BigInteger v = BigInteger.ZERO;
    for (int k = Fp29x8.LIMBS - 1; k >= 0; k--) {
      v = v.shiftLeft(29).add(BigInteger.valueOf(lanes[at(i) + k * Fp29x8.LANES]));
    }
    return v;
  }

  private static final BigInteger R_INV = BigInteger.ONE.shiftLeft(261).modInverse(P);

  private static void assertLazy(long[] lanes, int i, BigInteger want, int limbBits, int bound) {
    for (int k = 0; k < Fp29x8.LIMBS; k++) {
      assertThat(lanes[at(i) + k * Fp29x8.LANES]).isBetween(0L, (1L << limbBits) - 1);
    }
    BigInteger v = raw(lanes, i);
    assertThat(v).isLessThanOrEqualTo(P.multiply(BigInteger.valueOf(bound)));
    assertThat(v.multiply(R_INV).mod(P)).isEqualTo(want);
  }

  /**
   * The lazy differences (no carries) stay below {@code 2^31} per limb and {@code 3p} / {@code 4p}
   * in value, the lazy products below {@code 2^29} per limb and {@code 2p}, and products of a lazy
   * difference with a lazy product equal {@code BigInteger}'s, canonical from {@link Fp29x8#mul};
   * the edge values pair 0 with {@code p - 1} both ways (the extremes of each bound).
   */
  @Test
  void lazyDifferencesAndProductsKeepTheirBounds() {
    BigInteger[] a = values(12);
    BigInteger[] b = values(13);
    for (int i = 0; i < N; i += 37) {
      a[i + 2] = BigInteger.ZERO;
      b[i + 2] = P.subtract(BigInteger.ONE);
      a[i + 3] = P.subtract(BigInteger.ONE);
      b[i + 3] = BigInteger.ZERO;
      b[i] = BigInteger.ZERO;
      b[i + 1] = P.subtract(BigInteger.ONE);
    }
    long[] la = lanes(a);
    long[] lb = lanes(b);
    int gr = Fp29x8.GROUP;
    long[] d = new long[la.length];
    long[] e = new long[la.length];
    long[] m = new long[la.length];
    long[] r = new long[la.length];
    int[] lanes = new int[GROUPS];
    for (int g = 0; g < GROUPS; g++) {
      lanes[g] = (g * 37 + 11) & 0xff;
      Fp29x8.subLazy(d, g * gr, la, g * gr, lb, g * gr);
      Fp29x8.negSubLazy(e, g * gr, la, g * gr, lb, g * gr, lanes[g]);
      Fp29x8.mulLazy(m, g * gr, la, g * gr, lb, g * gr);
    }
    for (int i = 0; i < N; i++) {
      BigInteger ab = a[i].multiply(b[i]).mod(P);
      assertLazy(d, i, a[i].subtract(b[i]).mod(P), 31, 3);
      boolean neg = (lanes[i / Fp29x8.LANES] & (1 << (i % Fp29x8.LANES))) != 0;
      BigInteger want = (neg ? a[i].negate() : a[i]).subtract(b[i]).mod(P);
      assertLazy(e, i, want, 31, 4);
      assertLazy(m, i, ab, 29, 2);
    }
    // a lazy difference times a lazy product, lazy and canonical, single and interleaved
    for (int g = 0; g < GROUPS; g++) {
      Fp29x8.mulLazy(r, g * gr, e, g * gr, m, g * gr);
    }
    long[] c = new long[la.length];
    for (int g = 0; g + 1 < GROUPS; g += 2) {
      Fp29x8.mul(c, g * gr, m, g * gr, e, g * gr);
      Fp29x8.mul(c, (g + 1) * gr, d, (g + 1) * gr, m, (g + 1) * gr);
    }
    long[] r2 = new long[la.length];
    for (int g = 0; g + 1 < GROUPS; g += 2) {
      Fp29x8.mul2Lazy(
          r2, g * gr, e, g * gr, m, g * gr, r2, (g + 1) * gr, e, (g + 1) * gr, m, (g + 1) * gr);
    }
    for (int i = 0; i < N; i++) {
      boolean neg = (lanes[i / Fp29x8.LANES] & (1 << (i % Fp29x8.LANES))) != 0;
      BigInteger ei = (neg ? a[i].negate() : a[i]).subtract(b[i]);
      BigInteger di = a[i].subtract(b[i]);
      BigInteger ab = a[i].multiply(b[i]);
      assertLazy(r, i, ei.multiply(ab).mod(P), 29, 2);
      assertLazy(r2, i, ei.multiply(ab).mod(P), 29, 2);
      BigInteger cw = (i / Fp29x8.LANES % 2 == 0 ? ei : di).multiply(ab).mod(P);
      assertThat(value(c, i)).isEqualTo(cw);
      assertCanonical(c, i);
    }
  }

  @Test
  void equalLanesComparesLimbs() {
    BigInteger[] a = values(14);
    BigInteger[] b = values(15);
    for (int i = 0; i < N; i += 3) {
      b[i] = a[i];
    }
    long[] la = lanes(a);
    long[] lb = lanes(b);
    for (int g = 0; g < GROUPS; g++) {
      int bits = Fp29x8.equalLanes(la, g * Fp29x8.GROUP, lb, g * Fp29x8.GROUP);
      for (int l = 0; l < Fp29x8.LANES; l++) {
        int i = g * Fp29x8.LANES + l;
        assertThat((bits >>> l) & 1).as("lane %d", i).isEqualTo(a[i].equals(b[i]) ? 1 : 0);
      }
    }
  }

  @Test
  void productMayAliasItsOperands() {
    BigInteger[] a = values(4);
    long[] la = lanes(a);
    for (int g = 0; g < GROUPS; g++) {
      Fp29x8.mul(la, g * Fp29x8.GROUP, la, g * Fp29x8.GROUP, la, g * Fp29x8.GROUP);
    }
    for (int i = 0; i < N; i++) {
      assertThat(value(la, i)).isEqualTo(a[i].multiply(a[i]).mod(P));
    }
  }

  @Test
  void laneInversionMatchesBigInteger() {
    Random rnd = new Random(5);
    BigInteger[] a = values(6);
    for (int i = 0; i < N; i++) {
      if (a[i].signum() == 0) {
        a[i] = BigInteger.valueOf(1 + rnd.nextInt(1000));
      }
    }
    long[] la = lanes(a);
    long[] r = new long[la.length];
    long[] tmp = new long[80];
    for (int g = 0; g < GROUPS; g++) {
      Fp29x8.invLanes(r, g * Fp29x8.GROUP, la, g * Fp29x8.GROUP, tmp);
    }
    for (int i = 0; i < N; i++) {
      assertThat(value(r, i)).isEqualTo(a[i].modInverse(P));
      assertCanonical(r, i);
    }
  }

  @Test
  void gatherScatterBroadcastSelectAndZeroLanes() {
    BigInteger[] a = values(7);
    long[] la = lanes(a);
    int g0 = Fp29x8.GROUP;
    // elements one by one (nine limbs each), gathered into a group in reverse order
    long[] flat = new long[N * Fp29x8.LIMBS];
    for (int i = 0; i < N; i++) {
      for (int k = 0; k < Fp29x8.LIMBS; k++) {
        flat[i * Fp29x8.LIMBS + k] = la[at(i) + k * Fp29x8.LANES];
      }
    }
    int[] idx = new int[Fp29x8.LANES];
    for (int l = 0; l < Fp29x8.LANES; l++) {
      idx[l] = (40 - 3 * l) * Fp29x8.LIMBS;
    }
    long[] r = new long[2 * g0];
    Fp29x8.gather(r, g0, flat, 0, idx, 0);
    for (int l = 0; l < Fp29x8.LANES; l++) {
      assertThat(value(r, Fp29x8.LANES + l)).isEqualTo(a[40 - 3 * l]);
    }
    long[] back = new long[flat.length];
    Fp29x8.scatter(r, g0, back, 0, idx, 0);
    for (int l = 0; l < Fp29x8.LANES; l++) {
      int o = (40 - 3 * l) * Fp29x8.LIMBS;
      assertThat(Arrays.copyOfRange(back, o, o + Fp29x8.LIMBS))
          .isEqualTo(Arrays.copyOfRange(flat, o, o + Fp29x8.LIMBS));
    }
    Fp29x8.broadcast(r, 0, flat, 9 * Fp29x8.LIMBS);
    for (int l = 0; l < Fp29x8.LANES; l++) {
      assertThat(value(r, l)).isEqualTo(a[9]);
    }
    // select lanes 0, 2 and 7 from the gathered group, the broadcast elsewhere
    Fp29x8.select(r, 0, r, g0, r, 0, 0b1000_0101);
    for (int l = 0; l < Fp29x8.LANES; l++) {
      boolean picked = l == 0 || l == 2 || l == 7;
      assertThat(value(r, l)).isEqualTo(picked ? a[40 - 3 * l] : a[9]);
    }
    Fp29x8.setOneWhere(r, 0, 0b0100_0010);
    assertThat(value(r, 1)).isEqualTo(BigInteger.ONE);
    assertThat(value(r, 6)).isEqualTo(BigInteger.ONE);
    assertThat(value(r, 0)).isEqualTo(a[40]);
    // values(): element 0 of every 37 is zero
    for (int g = 0; g < GROUPS; g++) {
      int want = 0;
      for (int l = 0; l < Fp29x8.LANES; l++) {
        if (a[g * Fp29x8.LANES + l].signum() == 0) {
          want |= 1 << l;
        }
      }
      assertThat(Fp29x8.zeroLanes(la, g * g0)).isEqualTo(want);
    }
  }

  @Test
  void packedPointsRoundTripThroughGatherAndScatter() {
    // point i: x = a[i], y = b[i]; values() includes 0, 1, p - 1, p - 2 and 2^253
    BigInteger[] a = values(11);
    BigInteger[] b = values(12);
    long[] la = lanes(a);
    long[] lb = lanes(b);
    int limbs = Fp29x8.LIMBS;
    long[] packed = new long[N * Fp29x8.PACKED];
    long[] one = new long[2 * limbs];
    long[] back = new long[2 * limbs];
    for (int i = 0; i < N; i++) {
      for (int k = 0; k < limbs; k++) {
        one[k] = la[at(i) + k * Fp29x8.LANES];
        one[limbs + k] = lb[at(i) + k * Fp29x8.LANES];
      }
      Fp29x8.pack(one, 0, packed, i * Fp29x8.PACKED);
      Fp29x8.unpack(packed, i * Fp29x8.PACKED, back, 0);
      assertThat(back).isEqualTo(one);
    }
    int g0 = Fp29x8.GROUP;
    for (int g = 0; g < GROUPS; g++) {
      // lane l reads point (7 g + 5 l) mod N: eight distinct points in no order
      int[] idx = new int[Fp29x8.LANES];
      for (int l = 0; l < Fp29x8.LANES; l++) {
        idx[l] = ((7 * g + 5 * l) % N) * Fp29x8.PACKED;
      }
      long[] x = new long[2 * g0];
      long[] y = new long[2 * g0];
      Fp29x8.gatherPacked(x, g0, y, g0, packed, idx, 0, new long[Fp29x8.GROUP]);
      for (int l = 0; l < Fp29x8.LANES; l++) {
        int i = (7 * g + 5 * l) % N;
        assertThat(value(x, Fp29x8.LANES + l)).isEqualTo(a[i]);
        assertThat(value(y, Fp29x8.LANES + l)).isEqualTo(b[i]);
        assertCanonical(x, Fp29x8.LANES + l);
        assertCanonical(y, Fp29x8.LANES + l);
      }
      // written back swapped (y as x, x as y), then read again
      long[] other = packed.clone();
      Fp29x8.scatterPacked(y, g0, x, g0, other, idx, 0, new long[Fp29x8.GROUP]);
      for (int i = 0; i < N; i++) {
        int lane = -1;
        for (int l = 0; l < Fp29x8.LANES; l++) {
          if (idx[l] == i * Fp29x8.PACKED) {
            lane = l;
          }
        }
        Fp29x8.unpack(other, i * Fp29x8.PACKED, back, 0);
        for (int k = 0; k < limbs; k++) {
          long wantX = (lane < 0 ? la : lb)[at(i) + k * Fp29x8.LANES];
          long wantY = (lane < 0 ? lb : la)[at(i) + k * Fp29x8.LANES];
          assertThat(back[k]).isEqualTo(wantX);
          assertThat(back[limbs + k]).isEqualTo(wantY);
        }
      }
    }
  }

  @Test
  void interleavedProductsEqualSingleProductsEvenWhenAliased() {
    BigInteger[] a = values(8);
    BigInteger[] b = values(9);
    long[] la = lanes(a);
    long[] lb = lanes(b);
    int gr = Fp29x8.GROUP;
    for (int g = 0; g + 1 < GROUPS; g += 2) {
      long[] want1 = new long[gr];
      long[] want2 = new long[gr];
      Fp29x8.mul(want1, 0, la, g * gr, lb, g * gr);
      Fp29x8.mul(want2, 0, la, g * gr, lb, (g + 1) * gr);
      long[] r = new long[2 * gr];
      Fp29x8.mul2(r, 0, la, g * gr, lb, g * gr, r, gr, la, g * gr, lb, (g + 1) * gr);
      assertThat(Arrays.copyOfRange(r, 0, gr)).isEqualTo(want1);
      assertThat(Arrays.copyOfRange(r, gr, 2 * gr)).isEqualTo(want2);
      // the second result written over an operand of both products
      long[] x = Arrays.copyOfRange(la, g * gr, (g + 1) * gr);
      Fp29x8.mul2(r, 0, x, 0, lb, g * gr, x, 0, x, 0, lb, (g + 1) * gr);
      assertThat(Arrays.copyOfRange(r, 0, gr)).isEqualTo(want1);
      assertThat(x).isEqualTo(want2);
    }
  }

  @Test
  void lanesAndBitsPropertiesParse() {
    assertThat(Fp29x8.lanesByDefault("vector")).isTrue();
    assertThat(Fp29x8.lanesByDefault(" Scalar ")).isFalse();
    boolean wide = LongVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    assertThat(Fp29x8.lanesByDefault("auto")).isEqualTo(wide);
    assertThat(Fp29x8.lanesByDefault("")).isEqualTo(wide);
    assertThatThrownBy(() -> Fp29x8.lanesByDefault("avx2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Fp29x8.LANES_PROPERTY);
    assertThat(Fp29x8.species("256").vectorBitSize()).isEqualTo(256);
    assertThat(Fp29x8.species("512").vectorBitSize()).isEqualTo(512);
    assertThat(Fp29x8.species("").vectorBitSize())
        .isEqualTo(LongVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 512 : 256);
    assertThatThrownBy(() -> Fp29x8.species("128"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Fp29x8.BITS_PROPERTY);
  }
}
