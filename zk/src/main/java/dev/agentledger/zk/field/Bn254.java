package dev.agentledger.zk.field;

import java.math.BigInteger;

/**
 * The constants of BN254 (alt_bn128, snarkjs's "bn128"): the base field modulus {@code p}, the
 * group order {@code r}, and the two Montgomery fields over them.
 */
public final class Bn254 {
  /** Base field modulus {@code p}. */
  public static final BigInteger P =
      new BigInteger(
          "21888242871839275222246405745257275088696311157297823662689037894645226208583");

  /** Group order {@code r} (the scalar field of circuits). */
  public static final BigInteger R =
      new BigInteger(
          "21888242871839275222246405745257275088548364400416034343698204186575808495617");

  /** The BN parameter {@code x}: {@code p = 36x^4 + 36x^3 + 24x^2 + 6x + 1}. */
  public static final BigInteger X = new BigInteger("4965661367192848881");

  /** The base field. */
  public static final MontField FP = new MontField(P);

  /** The scalar field. */
  public static final MontField FR = new MontField(R);

  private Bn254() {}
}
