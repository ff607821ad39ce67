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

  private static void checkInvPublic(MontField f) {
    BigInteger m = f.modulus();
    Random rnd = new Random(7);
    long[] a = new long[4];
    long[] r = new long[4];
    long[] ct = new long[4];
    for (int i = 0; i < 3_000; i++) {
      BigInteger x =
          switch (i) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.ONE;
            case 2 -> BigInteger.TWO;
            case 3 -> m.subtract(BigInteger.ONE);
            case 4 -> m.subtract(BigInteger.TWO);
            case 5 -> BigInteger.ONE.shiftLeft(200);
            default -> random(rnd, m);
          };
      f.fromBigInteger(a, 0, x);
      f.invPublic(r, 0, a, 0);
      BigInteger want = x.signum() == 0 ? BigInteger.ZERO : x.modInverse(m);
      assertThat(f.toBigInteger(r, 0)).as("1/%s", x).isEqualTo(want);
      f.inv(ct, 0, a, 0);
      assertThat(r).isEqualTo(ct);
      // aliasing: r == a
      f.invPublic(a, 0, a, 0);
      assertThat(a).isEqualTo(r);
    }
  }

  @Test
  void publicInverseMatchesBigIntegerAndFermat() {
    checkInvPublic(Bn254.FP);
    checkInvPublic(Bn254.FR);
  }

  /**
   * The stored integer {@code y} itself chosen (the binary GCD works on it): small values (exact
   * 64-bit rounds from the start), powers of two and their neighbours (bit lengths at every limb
   * boundary of the approximations), values near the modulus, random bit lengths.
   */
  private static void checkInvPublicStored(MontField f) {
    BigInteger m = f.modulus();
    BigInteger r2 = BigInteger.ONE.shiftLeft(512).mod(m);
    java.util.List<BigInteger> ys = new java.util.ArrayList<>();
    for (int k = 0; k < 254; k++) {
      BigInteger pow = BigInteger.ONE.shiftLeft(k);
      ys.add(pow);
      ys.add(pow.add(BigInteger.ONE));
      if (k > 1) {
        ys.add(pow.subtract(BigInteger.ONE));
      }
      ys.add(m.subtract(pow));
    }
    for (int k = 1; k <= 40; k++) {
      ys.add(BigInteger.valueOf(k));
      ys.add(m.subtract(BigInteger.valueOf(k)));
    }
    Random rnd = new Random(17);
    for (int i = 0; i < 2_000; i++) {
      BigInteger y = new BigInteger(1 + rnd.nextInt(254), rnd).mod(m);
      if (y.signum() != 0) {
        ys.add(y);
      }
    }
    long[] a = new long[4];
    long[] r = new long[4];
    for (BigInteger y : ys) {
      if (y.signum() <= 0 || y.compareTo(m) >= 0) {
        continue;
      }
      System.arraycopy(MontField.toLimbs(y), 0, a, 0, 4);
      f.invPublic(r, 0, a, 0);
      assertThat(r).as("1/%s", y).isEqualTo(MontField.toLimbs(y.modInverse(m).multiply(r2).mod(m)));
    }
  }

  @Test
  void publicInverseOfEdgeStoredIntegers() {
    checkInvPublicStored(Bn254.FP);
    checkInvPublicStored(Bn254.FR);
    // a small odd modulus: every round exact
    checkInvPublicStored(new MontField(BigInteger.valueOf(1_000_003)));
  }

  @Test
  void fp2PublicInverseMatchesConstantTimeInverse() {
    Fp2Ops f2 = new Fp2Ops();
    Random rnd = new Random(9);
    long[] a = new long[8];
    long[] x = new long[8];
    long[] y = new long[8];
    for (int i = 0; i < 200; i++) {
      Bn254.FP.fromBigInteger(a, 0, random(rnd, Bn254.P));
      Bn254.FP.fromBigInteger(a, 4, random(rnd, Bn254.P));
      f2.inv(x, 0, a, 0);
      f2.invPublic(y, 0, a, 0);
      assertThat(y).isEqualTo(x);
    }
  }

  @Test
  void canonicalCheckRejectsModulusAndAbove() {
    MontField f = Bn254.FP;
    assertThat(f.isCanonical(MontField.toLimbs(Bn254.P), 0)).isFalse();
    assertThat(f.isCanonical(MontField.toLimbs(Bn254.P.subtract(BigInteger.ONE)), 0)).isTrue();
    assertThat(f.isCanonical(MontField.toLimbs(Bn254.P.add(BigInteger.ONE)), 0)).isFalse();
  }
}
