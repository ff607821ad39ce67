/**
 * Curve25519 arithmetic for Ed25519, written for this project (pure logic: no threads, no I/O).
 *
 * <ul>
 *   <li>{@link dev.agentledger.sig.curve25519.Fe}: GF(2^255 - 19) in five 51-bit limbs; products
 *       split at bit 61 with {@code Math.multiplyHigh} so that columns need no 128-bit carries.
 *       Multiplication is 25 {@code multiplyHigh} + 25 {@code imul}; squaring 15 + 15.
 *   <li>{@link dev.agentledger.sig.curve25519.PointOps}: edwards25519 in extended coordinates
 *       (Hisil-Wong-Carter-Dawson 2008), decompression with the combined square-root-ratio (RFC
 *       8032 section 5.1.3) under the ZIP-215 decoding rule (y reduced mod p).
 *   <li>{@link dev.agentledger.sig.curve25519.Scalar25519}: arithmetic modulo the group order L.
 *   <li>{@link dev.agentledger.sig.curve25519.Ed25519Context}: RFC 8032 key generation and signing
 *       (constant-time fixed-base comb over signed radix-16 digits), ZIP-215 single verification
 *       with a wNAF double-scalar multiplication (variable time on public data).
 *   <li>{@link dev.agentledger.sig.curve25519.MultiScalarMul}: Straus and Pippenger multi-scalar
 *       multiplication for batch verification.
 *   <li>{@link dev.agentledger.sig.curve25519.Fe8} and {@link
 *       dev.agentledger.sig.curve25519.BatchDecompressor}: eight field elements per Vector API
 *       operation (radix 2^25.5 so that limb products fit 64-bit lanes), used for the
 *       exponentiation of batch decompression: about 4 ns per lane squaring against 16 ns for the
 *       scalar squaring on the development machine.
 * </ul>
 *
 * <p>Field operations per verification, counted with {@code -Dagentledger.fe.count=true} ({@code
 * FieldOpCount} in the tests): a single verification costs 1,418 M + 1,530 S (two decompressions of
 * 255 S + 17 M, 253 doublings of 3-4 M + 4 S, about 42 + 28 additions of 7-8 M). Batch verification
 * per signature: 428 M + 9 S at n = 1024 (775 M at 64, 347 M at 4096) for the multi-scalar
 * multiplication and point preparation, plus 63 eight-lane squarings and 3 eight-lane
 * multiplications (the 2 x 251 squarings of the two decompressions, eight at a time).
 */
package dev.agentledger.sig.curve25519;
