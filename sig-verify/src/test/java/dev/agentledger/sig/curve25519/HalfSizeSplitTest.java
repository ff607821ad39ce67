package dev.agentledger.sig.curve25519;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** k = c0 / c1 (mod L) with both halves below 2^127, against BigInteger. */
class HalfSizeSplitTest {
  private static final BigInteger L = Curve.L;
  private static final BigInteger BOUND = BigInteger.ONE.shiftLeft(127);

  @Test
  void splitsRandomAndEdgeScalars() {
    Random random = new Random(7);
    List<BigInteger> ks = new ArrayList<>();
    for (BigInteger v :
        new BigInteger[] {
          BigInteger.ZERO,
          BigInteger.ONE,
          BigInteger.TWO,
          BOUND.subtract(BigInteger.ONE),
          BOUND,
          BOUND.add(BigInteger.ONE),
          L.subtract(BigInteger.ONE),
          L.subtract(BigInteger.TWO),
          L.shiftRight(1),
          BigInteger.ONE.shiftLeft(252),
          BigInteger.ONE.shiftLeft(252).subtract(BigInteger.ONE)
        }) {
      ks.add(v);
    }
    for (int i = 0; i < 20000; i++) {
      ks.add(new BigInteger(253, random).mod(L));
      ks.add(new BigInteger(random.nextInt(253) + 1, random).mod(L));
    }
    HalfSizeSplit split = new HalfSizeSplit();
    byte[] c0 = new byte[32];
    byte[] c1 = new byte[32];
    for (BigInteger k : ks) {
      int sign = split.split(Curve.toLittleEndian(k, 32), 0, c0, 0, c1, 0);
      BigInteger v0 = Curve.fromLittleEndian(c0);
      BigInteger v1 = Curve.fromLittleEndian(c1);
      assertThat(sign).isIn(1, -1);
      assertThat(v0.signum()).isGreaterThanOrEqualTo(0);
      assertThat(v0).isLessThan(BOUND);
      assertThat(v1.signum()).isPositive();
      assertThat(v1).isLessThan(BOUND);
      BigInteger signed = sign < 0 ? v1.negate() : v1;
      assertThat(signed.multiply(k).subtract(v0).mod(L)).as("k = %s", k).isZero();
    }
  }
}
