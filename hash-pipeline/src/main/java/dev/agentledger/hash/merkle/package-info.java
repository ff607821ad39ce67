/**
 * RFC 6962 section 2.1 / RFC 9162 section 2.1 Merkle trees: the tree head (MTH), inclusion proofs
 * (audit paths, RFC 9162 2.1.3) and consistency proofs (RFC 9162 2.1.4), each with generation and
 * verification.
 *
 * <p>Hashing: leaf {@code SHA-256(0x00 || d)}, node {@code SHA-256(0x01 || left || right)}, empty
 * tree {@code SHA-256("")}. The tree is built level by level; an unpaired last node is carried up
 * unchanged, which yields exactly the RFC's split at the largest power of two below n. Whole levels
 * go through a {@link dev.agentledger.hash.merkle.LevelHasher}, the seam where the multi-buffer
 * SIMD engine and the accel-kernels GPU backends (through {@code hash.accel.BackendLevelHasher})
 * plug in without touching tree code. {@link dev.agentledger.hash.merkle.MerkleAppender} extends a
 * tree by batches, keeping only the compact range (one subtree root per set bit of the size).
 */
package dev.agentledger.hash.merkle;
