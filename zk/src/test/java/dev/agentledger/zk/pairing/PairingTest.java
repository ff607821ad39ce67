package dev.agentledger.zk.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairingTest {
  private static long[] g1Times(BigInteger k) {
    CurveOps c = Bn254Curves.g1();
    long[] g = new long[12];
    c.fromAffine(g, 0, Bn254Curves.G1_GENERATOR, 0);
    long[] r = new long[12];
    c.mul(r, 0, g, 0, k);
    long[] a = new long[8];
    c.toAffine(a, 0, r, 0);
    return a;
  }

  private static long[] g2Times(BigInteger k) {
    CurveOps c = Bn254Curves.g2();
    long[] g = new long[24];
    c.fromAffine(g, 0, Bn254Curves.G2_GENERATOR, 0);
    long[] r = new long[24];
    c.mul(r, 0, g, 0, k);
    long[] a = new long[16];
    c.toAffine(a, 0, r, 0);
    return a;
  }

  @Test
  void bilinearAndNonDegenerate() {
    BigInteger a = new BigInteger("123456789123456789123456789");
    BigInteger b = new BigInteger("987654321987654321");
    Fq12 e = Pairing.pairing(Bn254Curves.G1_GENERATOR, 0, Bn254Curves.G2_GENERATOR, 0);
    assertThat(e.isOne()).isFalse();
    assertThat(e.pow(Bn254.R).isOne()).isTrue();
    Fq12 eab = Pairing.pairing(g1Times(a), 0, g2Times(b), 0);
    assertThat(eab.eq(e.pow(a.multiply(b)))).isTrue();
    Fq12 eab2 = Pairing.pairing(g1Times(a.multiply(b)), 0, Bn254Curves.G2_GENERATOR, 0);
    assertThat(eab2.eq(eab)).isTrue();
  }

  @Test
  void productCheckAsInEip197() {
    BigInteger a = BigInteger.valueOf(31337);
    BigInteger b = BigInteger.valueOf(4242);
    // e(aG1, bG2) * e(-abG1, G2) == 1
    long[] p1 = g1Times(a);
    long[] q1 = g2Times(b);
    long[] p2 = g1Times(Bn254.R.subtract(a.multiply(b)));
    assertThat(
            Pairing.productIsOne(
                List.of(
                    new Pairing.Pair(p1, 0, q1, 0),
                    new Pairing.Pair(p2, 0, Bn254Curves.G2_GENERATOR, 0))))
        .isTrue();
    long[] p3 = g1Times(Bn254.R.subtract(a.multiply(b)).add(BigInteger.ONE));
    assertThat(
            Pairing.productIsOne(
                List.of(
                    new Pairing.Pair(p1, 0, q1, 0),
                    new Pairing.Pair(p3, 0, Bn254Curves.G2_GENERATOR, 0))))
        .isFalse();
    // the empty product and pairs with infinity are one
    assertThat(Pairing.productIsOne(List.of())).isTrue();
    assertThat(Pairing.productIsOne(List.of(new Pairing.Pair(new long[8], 0, q1, 0)))).isTrue();
  }

  @Test
  void twistPointOutsideSubgroupIsRejected() {
    CurveOps g2 = Bn254Curves.g2();
    for (int k = 1; ; k++) {
      Fq2 x = new Fq2(Bn254.FP.of(k), Bn254.FP.of(1));
      Fq2 rhs = x.sqr().mul(x).add(Fq2.fromFlat(Bn254Curves.B2, 0));
      Fq2 y = rhs.sqrt();
      if (y == null) {
        continue;
      }
      long[] p = new long[16];
      System.arraycopy(x.c0, 0, p, 0, 4);
      System.arraycopy(x.c1, 0, p, 4, 4);
      System.arraycopy(y.c0, 0, p, 8, 4);
      System.arraycopy(y.c1, 0, p, 12, 4);
      assertThat(g2.isOnCurveAffine(p, 0)).isTrue();
      assertThat(Bn254Curves.g2IsValid(p, 0)).isFalse();
      return;
    }
  }
}
