/**
 * G1 and G2 of BN254 (EIP-196/197): {@code y^2 = x^3 + 3} over Fp and its D-type sextic twist
 * {@code y^2 = x^3 + 3/(9+u)} over Fp2. Jacobian formulas from the Explicit-Formulas Database
 * (dbl-2009-l, add-2007-bl, madd-2007-bl, a = 0); affine infinity is all zeros, as in zkey files.
 * G1 has cofactor 1, so on-curve means in-group; G2 membership is checked by {@code [r]P = 0}.
 */
package dev.agentledger.zk.curve;
