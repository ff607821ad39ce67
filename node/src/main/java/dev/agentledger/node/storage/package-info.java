/**
 * Node storage: typed columns over one column family per kind of data (DESIGN.md section 7), atomic
 * write batches, and explicit durability. The protocol acknowledges a write (a batch availability
 * acknowledgement, a commit) only after a {@link dev.agentledger.node.storage.Durability#SYNCED}
 * write returned, so every acknowledgement survives a crash; a batch is all-or-nothing, so no
 * partial state is ever visible after recovery (the write-ahead-log atomicity of RocksDB's
 * WriteBatch). {@link dev.agentledger.node.storage.Durability#UNLOGGED} writes skip the log, for
 * data no one reads across a restart.
 *
 * <p>Implementations are leaves: {@code storage.rocksdb} and {@code storage.memory}. Nothing here
 * depends on RocksDB.
 */
package dev.agentledger.node.storage;
