/**
 * The accelerator SPI (DESIGN.md section 4): {@link dev.agentledger.accel.Backend} with its
 * capabilities (SHA-256 batches, RFC 6962 levels and roots, ZIP-215 Ed25519 batch verification),
 * the device probe as a value ({@link dev.agentledger.accel.ProbeResult}), per-launch timing from
 * device events ({@link dev.agentledger.accel.LaunchTiming}), the {@link
 * dev.agentledger.accel.BackendRegistry} that higher modules add their host backends to, and the
 * {@link dev.agentledger.accel.Router} that picks a backend per batch from measured throughput.
 * Leaves: {@code cpu} (JDK), {@code opencl} (JOCL), {@code cuda} (JCuda driver API).
 */
package dev.agentledger.accel;
