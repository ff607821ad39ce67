/**
 * The pure part of the soak ({@code agentledger soak}): each validator's memory samples ({@link
 * dev.agentledger.bench.soak.core.MemorySeries}) with their parts ({@link
 * dev.agentledger.bench.soak.core.MemoryPart}), their analysis (RSS at the start of the steady
 * state and at the end, the maximum, and the least-squares slope over the second half of the steady
 * state), the attribution of that slope to the parts, the verdict (memory flat, or its growth
 * RocksDB filling its bounded cache; nothing accepted lost, no fork, proofs verified) and the
 * results tables ({@link dev.agentledger.bench.soak.core.SoakAnalysis}). No I/O, no clocks: times
 * come in as numbers.
 */
package dev.agentledger.bench.soak.core;
