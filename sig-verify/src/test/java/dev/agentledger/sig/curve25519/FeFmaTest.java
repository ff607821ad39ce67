package dev.agentledger.sig.curve25519;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Fe#mulFma} and {@link Fe#sqFma} against BigInteger mod p at their input bound (limbs below
 * 2^53.4): the largest limbs, where the floating-point high half has the least margin, limbs just
 * below the bound, mixed small and large limbs, and random limbs; outputs must be tight.
 */
class FeFmaTest {
  private static final BigInteger P = Curve.P;
  private static final long BOUND = (long) Math.floor(Math.pow(2, 53.4));
  private static final long TIGHT = (1L << 51) + (1L << 13);

  private static Fe fe(long... limbs) {
    Fe f = new Fe();
    f.l0 = limbs[0];
    f.l1 = limbs[1];
    f.l2 = limbs[2];
    f.l3 = limbs[3];
    f.l4 = limbs[4];
    return f;
  }

  private static long limb(SplittableRandom random) {
    return switch (random.nextInt(5)) {
      case 0 -> BOUND - 1 - random.nextLong(1 << 20);
      case 1 -> random.nextLong(1 << 20);
      case 2 -> random.nextLong(TIGHT);
      default -> random.nextLong(BOUND);
    };
  }

  private static Fe random(SplittableRandom random) {
    return fe(limb(random), limb(random), limb(random), limb(random), limb(random));
  }

  private static void check(Fe a, Fe b) {
    Fe h = new Fe();
    Fe.mulFma(h, a, b);
    assertThat(FeTest.value(h))
        .as("mulFma %s x %s", FeTest.value(a), FeTest.value(b))
        .isEqualTo(FeTest.value(a).multiply(FeTest.value(b)).mod(P));
    assertTight(h);
    Fe.sqFma(h, a);
    assertThat(FeTest.value(h)).isEqualTo(FeTest.value(a).pow(2).mod(P));
    assertTight(h);
  }

  private static void assertTight(Fe h) {
    for (long l : new long[] {h.l0, h.l1, h.l2, h.l3, h.l4}) {
      assertThat(l).isBetween(0L, TIGHT - 1);
    }
  }

  @Test
  void largestLimbsAtTheBound() {
    long m = BOUND - 1;
    check(fe(m, m, m, m, m), fe(m, m, m, m, m));
    for (int mask = 0; mask < 32; mask++) {
      long[] a = new long[5];
      for (int i = 0; i < 5; i++) {
        a[i] = (mask >> i & 1) == 1 ? m : 0;
      }
      check(fe(a), fe(m, m, m, m, m));
      check(fe(m, m, m, m, m), fe(a));
    }
  }

  @Test
  void randomLimbsUpToTheBound() {
    SplittableRandom random = new SplittableRandom(20);
    for (int i = 0; i < 200_000; i++) {
      check(random(random), random(random));
    }
  }

  @Test
  void agreesWithTheExactMultiplication() {
    SplittableRandom random = new SplittableRandom(21);
    Fe exact = new Fe();
    Fe fma = new Fe();
    for (int i = 0; i < 100_000; i++) {
      Fe a = random(random);
      Fe b = random(random);
      Fe.mul(exact, a, b);
      Fe.mulFma(fma, a, b);
      assertThat(FeTest.value(fma)).isEqualTo(FeTest.value(exact));
    }
  }
}
