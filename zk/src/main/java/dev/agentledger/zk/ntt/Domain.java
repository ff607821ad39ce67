package dev.agentledger.zk.ntt;

import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import java.math.BigInteger;

/**
 * The radix-2 evaluation domains of Fr, with the roots of unity chosen as ffjavascript chooses them
 * (so that snarkjs's H points match): {@code r - 1 = 2^s t} with t odd ({@code s = 28}), {@code
 * nqr} the smallest quadratic non-residue from 2 upward, {@code w_s = nqr^t} a primitive {@code
 * 2^s}-th root, {@code w_k = w_{k+1}^2}. snarkjs's coset shift for a domain of {@code 2^k} points
 * is {@code w_{k+1}} (or {@code nqr^2} when {@code k = s}).
 */
public final class Domain {
  private static final MontField FR = Bn254.FR;

  /** The two-adicity {@code s} of {@code r - 1}. */
  public static final int TWO_ADICITY;

  private static final long[][] ROOTS;
  private static final long[] NQR;

  static {
    BigInteger r = Bn254.R;
    BigInteger rm1 = r.subtract(BigInteger.ONE);
    int s = rm1.getLowestSetBit();
    BigInteger t = rm1.shiftRight(s);
    BigInteger half = rm1.shiftRight(1);
    BigInteger nqr = BigInteger.TWO;
    while (!nqr.modPow(half, r).equals(rm1)) {
      nqr = nqr.add(BigInteger.ONE);
    }
    TWO_ADICITY = s;
    NQR = FR.of(nqr);
    ROOTS = new long[s + 1][];
    ROOTS[s] = FR.of(nqr.modPow(t, r));
    for (int k = s - 1; k >= 0; k--) {
      ROOTS[k] = new long[4];
      FR.mul(ROOTS[k], 0, ROOTS[k + 1], 0, ROOTS[k + 1], 0);
    }
  }

  private Domain() {}

  /** A primitive {@code 2^k}-th root of unity (Montgomery form, fresh array). */
  public static long[] root(int k) {
    return ROOTS[k].clone();
  }

  /** snarkjs's coset shift for a domain of {@code 2^k} points (Montgomery form, fresh array). */
  public static long[] cosetShift(int k) {
    if (k == TWO_ADICITY) {
      long[] r = new long[4];
      FR.mul(r, 0, NQR, 0, NQR, 0);
      return r;
    }
    return ROOTS[k + 1].clone();
  }
}
