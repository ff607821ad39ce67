package dev.agentledger.accel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The test reference itself: it must agree with every hand-derived verdict and with BouncyCastle.
 */
class Zip215ReferenceTest {
  @Test
  void referenceAgreesWithEveryDerivedVerdict() {
    for (Ed25519Cases.Case c : Ed25519Cases.all(42, 24)) {
      assertThat(Zip215Reference.verify(c.pub(), c.sig(), c.msg()))
          .as(c.label())
          .isEqualTo(c.valid());
    }
  }

  @Test
  void offCurveEdgeReallyIsOffCurve() {
    byte[] y2 = new byte[32];
    y2[0] = 2;
    assertThat(Zip215Reference.decode(y2)).isNull();
  }

  @Test
  void rfc8032VectorsVerifyWithBouncyCastle() {
    for (Ed25519Cases.Case c : Ed25519Cases.rfc8032()) {
      assertThat(Ed25519Cases.bcVerify(c.pub(), c.sig(), c.msg())).as(c.label()).isTrue();
    }
  }

  @Test
  void torsionCasesAreRejectedByTheCofactorlessRule() {
    // The torsion vectors satisfy only the cofactored equation: they prove a kernel multiplies by
    // 8.
    int torsionCases = 0;
    for (Ed25519Cases.Case c : Ed25519Cases.zip215Edges()) {
      if (c.label().contains("torsion component")) {
        torsionCases++;
        assertThat(c.valid()).isTrue();
        assertThat(Zip215Reference.verifyCofactorless(c.pub(), c.sig(), c.msg()))
            .as(c.label())
            .isFalse();
      }
    }
    assertThat(torsionCases).isEqualTo(2);
  }
}
