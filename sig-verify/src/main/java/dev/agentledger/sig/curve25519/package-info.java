/**
 * Curve25519 arithmetic for Ed25519, written for this project (pure logic: no threads, no I/O).
 *
 * <ul>
 *   <li>{@link dev.agentledger.sig.curve25519.Fe}: GF(2^255 - 19) in five 51-bit limbs; products
 *       split at bit 61 with {@code Math.multiplyHigh} so that columns need no 128-bit carries.
 *       Multiplication is 25 {@code multiplyHigh} + 25 {@code imul}; squaring 15 + 15.
 *   <li>{@link dev.agentledger.sig.curve25519.PointOps}: edwards25519 in extended coordinates
 *       (Hisil-Wong-Carter-Dawson 2008), decompression with the combined square-root-ratio
 *       (RFC 8032 section 5.1.3) under the ZIP-215 decoding rule (y reduced mod p).
 *   <li>{@link dev.agentledger.sig.curve25519.Scalar25519}: arithmetic modulo the group order L.
 *   <li>{@link dev.agentledger.sig.curve25519.Ed25519Context}: RFC 8032 key generation and
 *       signing (constant-time fixed-base comb over signed radix-16 digits), ZIP-215 single
 *       verification with a wNAF double-scalar multiplication (variable time on public data).
 *   <li>{@link dev.agentledger.sig.curve25519.MultiScalarMul}: Straus and Pippenger multi-scalar
 *       multiplication for batch verification.
 * </ul>
 *
 * <p>Field operations per single verification: two decompressions (2 x (255 S + 17 M)), a
 * width-8/width-5 interleaved double-scalar multiplication (253 doublings of 3-4 M + 4 S and about
 * 42 + 28 additions of 7-8 M) and the cofactor check (3 doublings): about 1,200 M + 1,550 S.
 */
package dev.agentledger.sig.curve25519;
