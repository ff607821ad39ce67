/**
 * State commitments: a 256-bit sparse Merkle tree over the execution state, with membership and
 * non-membership proofs (Dahlberg, Pulls, Peeters, "Efficient Sparse Merkle Trees", NordSec 2016;
 * the compacted single-leaf subtrees of the Diem Jellyfish Merkle tree). One tree version per
 * commit; the newest {@code retainVersions} stay readable and provable while their before-images
 * and replaced tree nodes fit {@code retainBytes}, older ones are pruned (in memory, on disk and on
 * reopen alike).
 *
 * <p>{@link dev.agentledger.node.execution.state.SmtStateStore} is the state behind execution. It
 * keeps the newest value of every key in memory ({@link
 * dev.agentledger.node.execution.state.LatestValues}: keys and values in pages, per-key key
 * prefixes, lengths, versions and flags in primitive arrays; {@code prefetch} loads the lines that
 * the lookups of a group of keys will read, their misses together), and over them hash-pipeline's
 * {@link dev.agentledger.hash.smt.ArenaSparseMerkleTree} (its nodes and leaves in pages too). All
 * these pages share one {@link dev.agentledger.hash.smt.PageCache}: native frames outside the Java
 * heap, at most {@code --state-cache-mb} of them in the durable form ({@code
 * SmtStateStore.offHeapBytes} what is resident, {@code pagedBytes} all pages), the others paged out
 * to the store's {@code state_pages} (a dirty page written when evicted, one read to bring a page
 * back). Those page images are this process's swap, not part of the durable state: nothing below
 * reads them across a restart, so paging changes neither the commit's write batch nor crash
 * recovery, nor any root or proof (the tree's layout in its pages is the same whether resident or
 * not). The tree is updated once per commit with the commit's changed keys in one sorted batch (the
 * in-memory Merkleization of QMDB, LayerZero 2025; the per-block batch of the Jellyfish Merkle
 * tree). Closing a version sorts its keys by a 40-bit prefix packed with the position into one
 * {@code long} (ties by whole key), then copies their keys and hashes their values, loading the key
 * and value lines of each group of 64 keys together first ({@code LatestValues.touchEntries}) so
 * that their misses overlap. A key's first write in a version saves the value it replaces in that
 * version's {@link dev.agentledger.node.execution.state.VersionDelta}; reading an older retained
 * version walks these before-images back. A usage total or account written by many transactions of
 * a commit is one leaf update per commit.
 *
 * <p>On disk (format 5, {@link dev.agentledger.node.storage.StateLayout}): per version one log
 * record (each written key's value before and, after the checkpoint, after: as its changes to the
 * value before where that is shorter, as for an account's or usage total's counters) and its root;
 * the values themselves at checkpoints only (every {@code checkpointVersions} versions or {@link
 * dev.agentledger.node.execution.state.SmtStateStore#CHECKPOINT_KEYS} changed keys), one put per
 * key changed since the previous checkpoint, put in the keys' order (RocksDB's memtable search for
 * each then finds the previous one's nodes in the caches), except keys written once as new keys
 * (runs' entries, {@code StateStore.writeOnce}), which are packed a few thousand to a record. A
 * version's entries are added to the caller's write batch, so the execution stage writes them
 * atomically with the commit's query entries (a version is on disk whole or not at all). On open
 * the packed records and the checkpoint's values are read, the log records after it redone, the
 * result undone with the before-images to the oldest retained version, its tree built in one batch,
 * and the later versions redone, each root checked against the stored one. Tree nodes are never
 * written: rebuilding costs two hashes per key, once per start.
 *
 * <p>{@link dev.agentledger.node.execution.state.SparseMerkleState} is an independent persistent
 * tree with the same hashing, the reference the tests hold the store to; the proof format ({@link
 * dev.agentledger.node.execution.state.SparseMerkleProof}) is what {@code verify-proof} checks, and
 * it did not change with the arena tree (same leaf, node and empty hashes, same compaction).
 */
package dev.agentledger.node.execution.state;
