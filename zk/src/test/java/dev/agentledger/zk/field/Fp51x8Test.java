package dev.agentledger.zk.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Fp51x8Test {
  private static final BigInteger P = Bn254.P;
  private static final BigInteger R_INV = BigInteger.ONE.shiftLeft(255).modInverse(P);
  private static final int GROUPS = 512;

  private static BigInteger pick(Random rnd, int i) {
    BigInteger limb = BigInteger.ONE.shiftLeft(51);
    return switch (i % 13) {
      case 0 -> BigInteger.ZERO;
      case 1 -> BigInteger.ONE;
      case 2 -> P.subtract(BigInteger.ONE);
      case 3 -> P.subtract(BigInteger.TWO);
      // limbs at their maximum 2^51 - 1 (as far as below p allows) and powers at limb boundaries
      case 4 -> limb.pow(1 + rnd.nextInt(4)).subtract(BigInteger.ONE);
      case 5 -> limb.pow(1 + rnd.nextInt(4));
      case 6 -> P.subtract(limb.pow(rnd.nextInt(5)));
      case 7 -> BigInteger.ONE.shiftLeft(253);
      case 8 -> BigInteger.ONE.shiftLeft(254).subtract(BigInteger.ONE).mod(P);
      default -> new BigInteger(300, rnd).mod(P);
    };
  }

  /** Random and edge operands (0, 1, p - 1, limb boundaries) against BigInteger, all lanes. */
  @Test
  void productMatchesBigInteger() {
    check(false);
  }

  /** The same for the form that reduces one half after the other. */
  @Test
  void serialProductMatchesBigInteger() {
    check(true);
  }

  private static void mul(boolean serial, long[] r, long[] a, long[] b, int o, long[] tmp) {
    if (serial) {
      Fp51x8.mulSerial(r, o, a, o, b, o, tmp);
    } else {
      Fp51x8.mul(r, o, a, o, b, o, tmp);
    }
  }

  private static void check(boolean serial) {
    Random rnd = new Random(21);
    long[] a = new long[GROUPS * Fp51x8.GROUP];
    long[] b = new long[GROUPS * Fp51x8.GROUP];
    long[] r = new long[GROUPS * Fp51x8.GROUP];
    long[] tmp = new long[Fp51x8.SCRATCH];
    BigInteger[] va = new BigInteger[GROUPS * 8];
    BigInteger[] vb = new BigInteger[GROUPS * 8];
    for (int g = 0; g < GROUPS; g++) {
      for (int l = 0; l < 8; l++) {
        va[8 * g + l] = pick(rnd, rnd.nextInt(26));
        vb[8 * g + l] = pick(rnd, rnd.nextInt(26));
        Fp51x8.set(a, g * Fp51x8.GROUP, l, va[8 * g + l]);
        Fp51x8.set(b, g * Fp51x8.GROUP, l, vb[8 * g + l]);
      }
    }
    for (int round = 0; round < 3; round++) {
      for (int g = 0; g < GROUPS; g++) {
        int o = g * Fp51x8.GROUP;
        mul(serial, r, a, b, o, tmp);
        for (int l = 0; l < 8; l++) {
          BigInteger want = va[8 * g + l].multiply(vb[8 * g + l]).multiply(R_INV).mod(P);
          assertThat(Fp51x8.value(r, o, l)).isEqualTo(want);
          for (int k = 0; k < Fp51x8.LIMBS; k++) {
            assertThat(r[o + 8 * k + l]).isBetween(0L, (1L << 51) - 1);
          }
        }
      }
      // square in place (r aliases a) to feed results back in
      for (int g = 0; g < GROUPS; g++) {
        int o = g * Fp51x8.GROUP;
        mul(serial, a, a, a, o, tmp);
        for (int l = 0; l < 8; l++) {
          va[8 * g + l] = va[8 * g + l].pow(2).multiply(R_INV).mod(P);
          assertThat(Fp51x8.value(a, o, l)).isEqualTo(va[8 * g + l]);
        }
      }
    }
  }
}
