/**
 * The RocksDB leaf of {@link dev.agentledger.node.storage.Store}: column families per kind, one LRU
 * block cache that the memtables are charged to (a write buffer manager), so that the cache's
 * capacity bounds RocksDB's memory, bloom filters, LZ4/ZSTD compression, blob files for the
 * kilobyte values of append-mostly families (compaction moves their keys only; blob garbage
 * collection only where values are deleted or rewritten), the state's paged-out pages unlogged and
 * uncompressed, the hash-keyed index families uncompressed at every level, and WAL-synced writes
 * for acknowledged data. Atomicity of a write batch is RocksDB's: the batch is one WAL record,
 * replayed whole or not at all on recovery (RocksDB wiki, "Write Ahead Log" and "WriteBatch").
 */
package dev.agentledger.node.storage.rocksdb;
