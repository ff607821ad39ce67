/**
 * The optimal ate pairing of BN254 (Vercauteren 2010) over the tower Fp2 = Fp[u]/(u^2+1), Fp6 =
 * Fp2[v]/(v^3 - (9+u)), Fp12 = Fp6[w]/(w^2 - v) (the tower of EIP-197 and ffjavascript). Miller
 * loop over {@code 6x+2} with affine line functions, two Frobenius correction lines, and the final
 * exponentiation {@code (p^12-1)/r} as an easy part and a square-and-multiply hard part. The
 * verifier needs a handful of pairings, so these classes are immutable values and favour clarity;
 * {@code pairingAsFfjavascript} reproduces snarkjs's {@code vk_alphabeta_12}, whose hard part
 * yields the {@code 2x(6x^2+3x+1)}-th power of the reduced pairing.
 */
package dev.agentledger.zk.pairing;
