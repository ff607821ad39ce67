/**
 * The bridge between hash-pipeline and the accel-kernels SPI (DESIGN.md section 4), both ways.
 *
 * <p>{@link dev.agentledger.hash.accel.SimdHashBackend} publishes the multi-buffer SHA-256 (FIPS
 * 180-4; one message per SIMD lane, Gueron and Krasnov, "Parallelizing message schedules to
 * accelerate the computations of hash functions", 2012) as a host {@code Backend} for fixed-size
 * batches and RFC 6962 levels and roots. {@link dev.agentledger.hash.accel.BackendLevelHasher} goes
 * the other way: it lets the RFC 6962 / RFC 9162 tree code hash its levels on any backend (OpenCL,
 * CUDA) through the {@code LevelHasher} seam, re-hashing a range on the CPU when the device fails,
 * so the tree bytes never depend on where they were computed.
 */
package dev.agentledger.hash.accel;
