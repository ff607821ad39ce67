/**
 * Ed25519 signatures for AgentLedger: RFC 8032 signing, verification under the ZIP-215 rules, batch
 * verification, and the verifier service.
 *
 * <p>{@link dev.agentledger.sig.Ed25519} is the entry point other modules use for single items;
 * {@link dev.agentledger.sig.BatchVerifier} (CPU implementation {@link
 * dev.agentledger.sig.batch.CpuBatchVerifier}) verifies many at once, and {@link
 * dev.agentledger.sig.service.VerifierService} feeds it from a bounded queue.
 *
 * <h2>Validation rules (ZIP-215)</h2>
 *
 * Zcash ZIP-215 ("Explicitly Defining and Modifying Ed25519 Validation Rules"); Chalkias, Garillot,
 * Nikolaenko, "Taming the many EdDSAs" (SSR 2020) table 5 compares libraries. A signature (R, S) on
 * M under A is valid iff
 *
 * <ol>
 *   <li>S, read as a 256-bit little-endian integer, is below L (canonical S; S >= L is rejected,
 *       otherwise S and S + L would be two valid signatures: malleability);
 *   <li>A and R decode: y is the low 255 bits <em>reduced mod p</em> (so the 19 non-canonical
 *       values y in [p, 2^255) are accepted), x is recovered from the sign bit, and x = 0 with the
 *       sign bit set ("negative zero") is accepted; only a y with no x is rejected;
 *   <li>small-order and mixed-order A and R are accepted (no blocklist);
 *   <li>the <em>cofactored</em> equation holds: [8][S]B = [8]R + [8][k]A with k = SHA-512(R || A ||
 *       M) mod L over the bytes as received.
 * </ol>
 *
 * <p>Differences, stated by the tests case by case ({@code Zip215VectorsTest}, the libsodium test):
 *
 * <ul>
 *   <li><b>RFC 8032 section 5.1.7 strict</b>: rejects y >= p and negative zero; allows either
 *       equation but recommends the cofactored one; implementations mostly use the cofactorless
 *       [S]B = R + [k]A, which rejects mixed-order A or R whenever the torsion part survives.
 *   <li><b>BouncyCastle 1.87</b> (observed): cofactored like ZIP-215, but rejects public keys of
 *       small order and rejects non-canonical encodings of A and R.
 *   <li><b>libsodium 1.0.18</b>: cofactorless and compares the encoding of [S]B - [k]A with the
 *       bytes of R (so non-canonical R fails), rejects small-order A and small-order R, rejects a
 *       non-canonical A.
 * </ul>
 *
 * <h2>Why single and batch must agree</h2>
 *
 * Validators decide block validity from signature verdicts; if one node verified a transaction
 * alone (accept) and another in a batch (reject), honest nodes would disagree on the ledger: a
 * consensus split an attacker can trigger with one crafted signature. The cofactorless equation
 * cannot be batched exactly (a random linear combination of cofactorless equations can accept or
 * reject differently from the single check when torsion components are present), which is the
 * reason ZIP-215 fixes the cofactored equation: the batch equation [8]( sum z_i R_i + sum [z_i k_i]
 * A_i - [sum z_i S_i] B ) = 0 holds for valid items for any z_i, and for an invalid item the
 * non-zero element [8](R_i + k_i A_i - S_i B) of the prime-order subgroup survives the random
 * 128-bit z_i except with probability 2^-128. Decoding and S checks are done per item before the
 * batch, deterministically, in both modes.
 */
package dev.agentledger.sig;
