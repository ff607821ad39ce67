package dev.agentledger.zk.curve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.zk.field.Bn254;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CurveOpsTest {
  private static void groupLaws(CurveOps c, long[] genAffine) {
    int j = c.jacobianSize();
    long[] g = new long[j];
    c.fromAffine(g, 0, genAffine, 0);
    assertThat(c.isOnCurveAffine(genAffine, 0)).isTrue();
    long[] t = new long[j];
    c.mul(t, 0, g, 0, Bn254.R);
    assertThat(c.isInfinity(t, 0)).isTrue();
    Random rnd = new Random(7);
    for (int i = 0; i < 20; i++) {
      BigInteger a = new BigInteger(250, rnd);
      BigInteger b = new BigInteger(250, rnd);
      long[] pa = new long[j];
      long[] pb = new long[j];
      long[] sum = new long[j];
      long[] expect = new long[j];
      c.mul(pa, 0, g, 0, a);
      c.mul(pb, 0, g, 0, b);
      c.add(sum, 0, pa, 0, pb, 0);
      c.mul(expect, 0, g, 0, a.add(b).mod(Bn254.R));
      assertThat(c.equal(sum, 0, expect, 0)).isTrue();
      // mixed addition agrees
      long[] pbAff = new long[c.affineSize()];
      c.toAffine(pbAff, 0, pb, 0);
      assertThat(c.isOnCurveAffine(pbAff, 0)).isTrue();
      long[] mixed = new long[j];
      c.addAffine(mixed, 0, pa, 0, pbAff, 0);
      assertThat(c.equal(mixed, 0, expect, 0)).isTrue();
      // p + p via add equals dbl; p + (-p) is infinity
      c.add(sum, 0, pa, 0, pa, 0);
      c.dbl(expect, 0, pa, 0);
      assertThat(c.equal(sum, 0, expect, 0)).isTrue();
      c.neg(expect, 0, pa, 0);
      c.add(sum, 0, pa, 0, expect, 0);
      assertThat(c.isInfinity(sum, 0)).isTrue();
    }
  }

  @Test
  void g1GroupLaws() {
    groupLaws(Bn254Curves.g1(), Bn254Curves.G1_GENERATOR);
  }

  @Test
  void g2GroupLaws() {
    groupLaws(Bn254Curves.g2(), Bn254Curves.G2_GENERATOR);
    assertThat(Bn254Curves.g2IsValid(Bn254Curves.G2_GENERATOR, 0)).isTrue();
  }
}
