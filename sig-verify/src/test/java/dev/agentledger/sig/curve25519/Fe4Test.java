package dev.agentledger.sig.curve25519;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The four-lane field code against BigInteger, with limbs pushed to the top of the accepted range.
 */
class Fe4Test {
  @Test
  void mulSquareAndPowMatchBigInteger() {
    Random random = new Random(4);
    long[] f = new long[40];
    long[] g = new long[40];
    long[] h = new long[40];
    BigInteger[] fv = new BigInteger[4];
    BigInteger[] gv = new BigInteger[4];
    for (int round = 0; round < 200; round++) {
      for (int j = 0; j < 4; j++) {
        fv[j] =
            round == 0
                ? Curve.P.subtract(BigInteger.ONE)
                : new BigInteger(255, random).mod(Curve.P);
        gv[j] = new BigInteger(255, random).mod(Curve.P);
        Fe4.put(f, j, Curve.fe(fv[j]), new Fe());
        Fe4.put(g, j, Curve.fe(gv[j]), new Fe());
      }
      // push limbs to the top of the accepted range: add p in limb form (value unchanged mod p)
      if (round % 2 == 1) {
        for (int j = 0; j < 4; j++) {
          f[j] += (1L << 26) - 19;
          for (int k = 1; k < 10; k++) {
            f[k * 4 + j] += (k % 2 == 0 ? (1L << 26) : (1L << 25)) - 1;
          }
        }
      }
      Fe4.mul(h, f, g);
      Fe out = new Fe();
      for (int j = 0; j < 4; j++) {
        Fe4.get(h, j, out);
        assertThat(Curve.toBigInteger(out)).isEqualTo(fv[j].multiply(gv[j]).mod(Curve.P));
      }
      Fe4.sq(h, f);
      for (int j = 0; j < 4; j++) {
        Fe4.get(h, j, out);
        assertThat(Curve.toBigInteger(out)).isEqualTo(fv[j].multiply(fv[j]).mod(Curve.P));
      }
    }
  }
}
