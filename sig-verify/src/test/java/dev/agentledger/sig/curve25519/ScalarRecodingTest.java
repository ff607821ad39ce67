package dev.agentledger.sig.curve25519;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The width-w NAF digits against the NAF rules and the scalar's value (BigInteger). */
class ScalarRecodingTest {
  @Test
  void wnafDigitsAreOddSparseBoundedAndSumToTheScalar() {
    Random random = new Random(11);
    List<BigInteger> scalars = new ArrayList<>();
    BigInteger top = BigInteger.ONE.shiftLeft(255);
    scalars.add(BigInteger.ZERO);
    scalars.add(BigInteger.ONE);
    scalars.add(top.subtract(BigInteger.ONE)); // all ones: one long carry
    scalars.add(Curve.L.subtract(BigInteger.ONE));
    scalars.add(BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE));
    scalars.add(BigInteger.ONE.shiftLeft(252));
    for (int i = 0; i < 3000; i++) {
      scalars.add(new BigInteger(255, random));
      scalars.add(new BigInteger(random.nextInt(255) + 1, random));
      // long runs of ones and zeros
      BigInteger runs = BigInteger.ZERO;
      int pos = 0;
      while (pos < 255) {
        int len = 1 + random.nextInt(40);
        if (random.nextBoolean()) {
          for (int b = pos; b < Math.min(255, pos + len); b++) {
            runs = runs.setBit(b);
          }
        }
        pos += len;
      }
      scalars.add(runs);
    }
    byte[] naf = new byte[256];
    long[] words = new long[5];
    for (int w = 2; w <= 8; w++) {
      for (BigInteger s : scalars) {
        ScalarRecoding.wnaf(Curve.toLittleEndian(s, 32), 0, w, naf, words);
        BigInteger sum = BigInteger.ZERO;
        int lastNonZero = -w;
        for (int i = 0; i < 256; i++) {
          int d = naf[i];
          if (d == 0) {
            continue;
          }
          assertThat(d & 1).as("odd digit at %d of %s, w=%d", i, s, w).isEqualTo(1);
          assertThat(Math.abs(d)).isLessThan(1 << (w - 1));
          assertThat(i - lastNonZero)
              .as("gap at %d of %s, w=%d", i, s, w)
              .isGreaterThanOrEqualTo(w);
          lastNonZero = i;
          sum = sum.add(BigInteger.valueOf(d).shiftLeft(i));
        }
        assertThat(sum).as("value of %s, w=%d", s, w).isEqualTo(s);
      }
    }
  }
}
