/**
 * Pure logic of the accelerator layer: the routing decision from measured throughput and batch size
 * (DESIGN.md section 4: small batches stay on the CPU). No clocks, threads or native code here; the
 * {@link dev.agentledger.accel.Router} measures and feeds it.
 */
package dev.agentledger.accel.core;
