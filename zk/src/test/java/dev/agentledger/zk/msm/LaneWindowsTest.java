package dev.agentledger.zk.msm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The G1 lane path ({@link LaneWindows}) against the scalar Pippenger ({@link BucketAccumulator},
 * itself checked against the naive sum in {@code MsmTest}) and against closed forms, on inputs that
 * reach its rare cases: doubling and cancelling in buckets and in the reduction, full waiting
 * queues, idle lanes, small top digits.
 */
class LaneWindowsTest {
  private static final CurveOps G1 = Msm.Group.G1.ops();
  private static final MontField FR = Bn254.FR;
  private static final BigInteger R = FR.modulus();

  private static long[] lanes(long[] points, long[] scalars, int n, int threads) {
    long[] out = new long[12];
    Msm.msm(Msm.Group.G1, points, scalars, n, threads, out, true);
    return out;
  }

  private static long[] scalar(long[] points, long[] scalars, int n, int threads) {
    long[] out = new long[12];
    Msm.msm(Msm.Group.G1, points, scalars, n, threads, out, false);
    return out;
  }

  private static void setScalar(long[] scalars, int i, BigInteger v) {
    long[] limbs = MontField.toLimbs(v);
    System.arraycopy(limbs, 0, scalars, 4 * i, 4);
  }

  private static BigInteger scalarAt(long[] scalars, int i) {
    return MontField.fromLimbs(scalars, 4 * i);
  }

  private static long[] times(long[] points, int i, BigInteger k) {
    long[] p = new long[12];
    long[] r = new long[12];
    G1.fromAffine(p, 0, points, 8 * i);
    G1.mulPublic(r, 0, p, 0, k.mod(R));
    return r;
  }

