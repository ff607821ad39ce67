package dev.agentledger.zk.groth16;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.pairing.Pairing;
import java.math.BigInteger;
import java.util.List;

/**
 * Groth16 verification (Groth, "On the size of pairing-based non-interactive arguments", 2016,
 * section 3.2) in snarkjs's form: with {@code L = IC_0 + sum x_i IC_i}, accept iff {@code e(-A, B)
 * e(L, gamma2) e(C, delta2) e(alpha1, beta2) == 1}. Inputs are validated where parsed ({@link
 * Proof}, {@link VerificationKey}).
 */
public final class Groth16Verifier {
  private Groth16Verifier() {}

  /** Whether the proof is valid for the key and public signals. */
  public static boolean verify(VerificationKey vk, Proof proof, BigInteger[] publics) {
    if (publics.length != vk.nPublic()) {
      throw new ZkInputException(
          "public signals: " + publics.length + " given, the key expects " + vk.nPublic());
    }
    CurveOps g1 = Bn254Curves.g1();
    long[] acc = new long[12];
    long[] term = new long[12];
    long[] pt = new long[12];
    g1.fromAffine(acc, 0, vk.ic(), 0);
    for (int i = 0; i < publics.length; i++) {
      g1.fromAffine(pt, 0, vk.ic(), 8 * (i + 1));
      g1.mulPublic(term, 0, pt, 0, publics[i]);
      g1.add(acc, 0, acc, 0, term, 0);
    }
    long[] l = new long[8];
    g1.toAffine(l, 0, acc, 0);
    long[] negA = proof.a().clone();
    Bn254Curves.g1().field().neg(negA, 4, negA, 4);
    return Pairing.productIsOne(
        List.of(
            new Pairing.Pair(negA, 0, proof.b(), 0),
            new Pairing.Pair(l, 0, vk.gamma2(), 0),
            new Pairing.Pair(proof.c(), 0, vk.delta2(), 0),
            new Pairing.Pair(vk.alpha1(), 0, vk.beta2(), 0)));
  }
}
