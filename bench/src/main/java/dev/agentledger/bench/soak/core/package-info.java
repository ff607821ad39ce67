/**
 * The pure part of the soak ({@code agentledger soak}): each validator's memory samples ({@link
 * dev.agentledger.bench.soak.core.MemorySeries}), their analysis (RSS at the start of the steady
 * state and at the end, the maximum, and the least-squares slope over the second half of the steady
 * state), the verdict (memory flat, nothing accepted lost, no fork, proofs verified) and the
 * results table ({@link dev.agentledger.bench.soak.core.SoakAnalysis}). No I/O, no clocks: times
 * come in as numbers.
 */
package dev.agentledger.bench.soak.core;
