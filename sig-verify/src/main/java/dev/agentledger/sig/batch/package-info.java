/**
 * Batch verification of Ed25519 signatures under ZIP-215 (see {@link dev.agentledger.sig}).
 *
 * <p>For items i with decoded A_i, R_i, canonical S_i and k_i = H(R_i || A_i || M_i), pick random
 * 128-bit z_i from a CSPRNG and check one multi-scalar multiplication: [8]( sum [z_i] R_i + sum
 * [z_i k_i mod L] A_i + [-(sum z_i S_i) mod L] B ) = identity. (Bernstein, Duif, Lange, Schwabe,
 * Yang, "High-speed high-security signatures", CHES 2011, section 5; the factor 8 makes the batch
 * equation the sum of the cofactored single equations, and also makes the reduction of z_i k_i mod
 * L harmless for A_i with a torsion component.) Items that fail decoding or the S < L check are
 * rejected before the batch, exactly as in single mode. A failing batch is bisected: the left half
 * is checked; if it passes, the right half is known to fail and is split without being checked;
 * ranges of at most {@link dev.agentledger.sig.batch.CpuBatchVerifier#SINGLE_THRESHOLD} items are
 * verified one by one with the single-mode code, so every reported failure is exactly a single-mode
 * failure. The decoded public keys are kept in a {@link dev.agentledger.sig.batch.PublicKeyCache}
 * keyed by their 32 encoded bytes (ZIP-215 decoding is a function of those bytes), so a repeated
 * key is not decompressed again; keys that do not decode are never cached.
 */
package dev.agentledger.sig.batch;
