/**
 * JMH benchmarks of the {@code AgentRun} codec (DESIGN.md section 1): encode, decode, validate and
 * the transaction id, against the JDK SHA-256 of the id preimage as anchor. Allocation-free by
 * design; {@code -prof gc} checks it.
 */
package dev.agentledger.bench.codec;
