/**
 * The in-memory leaf of {@link dev.agentledger.node.storage.Store}, for the deterministic simulator
 * and unit tests: same ordering and batch atomicity as RocksDB, no durability.
 */
package dev.agentledger.node.storage.memory;