  @ParameterizedTest
  @CsvSource({"1,1", "7,1", "300,1", "3000,1", "3000,2", "9000,2", "20000,1"})
  void randomInputsEqualTheScalarPath(int n, int threads) {
    long[] points = TestPoints.points(Msm.Group.G1, n, 100 + n);
    long[] scalars = TestPoints.scalars(n, 200 + n);
    assertThat(G1.equal(lanes(points, scalars, n, threads), 0, scalar(points, scalars, n, 1), 0))
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource({"2500,1", "2500,2", "12000,1"})
  void edgeInputsEqualTheScalarPath(int n, int threads) {
    long[] points = TestPoints.points(Msm.Group.G1, n, 7 + n);
    long[] scalars = TestPoints.scalars(n, 9 + n);
    SplittableRandom rnd = new SplittableRandom(n);
    BigInteger rMinus1 = R.subtract(BigInteger.ONE);
    for (int i = 0; i < n; i++) {
      switch (i % 23) {
        case 0 -> Arrays.fill(points, 8 * i, 8 * i + 8, 0L); // infinity
        case 1 -> Arrays.fill(scalars, 4 * i, 4 * i + 4, 0L); // zero scalar
        case 2 -> setScalar(scalars, i, rMinus1);
        case 3 -> setScalar(scalars, i, BigInteger.ONE);
        case 4 -> { // a repeated point with its own scalar: doubling in buckets
          System.arraycopy(points, 8 * 5, points, 8 * i, 8);
        }
        case 5 -> { // a repeated point with the same scalar: the same bucket in every window
          System.arraycopy(points, 8 * 6, points, 8 * i, 8);
          System.arraycopy(scalars, 4 * 6, scalars, 4 * i, 4);
        }
        case 6 -> { // the negated point with the same scalar: cancelling in buckets
          System.arraycopy(points, 8 * (i - 1), points, 8 * i, 8);
          G1.field().neg(points, 8 * i + 4, points, 8 * i + 4);
          System.arraycopy(scalars, 4 * (i - 1), scalars, 4 * i, 4);
        }
        case 7 -> setScalar(scalars, i, BigInteger.valueOf(rnd.nextInt(5)));
        case 8 -> setScalar(scalars, i, BigInteger.ONE.shiftLeft(253).add(BigInteger.valueOf(i)));
        default -> {}
      }
    }
    assertThat(G1.equal(lanes(points, scalars, n, threads), 0, scalar(points, scalars, n, 1), 0))
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource({"600,1", "5000,2"})
  void onePointRepeatedIsTheSumOfScalarsTimesThePoint(int n, int threads) {
    long[] one = TestPoints.points(Msm.Group.G1, 1, 3);
    long[] points = new long[8 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(one, 0, points, 8 * i, 8);
    }
    long[] scalars = TestPoints.scalars(n, 4);
    // small scalars in a quarter: many equal buckets, doublings in the reduction
    for (int i = 0; i < n; i += 4) {
      setScalar(scalars, i, BigInteger.valueOf(i % 7));
    }
    BigInteger sum = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      sum = sum.add(scalarAt(scalars, i));
    }
    assertThat(G1.equal(lanes(points, scalars, n, threads), 0, times(one, 0, sum), 0)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"1000,1", "9000,2"})
  void scalarsRMinusOneGiveTheNegatedSum(int n, int threads) {
    long[] points = TestPoints.points(Msm.Group.G1, n, 31);
    long[] scalars = new long[4 * n];
    BigInteger rMinus1 = R.subtract(BigInteger.ONE);
    long[] want = new long[12];
    long[] p = new long[12];
    G1.setInfinity(want, 0);
    for (int i = 0; i < n; i++) {
      setScalar(scalars, i, rMinus1);
      G1.fromAffine(p, 0, points, 8 * i);
      G1.add(want, 0, want, 0, p, 0);
    }
    G1.neg(want, 0, want, 0);
    assertThat(G1.equal(lanes(points, scalars, n, threads), 0, want, 0)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"1000,1", "9000,2"})
  void zeroScalarsOrInfinityPointsGiveInfinity(int n, int threads) {
    long[] points = TestPoints.points(Msm.Group.G1, n, 41);
    long[] zeros = new long[4 * n];
    assertThat(G1.isInfinity(lanes(points, zeros, n, threads), 0)).isTrue();
    long[] scalars = TestPoints.scalars(n, 43);
    long[] inf = new long[8 * n];
    assertThat(G1.isInfinity(lanes(inf, scalars, n, threads), 0)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"1,1", "1,2", "9000,1"})
  void pointAndItsNegationCancel(int n, int threads) {
    long[] half = TestPoints.points(Msm.Group.G1, n, 51);
    long[] points = new long[16 * n];
    System.arraycopy(half, 0, points, 0, 8 * n);
    System.arraycopy(half, 0, points, 8 * n, 8 * n);
    for (int i = n; i < 2 * n; i++) {
      G1.field().neg(points, 8 * i + 4, points, 8 * i + 4);
    }
    long[] s = TestPoints.scalars(n, 53);
    long[] scalars = new long[8 * n];
    System.arraycopy(s, 0, scalars, 0, 4 * n);
    System.arraycopy(s, 0, scalars, 4 * n, 4 * n);
    assertThat(G1.isInfinity(lanes(points, scalars, 2 * n, threads), 0)).isTrue();
  }

  /**
   * Digits so small that every window spreads its points over copies of its buckets (and the top
   * window alone has digits), with sizes that leave a tail of fewer than eight points for the
   * one-at-a-time conversion.
   */
  @ParameterizedTest
  @CsvSource({"8197,1", "8197,2", "2503,1", "13,2"})
  void smallDigitsInEveryWindowEqualTheScalarPath(int n, int threads) {
    long[] points = TestPoints.points(Msm.Group.G1, n, 71 + n);
    long[] scalars = new long[4 * n];
    SplittableRandom rnd = new SplittableRandom(n);
    for (int i = 0; i < n; i++) {
      // every 11-bit digit in 0..3, or only the top bits set
      BigInteger k = BigInteger.ZERO;
      if (i % 5 == 4) {
        k = BigInteger.ONE.shiftLeft(253).add(BigInteger.ONE.shiftLeft(252 - rnd.nextInt(4)));
      } else {
        for (int w = 22; w >= 0; w--) {
          k = k.shiftLeft(11).add(BigInteger.valueOf(rnd.nextInt(4)));
        }
      }
      setScalar(scalars, i, k.mod(R));
    }
    for (int i = 0; i < n; i += 11) {
      Arrays.fill(points, 8 * i, 8 * i + 8, 0L);
    }
    assertThat(G1.equal(lanes(points, scalars, n, threads), 0, scalar(points, scalars, n, 1), 0))
        .isTrue();
  }

  /**
   * The kept arrays (lane-form points, digits, accumulators) carry nothing from one MSM into the
   * next: a large MSM fills them, then smaller ones, of another window width too, put the point at
   * infinity and zero scalars where it had digits.
   */
  @ParameterizedTest
  @CsvSource({"1", "2"})
  void keptArraysCarryNothingIntoTheNextMsm(int threads) {
    int big = 12000;
    long[] points = TestPoints.points(Msm.Group.G1, big, 61);
    long[] scalars = TestPoints.scalars(big, 62);
    assertThat(
            G1.equal(lanes(points, scalars, big, threads), 0, scalar(points, scalars, big, 1), 0))
        .isTrue();
    for (int n : new int[] {9000, 2500, 9000, 1}) {
      long[] p = Arrays.copyOf(points, 8 * n);
      long[] s = Arrays.copyOf(scalars, 4 * n);
      for (int i = n % 2; i < n; i += 3) {
        Arrays.fill(p, 8 * i, 8 * i + 8, 0L);
      }
      for (int i = 1; i < n; i += 5) {
        Arrays.fill(s, 4 * i, 4 * i + 4, 0L);
      }
      assertThat(G1.equal(lanes(p, s, n, threads), 0, scalar(p, s, n, 1), 0)).isTrue();
    }
    assertThat(G1.isInfinity(lanes(new long[8 * big], scalars, big, threads), 0)).isTrue();
  }
}
