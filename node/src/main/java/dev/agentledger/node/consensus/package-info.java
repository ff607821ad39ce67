/**
 * Consensus plumbing around the pure core ({@code consensus.core}): Ed25519 signatures behind the
 * core's signature interfaces, and the parallel batch verification of inbound messages (section
 * 4 of issue 7: multi-threaded validation, single-threaded deterministic core). A transport
 * drives a {@link dev.agentledger.node.consensus.core.PrimaryCore}: verify a batch of inbound
 * messages here, hand the valid ones to {@code onMessage} on the core's thread, call {@code
 * onTick} on a timer, send what the {@code PrimaryOutbox} receives.
 */
package dev.agentledger.node.consensus;
