/**
 * Curve25519 arithmetic for Ed25519, written for this project (pure logic: no threads, no I/O).
 *
 * <ul>
 *   <li>{@link dev.agentledger.sig.curve25519.Fe}: GF(2^255 - 19) in five 51-bit limbs. Two
 *       multiplications: {@code mul}/{@code sq} split products at bit 61 with {@code
 *       Math.multiplyHigh} so that columns need no 128-bit carries (25 {@code multiplyHigh} + 25
 *       {@code imul}; squaring 15 + 15; limbs up to 2^54), and {@code mulFma}/{@code sqFma} take
 *       each column's low 64 bits from wrapping {@code imul}s and its high bits from a
 *       double-precision FMA chain, exact for limbs below 2^53.4 (the error bound is in {@code
 *       mulFma}'s note): 25 {@code imul} + 25 FMA, about a fifth less time per operation here. The
 *       point formulas, decompression and the paired exponentiation use the FMA form.
 *   <li>{@link dev.agentledger.sig.curve25519.PointOps}: edwards25519 in extended coordinates
 *       (Hisil-Wong-Carter-Dawson 2008), decompression with the combined square-root-ratio (RFC
 *       8032 section 5.1.3) under the ZIP-215 decoding rule (y reduced mod p).
 *   <li>{@link dev.agentledger.sig.curve25519.Scalar25519}: arithmetic modulo the group order L.
 *   <li>{@link dev.agentledger.sig.curve25519.Ed25519Context}: RFC 8032 key generation and signing
 *       (constant-time fixed-base comb over signed radix-16 digits), ZIP-215 single verification
 *       with half-size scalars (variable time on public data): {@link
 *       dev.agentledger.sig.curve25519.HalfSizeSplit} writes k = c0 / c1 (mod L) with c0, |c1|
 *       below 2^127 (Pornin, ePrint 2020/454), and the equation multiplied by c1 runs over one
 *       128-step doubling chain: width-8 NAF of |c1| S mod L on the tables of B and 2^128 B ({@link
 *       dev.agentledger.sig.curve25519.BaseTables}), width-5 NAF of c0 and |c1| on eight odd
 *       multiples of A and of R. A and R are decompressed as a pair (two interleaved square-root
 *       exponentiations).
 *   <li>{@link dev.agentledger.sig.curve25519.MultiScalarMul}: Straus and Pippenger multi-scalar
 *       multiplication for batch verification; Pippenger's bucket additions run eight at a time in
 *       {@link dev.agentledger.sig.curve25519.LaneBuckets} (groups of eight distinct buckets,
 *       copied into Fe8 lanes with scalar loads, one lane-wise mixed addition, copied back).
 *   <li>{@link dev.agentledger.sig.curve25519.Fe8} and {@link
 *       dev.agentledger.sig.curve25519.BatchDecompressor}: eight field elements per Vector API
 *       operation (radix 2^25.5 so that limb products fit 64-bit lanes), used for the
 *       exponentiation of batch decompression (about 4 ns per lane squaring against 16 ns for the
 *       scalar squaring on the development machine) and for Pippenger's bucket additions. Only
 *       where this CPU runs 512-bit vectors natively ({@code Fe8.NATIVE}, overridden by {@code
 *       -Dagentledger.ed25519.lanes=vector|scalar}); elsewhere the Vector API would emulate the
 *       lanes in Java, so both run the scalar formulas (decompression two points in lockstep,
 *       buckets one mixed addition at a time), with the same results.
 * </ul>
 *
 * <p>Field operations per verification, counted with {@code -Dagentledger.fe.count=true} ({@code
 * FieldOpCount} in the tests): a single verification costs 1,109 M + 1,035 S (two decompressions of
 * 255 S + 20 M, 128 doublings of 4 S + 3-4 M, about 28 base-table additions of 7 M and 42 additions
 * of A and R multiples of 8 M, 2 x 72 M for the two tables); before the half-size split it was
 * 1,418 M + 1,530 S over 253 doublings. Batch verification per signature at n = 1024: 89 M + 9 S
 * scalar (bucket sums, point preparation) plus 47.7 eight-lane multiplications (the bucket
 * additions, about 54 per signature, 7 each, including the unused lanes of partial groups) and 63
 * eight-lane squarings and 3 eight-lane multiplications (the 2 x 251 squarings of the two
 * decompressions, eight at a time). At n = 64 (Straus) 707 M + 32 S scalar.
 */
package dev.agentledger.sig.curve25519;
