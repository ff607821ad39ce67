/**
 * An in-memory {@link dev.agentledger.node.consensus.core.ConsensusStore} for the simulator and
 * tests: a simulated crash keeps it, a new primary recovers from it. The RocksDB store (column
 * families {@code certificates}, {@code commits}, {@code meta}; DESIGN section 7) implements the
 * same interface.
 */
package dev.agentledger.node.consensus.memory;
