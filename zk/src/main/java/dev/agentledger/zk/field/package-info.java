/**
 * Prime fields of BN254 in Montgomery form on four 64-bit limbs.
 *
 * <p>{@link dev.agentledger.zk.field.MontField}: CIOS Montgomery multiplication (Koc, Acar and
 * Kaliski, "Analyzing and comparing Montgomery multiplication algorithms", 1996) with the final
 * carry dropped because both moduli leave the top limb's high bit clear (the "no-carry"
 * optimisation used by gnark-crypto). Invariant: stored elements are fully reduced, below the
 * modulus; add/sub/mul end with one branch-free conditional subtraction. Elements live in
 * caller-owned {@code long[]} at offsets, so hot loops allocate nothing. {@link
 * dev.agentledger.zk.field.FieldOps} abstracts Fp (width 4) and Fp2 = Fp[u]/(u^2+1) (width 8) so
 * the curve code is written once. {@link dev.agentledger.zk.field.MontField#invPublic} inverts by
 * the binary GCD 31 steps at a time on 64-bit approximations (Pornin, "Optimized Binary GCD for
 * Modular Inversion", 2020; variable time, public data only), about 3x cheaper than the binary
 * extended Euclidean algorithm one bit at a time, which stays as its fallback.
 *
 * <p>{@link dev.agentledger.zk.field.Fp29x8}: the base field on eight 64-bit SIMD lanes (nine
 * 29-bit limbs, Montgomery radix {@code 2^261}, lazy carries) through the incubating Vector API, a
 * group of eight in one 512-bit vector (AVX-512) or in two 256-bit halves (AVX2, products masked to
 * 32 bits so that each is one {@code vpmuludq}); a product costs about a sixth of the scalar one on
 * AVX-512, about a third on AVX2; lazy differences (no carry chain) and lazy products (no final
 * subtraction) leave values redundant between products. It serves the G1 MSM's batched additions.
 */
package dev.agentledger.zk.field;
