package dev.agentledger.zk.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MontFieldTest {
  private static BigInteger random(Random rnd, BigInteger m) {
    return switch (rnd.nextInt(6)) {
      case 0 -> BigInteger.ZERO;
      case 1 -> m.subtract(BigInteger.ONE);
      case 2 -> BigInteger.valueOf(rnd.nextInt(3));
      default -> new BigInteger(m.bitLength() + 8, rnd).mod(m);
    };
  }

  private static void checkField(MontField f) {
    BigInteger m = f.modulus();
    Random rnd = new Random(42);
    long[] a = new long[4];
    long[] b = new long[4];
    long[] r = new long[4];
    for (int i = 0; i < 20_000; i++) {
      BigInteger x = random(rnd, m);
      BigInteger y = random(rnd, m);
      f.fromBigInteger(a, 0, x);
      f.fromBigInteger(b, 0, y);
      assertThat(f.toBigInteger(a, 0)).isEqualTo(x);
      f.mul(r, 0, a, 0, b, 0);
      assertThat(f.toBigInteger(r, 0)).isEqualTo(x.multiply(y).mod(m));
      f.add(r, 0, a, 0, b, 0);
      assertThat(f.toBigInteger(r, 0)).isEqualTo(x.add(y).mod(m));
      f.sub(r, 0, a, 0, b, 0);
      assertThat(f.toBigInteger(r, 0)).isEqualTo(x.subtract(y).mod(m));
      f.neg(r, 0, a, 0);
      assertThat(f.toBigInteger(r, 0)).isEqualTo(x.negate().mod(m));
      if (i % 50 == 0 && x.signum() != 0) {
        f.inv(r, 0, a, 0);
        assertThat(f.toBigInteger(r, 0)).isEqualTo(x.modInverse(m));
      }
    }
  }

  @Test
  void baseFieldMatchesBigInteger() {
    checkField(Bn254.FP);
  }

  @Test
  void scalarFieldMatchesBigInteger() {
    checkField(Bn254.FR);
  }

  @Test
  void canonicalCheckRejectsModulusAndAbove() {
    MontField f = Bn254.FP;
    assertThat(f.isCanonical(MontField.toLimbs(Bn254.P), 0)).isFalse();
    assertThat(f.isCanonical(MontField.toLimbs(Bn254.P.subtract(BigInteger.ONE)), 0)).isTrue();
    assertThat(f.isCanonical(MontField.toLimbs(Bn254.P.add(BigInteger.ONE)), 0)).isFalse();
  }
}
