/**
 * The sparse Merkle tree of the execution state: 256-bit keys, the key's bits (most significant
 * first) as the path, versioned content-addressed nodes behind {@link
 * dev.agentledger.hash.smt.NodeStore}.
 *
 * <p>Hashing, with domain separation by a one-byte prefix:
 *
 * <ul>
 *   <li>leaf: {@code SHA-256(0x00 || key || SHA-256(value))} (65-byte message);
 *   <li>internal: {@code SHA-256(0x01 || left || right)} (65-byte message, the RFC 6962 node form);
 *   <li>empty subtree, at every height: the default hash {@code 0^32} (32 zero bytes, not an output
 *       of SHA-256 in practice; never stored).
 * </ul>
 *
 * A node's store key is its hash and its value is exactly the message hashed (prefix and 64 bytes),
 * so every stored node is self-verifying. The tree is compacted as in the Diem/Aptos sparse Merkle
 * tree (Jellyfish Merkle tree paper, Gao et al. 2021; and the "compact sparse Merkle tree" of
 * Dahlberg, Pulls and Peeters, 2016): a subtree holding exactly one leaf is represented by that
 * leaf, so a key's leaf sits at the depth where its prefix becomes unique (about log2 n, not 256)
 * and an update costs that many hashes. An internal node therefore always has two non-empty
 * children or a non-leaf child; deletions lift a lone remaining leaf back up.
 *
 * <p>Proofs ({@link dev.agentledger.hash.smt.SmtProof}): the siblings from the root to where the
 * key's search ends, and the end: the key's leaf (membership), an empty subtree, or another leaf on
 * the key's path (non-membership). Batches are sorted by key and applied in one descent.
 *
 * <p>Two implementations of the one tree (same roots and proofs, held to each other by a test):
 *
 * <ul>
 *   <li>{@link dev.agentledger.hash.smt.ArenaSparseMerkleTree}, the state tree of a node: nodes in
 *       16 KiB pages of a {@link dev.agentledger.hash.smt.PageCache} (children's links and hashes
 *       in separate pages, grown a page at a time, never copied; resident in native frames outside
 *       the Java heap up to the cache's bound, paged out to its backing beyond it; frames carved
 *       from a few large slabs and read and written at raw addresses, a page table lookup per
 *       access and no object), a batch applied depth by depth over per-depth arrays rather than by
 *       recursion, each depth's scattered reads (links, leaf keys, siblings' hashes) issued
 *       together 64 at a time before they are used, so that their cache misses overlap (the
 *       siblings' hashes already as the descent passes them, and again before hashing),
 *       copy-on-write paths per version, new nodes hashed level by level through the multi-buffer
 *       SHA-256 engine, a stale-node index for pruning old versions (Jellyfish Merkle tree, section
 *       5). New nodes fill blocks of 64 node slots in address order; a freed slot is reused only
 *       with its block, once half of the block is free, so a commit's new nodes share cache lines
 *       and the arena stays within twice its peak of nodes in use. No allocation per update in
 *       steady state.
 *   <li>{@link dev.agentledger.hash.smt.SparseMerkleTree}: content-addressed nodes behind a {@link
 *       dev.agentledger.hash.smt.NodeStore} (memory, or RocksDB's {@code state_nodes}), every
 *       version kept, large batches forked onto the common pool; tools and the reference in tests.
 * </ul>
 */
package dev.agentledger.hash.smt;
