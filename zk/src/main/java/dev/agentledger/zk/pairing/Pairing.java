package dev.agentledger.zk.pairing;

import dev.agentledger.zk.field.Bn254;
import java.math.BigInteger;
import java.util.List;

/**
 * The optimal ate pairing of BN254 (Vercauteren, "Optimal pairings", 2010, section 4 with the BN
 * loop {@code 6x + 2}): a Miller loop over the twisted G2 point in affine coordinates, the two
 * Frobenius correction lines, and the final exponentiation to {@code (p^12 - 1) / r}.
 *
 * <p>A line through twist points with slope {@code lambda}, untwisted by {@code (x, y) -> (x w^2, y
 * w^3)} and evaluated at {@code P = (xP, yP)}, is {@code yP - lambda xP w + (lambda xT - yT) w^3};
 * vertical lines lie in a proper subfield and vanish in the final exponentiation. This code runs in
 * the verifier only (a few pairings per proof), so it favours clarity over speed.
 */
public final class Pairing {
  private static final BigInteger P = Bn254.P;
  private static final BigInteger LOOP =
      Bn254.X.multiply(BigInteger.valueOf(6)).add(BigInteger.TWO);
  private static final Fq2 FROB_X1 =
      Fq2.XI.pow(P.subtract(BigInteger.ONE).divide(BigInteger.valueOf(3)));
  private static final Fq2 FROB_Y1 = Fq2.XI.pow(P.subtract(BigInteger.ONE).divide(BigInteger.TWO));
  private static final Fq2 FROB_X2 =
      Fq2.XI.pow(P.multiply(P).subtract(BigInteger.ONE).divide(BigInteger.valueOf(3)));
  private static final Fq2 FROB_Y2 =
      Fq2.XI.pow(P.multiply(P).subtract(BigInteger.ONE).divide(BigInteger.TWO));
  private static final BigInteger HARD_EXP = P.pow(6).add(BigInteger.ONE).divide(Bn254.R);

  /**
   * {@code 2x (6x^2 + 3x + 1)}: the final exponentiation of ffjavascript (wasmcurves), after
   * Fuentes-Castaneda, Knapp and Rodriguez-Henriquez ("Faster hashing to G2", 2011), computes this
   * power of the reduced pairing; snarkjs's {@code vk_alphabeta_12} is such a value.
   */
  private static final BigInteger FFJS_POWER =
      Bn254.X.shiftLeft(1)
          .multiply(
              Bn254.X.multiply(Bn254.X)
                  .multiply(BigInteger.valueOf(6))
                  .add(Bn254.X.multiply(BigInteger.valueOf(3)))
                  .add(BigInteger.ONE));

  private Pairing() {}

  /** The pairing as ffjavascript computes it: {@code e(P, Q)^(2x(6x^2 + 3x + 1))}. */
  public static Fq12 pairingAsFfjavascript(long[] g1, int g1o, long[] g2, int g2o) {
    return pairing(g1, g1o, g2, g2o).pow(FFJS_POWER);
  }

  /** One pair (G1 point, G2 point) in flat affine Montgomery form; infinity is all zeros. */
  public record Pair(long[] g1, int g1Offset, long[] g2, int g2Offset) {}

  /** {@code e(P, Q)} for affine, already validated points. */
  public static Fq12 pairing(long[] g1, int g1o, long[] g2, int g2o) {
    return finalExponentiation(miller(g1, g1o, g2, g2o));
  }

  /** Whether {@code prod e(P_i, Q_i) == 1} (one shared final exponentiation). */
  public static boolean productIsOne(List<Pair> pairs) {
    Fq12 f = Fq12.ONE;
    for (Pair pair : pairs) {
      f = f.mul(miller(pair.g1(), pair.g1Offset(), pair.g2(), pair.g2Offset()));
    }
    return finalExponentiation(f).isOne();
  }

  static Fq12 finalExponentiation(Fq12 f) {
    // easy part f^(p^6 - 1) = conj(f) / f, then the rest (p^6 + 1) / r by square-and-multiply
    Fq12 easy = f.conj().mul(f.inv());
    return easy.pow(HARD_EXP);
  }

  private static boolean isZeroPoint(long[] a, int o, int len) {
    for (int i = 0; i < len; i++) {
      if (a[o + i] != 0) {
        return false;
      }
    }
    return true;
  }

  static Fq12 miller(long[] g1, int g1o, long[] g2, int g2o) {
    if (isZeroPoint(g1, g1o, 8) || isZeroPoint(g2, g2o, 16)) {
      return Fq12.ONE;
    }
    Fq2 xp = Fq2.ofFp(g1, g1o);
    Fq2 yp = Fq2.ofFp(g1, g1o + 4);
    Fq2 qx = Fq2.fromFlat(g2, g2o);
    Fq2 qy = Fq2.fromFlat(g2, g2o + 8);
    Fq2[] t = {qx, qy};
    Fq12 f = Fq12.ONE;
    for (int i = LOOP.bitLength() - 2; i >= 0; i--) {
      f = f.sqr();
      f = f.mul(step(t, t[0], t[1], xp, yp));
      if (LOOP.testBit(i)) {
        f = f.mul(step(t, qx, qy, xp, yp));
      }
    }
    Fq2 q1x = qx.conj().mul(FROB_X1);
    Fq2 q1y = qy.conj().mul(FROB_Y1);
    Fq2 q2x = qx.mul(FROB_X2);
    Fq2 q2y = qy.mul(FROB_Y2).neg();
    f = f.mul(step(t, q1x, q1y, xp, yp));
    f = f.mul(step(t, q2x, q2y, xp, yp));
    return f;
  }

  /**
   * The line through {@code T} and {@code Q} (the tangent when equal) evaluated at {@code P}, and
   * {@code T <- T + Q}. A vertical line (T = -Q) contributes 1 up to the final exponentiation; T is
   * then not used again.
   */
  private static Fq12 step(Fq2[] t, Fq2 qx, Fq2 qy, Fq2 xp, Fq2 yp) {
    Fq2 tx = t[0];
    Fq2 ty = t[1];
    Fq2 lambda;
    if (tx.eq(qx)) {
      if (!ty.eq(qy) || ty.isZero()) {
        // T = -Q: a vertical line, in Fp6, killed by the final exponentiation; this is the last
        // correction step of the optimal ate loop ([6x+2]Q + pi(Q) - pi^2(Q) = 0)
        return Fq12.ONE;
      }
      Fq2 x2 = tx.sqr();
      lambda = x2.add(x2).add(x2).mul(ty.add(ty).inv());
    } else {
      lambda = qy.sub(ty).mul(qx.sub(tx).inv());
    }
    Fq2 x3 = lambda.sqr().sub(tx).sub(qx);
    Fq2 y3 = lambda.mul(tx.sub(x3)).sub(ty);
    t[0] = x3;
    t[1] = y3;
    Fq6 c0 = new Fq6(yp, Fq2.ZERO, Fq2.ZERO);
    Fq6 c1 = new Fq6(lambda.mul(xp).neg(), lambda.mul(tx).sub(ty), Fq2.ZERO);
    return new Fq12(c0, c1);
  }
}
