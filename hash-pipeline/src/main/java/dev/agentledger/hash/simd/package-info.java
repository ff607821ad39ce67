/**
 * Multi-buffer SHA-256 (FIPS 180-4 section 6.2) with the JDK Vector API: one independent message
 * per lane of {@code IntVector.SPECIES_PREFERRED}, in the manner of Intel's multi-buffer hashing
 * (Gueron and Krasnov, "Parallelizing message schedules to accelerate the computations of hash
 * functions", 2012). Inputs are transposed word-major so every vector access is a plain load; the
 * schedule of rounds 16..63 lives in registers; blocks whose words are constant across lanes
 * (padding, lengths) have their schedule precomputed ({@code BlockTemplate}). {@code WarmSha256}
 * puts the engine behind a gate: the JDK's SHA-256 until the engine is measured warm and faster.
 */
package dev.agentledger.hash.simd;
