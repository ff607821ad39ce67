/**
 * State commitments: a 256-bit sparse Merkle tree over the execution state, with membership and
 * non-membership proofs (Dahlberg, Pulls, Peeters, "Efficient Sparse Merkle Trees", NordSec 2016;
 * the compacted single-leaf subtrees of the Diem Jellyfish Merkle tree). One tree version per
 * commit; every version stays readable and provable, so proofs can be served against any certified
 * root.
 *
 * <p>{@link dev.agentledger.node.execution.state.SmtStateStore} is the state behind execution, over
 * hash-pipeline's tree. Its durable form keeps the tree's nodes, each version's root and the values
 * per version in the node's store ({@link dev.agentledger.node.storage.StateLayout}): the value of
 * key K at version V is the first {@code state_values} entry at or after {@code K || ~V}, one seek.
 * A version's nodes, values and root are added to the caller's write batch, so the execution stage
 * writes them atomically with the commit's query entries (a version is on disk whole or not at all;
 * RocksDB's write batch is one write-ahead-log record). {@link
 * dev.agentledger.node.execution.state.SparseMerkleState} is an independent persistent tree with
 * the same hashing, the reference the tests hold the store to; the proof format ({@link
 * dev.agentledger.node.execution.state.SparseMerkleProof}) is what {@code verify-proof} checks.
 */
package dev.agentledger.node.execution.state;
