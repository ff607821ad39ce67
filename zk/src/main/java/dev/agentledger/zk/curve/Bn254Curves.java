package dev.agentledger.zk.curve;

import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.Fp2Ops;
import dev.agentledger.zk.field.FpOps;
import dev.agentledger.zk.field.MontField;
import java.math.BigInteger;

/**
 * G1 ({@code y^2 = x^3 + 3} over Fp) and G2 (the sextic D-type twist {@code y^2 = x^3 + 3/xi} over
 * Fp2, {@code xi = 9 + u}) of BN254, their generators (EIP-196/197), and membership checks.
 * Coordinates are Montgomery-form limbs as described in {@link CurveOps}.
 */
public final class Bn254Curves {
  private static final MontField F = Bn254.FP;

  /** {@code b} of G1: 3. */
  public static final long[] B1 = F.of(3);

  /** {@code b'} of G2: {@code 3 / (9 + u)}. */
  public static final long[] B2 = twistB();

  /** The G1 generator (1, 2), affine. */
  public static final long[] G1_GENERATOR = g1Affine(BigInteger.ONE, BigInteger.TWO);

  /** The G2 generator of EIP-197, affine. */
  public static final long[] G2_GENERATOR =
      g2Affine(
          new BigInteger(
              "10857046999023057135944570762232829481370756359578518086990519993285655852781"),
          new BigInteger(
              "11559732032986387107991004021392285783925812861821192530917403151452391805634"),
          new BigInteger(
              "8495653923123431417604973247489272438418190587263600148770280649306958101930"),
          new BigInteger(
              "4082367875863433681332203403145435568316851327593401208105741076214120093531"));

  private Bn254Curves() {}

  private static long[] twistB() {
    Fp2Ops f2 = new Fp2Ops();
    long[] xi = new long[8];
    F.fromBigInteger(xi, 0, BigInteger.valueOf(9));
    F.fromBigInteger(xi, 4, BigInteger.ONE);
    long[] r = new long[8];
    f2.inv(r, 0, xi, 0);
    long[] three = new long[8];
    F.fromBigInteger(three, 0, BigInteger.valueOf(3));
    f2.mul(r, 0, r, 0, three, 0);
    return r;
  }

  /** New G1 operations (own scratch space). */
  public static CurveOps g1() {
    return new CurveOps(new FpOps(F), B1);
  }

  /** New G2 operations (own scratch space). */
  public static CurveOps g2() {
    return new CurveOps(new Fp2Ops(), B2);
  }

  /** Affine G1 point from canonical coordinates (not validated; (0, 0) is infinity). */
  public static long[] g1Affine(BigInteger x, BigInteger y) {
    long[] p = new long[8];
    F.fromBigInteger(p, 0, x);
    F.fromBigInteger(p, 4, y);
    return p;
  }

  /** Affine G2 point from canonical coordinates {@code x = x0 + x1 u}, {@code y = y0 + y1 u}. */
  public static long[] g2Affine(BigInteger x0, BigInteger x1, BigInteger y0, BigInteger y1) {
    long[] p = new long[16];
    F.fromBigInteger(p, 0, x0);
    F.fromBigInteger(p, 4, x1);
    F.fromBigInteger(p, 8, y0);
    F.fromBigInteger(p, 12, y1);
    return p;
  }

  /** Whether an affine G1 point is on the curve (G1 has cofactor 1, so it is in the group). */
  public static boolean g1IsValid(long[] p, int po) {
    return g1().isOnCurveAffine(p, po);
  }

  /** Whether an affine G2 point is on the twist and in the order-r subgroup. */
  public static boolean g2IsValid(long[] p, int po) {
    CurveOps g2 = g2();
    if (!g2.isOnCurveAffine(p, po)) {
      return false;
    }
    if (g2.isInfinityAffine(p, po)) {
      return true;
    }
    long[] j = new long[24];
    long[] r = new long[24];
    g2.fromAffine(j, 0, p, po);
    g2.mulPublic(r, 0, j, 0, Bn254.R);
    return g2.isInfinity(r, 0);
  }

  /** Canonical coordinates of an affine point as decimal strings (x..., y...). */
  public static String[] toDecimal(long[] p, int po, int width) {
    String[] out = new String[2 * width / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = F.toBigInteger(p, po + 4 * i).toString();
    }
    return out;
  }
}
