package dev.agentledger.sig.curve25519;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Field arithmetic against BigInteger mod p, including limbs at the documented bounds. */
class FeTest {
  private static final BigInteger P = Curve.P;

  /** An Fe with limbs near the 2^54 input bound that still represents v mod p (value check). */
  private static Fe loose(Random random, BigInteger[] valueOut) {
    Fe f = new Fe();
    long bound = 1L << 54;
    f.l0 = (random.nextLong() >>> 10) % bound;
    f.l1 = (random.nextLong() >>> 10) % bound;
    f.l2 = (random.nextLong() >>> 10) % bound;
    f.l3 = (random.nextLong() >>> 10) % bound;
    f.l4 = (random.nextLong() >>> 10) % bound;
    valueOut[0] = value(f);
    return f;
  }

  static BigInteger value(Fe f) {
    return BigInteger.valueOf(f.l0)
        .add(BigInteger.valueOf(f.l1).shiftLeft(51))
        .add(BigInteger.valueOf(f.l2).shiftLeft(102))
        .add(BigInteger.valueOf(f.l3).shiftLeft(153))
        .add(BigInteger.valueOf(f.l4).shiftLeft(204))
        .mod(P);
  }

  private static boolean tight(Fe f) {
    long limit = (1L << 51) + (1L << 13);
    return f.l0 < limit
        && f.l1 < limit
        && f.l2 < limit
        && f.l3 < limit
        && f.l4 < limit
        && f.l0 >= 0
        && f.l1 >= 0
        && f.l2 >= 0
        && f.l3 >= 0
        && f.l4 >= 0;
  }

  @Test
  void mulAndSquareMatchBigIntegerAtTheLimbBound() {
    Random random = new Random(1);
    BigInteger[] va = new BigInteger[1];
    BigInteger[] vb = new BigInteger[1];
    Fe h = new Fe();
    for (int i = 0; i < 20000; i++) {
      Fe a = loose(random, va);
      Fe b = loose(random, vb);
      Fe.mul(h, a, b);
      assertThat(value(h)).isEqualTo(va[0].multiply(vb[0]).mod(P));
      assertThat(tight(h)).isTrue();
      Fe.sq(h, a);
      assertThat(value(h)).isEqualTo(va[0].multiply(va[0]).mod(P));
      assertThat(tight(h)).isTrue();
    }
  }

  @Test
  void maximalLimbsDoNotOverflow() {
    Fe a = new Fe();
    a.l0 = a.l1 = a.l2 = a.l3 = a.l4 = (1L << 54) - 1;
    BigInteger v = value(a);
    Fe h = new Fe();
    Fe.mul(h, a, a);
    assertThat(value(h)).isEqualTo(v.multiply(v).mod(P));
    Fe.sq(h, a);
    assertThat(value(h)).isEqualTo(v.multiply(v).mod(P));
  }

  @Test
  void canonicalEncodingReducesValuesAtAndAboveP() {
    for (int k = 0; k < 40; k++) {
      BigInteger v = P.add(BigInteger.valueOf(k - 20));
      if (v.bitLength() > 255) {
        continue;
      }
      Fe f = Fe.ofBytes(Curve.toLittleEndian(v, 32));
      assertThat(Curve.fromLittleEndian(f.toBytes())).isEqualTo(v.mod(P));
    }
    Fe all =
        Fe.ofBytes(
            Curve.toLittleEndian(BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE), 32));
    assertThat(Curve.fromLittleEndian(all.toBytes())).isEqualTo(BigInteger.valueOf(18));
  }

  @Test
  void invertAndPowMatchBigInteger() {
    Random random = new Random(2);
    for (int i = 0; i < 50; i++) {
      BigInteger v = new BigInteger(255, random).mod(P);
      Fe f = Curve.fe(v);
      Fe out = new Fe();
      Fe.invertTo(out, f);
      assertThat(Curve.toBigInteger(out))
          .isEqualTo(v.signum() == 0 ? BigInteger.ZERO : v.modInverse(P));
      Fe.pow22523(out, f, new Fe(), new Fe(), new Fe());
      assertThat(Curve.toBigInteger(out))
          .isEqualTo(v.modPow(BigInteger.ONE.shiftLeft(252).subtract(BigInteger.valueOf(3)), P));
    }
  }

  @Test
  void subtractionOfLargeOperandsStaysCorrect() {
    Random random = new Random(3);
    BigInteger[] va = new BigInteger[1];
    for (int i = 0; i < 1000; i++) {
      Fe a = loose(random, va);
      Fe.weakReduce(a);
      Fe b = new Fe();
      b.l0 = b.l1 = b.l2 = b.l3 = b.l4 = (1L << 53) - 76;
      Fe h = new Fe();
      Fe.sub(h, a, b);
      assertThat(value(h)).isEqualTo(va[0].subtract(value(b)).mod(P));
    }
  }
}
