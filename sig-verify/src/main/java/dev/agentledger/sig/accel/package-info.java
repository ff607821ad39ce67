/**
 * The bridge between sig-verify and the accel-kernels SPI (DESIGN.md section 4), both ways.
 *
 * <p>{@link dev.agentledger.sig.accel.CpuEd25519Backend} publishes the CPU batch verifier (random
 * linear combination of the verification equations, Bernstein et al., "High-speed high-security
 * signatures", 2012, section 5; ZIP-215 acceptance rules) as a host {@code Backend}, so the
 * accelerator router has a host path for Ed25519 and the benchmark an anchor. {@link
 * dev.agentledger.sig.accel.AccelBatchVerifier} goes the other way: it lets the verifier service
 * hand a batch to a device backend and re-verify it on the CPU if the device fails. Device kernels
 * must give exactly the single-mode ZIP-215 verdicts; the cross-check tests hold them to it.
 */
package dev.agentledger.sig.accel;
