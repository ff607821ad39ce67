package dev.agentledger.sig.curve25519;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Straus and Pippenger (every window width) against the sum of single multiplications. */
class MultiScalarMulTest {
  private final PointOps ops = new PointOps();
  private final Ed25519Context context = new Ed25519Context();

  /**
   * Points are known multiples of B, so the expected sum is one fixed-base multiplication. 700
   * points with narrow windows (c = 4: eight buckets) make most groups of eight lanes collide,
   * which exercises the deferral in LaneBuckets.
   */
  @Test
  void allAlgorithmsAgreeWithNaiveSum() {
    Random random = new Random(42);
    for (int count : new int[] {1, 2, 3, 7, 20, 49, 130, 700}) {
      NielsPoint[] points = new NielsPoint[count];
      byte[] scalars = new byte[32 * count];
      BigInteger expectedLog = BigInteger.ZERO;
      for (int j = 0; j < count; j++) {
        BigInteger log = new BigInteger(252, random);
        ExtendedPoint p = new ExtendedPoint();
        context.scalarMulBase(p, Curve.toLittleEndian(log, 32));
        points[j] = new NielsPoint();
        ops.toNiels(points[j], p);
        int bits = random.nextBoolean() ? 128 : 253;
        BigInteger s = new BigInteger(bits, random).mod(Curve.L);
        if (j == 0) {
          s = Curve.L.subtract(BigInteger.ONE); // the largest scalar
        }
        System.arraycopy(Curve.toLittleEndian(s, 32), 0, scalars, 32 * j, 32);
        expectedLog = expectedLog.add(log.multiply(s)).mod(Curve.L);
      }
      ExtendedPoint expected = new ExtendedPoint();
      context.scalarMulBase(expected, Curve.toLittleEndian(expectedLog, 32));
      for (boolean lanes : new boolean[] {true, false}) {
        MultiScalarMul msm = new MultiScalarMul(ops, lanes);
        ExtendedPoint out = new ExtendedPoint();
        msm.straus(out, points, scalars, count);
        assertThat(ops.equal(out, expected)).as("straus " + count).isTrue();
        for (int c = 4; c <= 11; c++) {
          msm.pippenger(out, points, scalars, count, c);
          assertThat(ops.equal(out, expected))
              .as("pippenger c=" + c + " n=" + count + " lanes=" + lanes)
              .isTrue();
        }
        msm.multiply(out, points, scalars, count);
        assertThat(ops.equal(out, expected)).isTrue();
      }
    }
  }
}
