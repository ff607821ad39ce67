/**
 * State commitments: a persistent 256-bit sparse Merkle tree over the execution state, with
 * membership and non-membership proofs (Dahlberg, Pulls, Peeters, "Efficient Sparse Merkle Trees",
 * NordSec 2016; the compacted single-leaf subtrees of the Diem Jellyfish Merkle tree). One root per
 * commit; snapshots keep old roots provable. To be backed by hash-pipeline's sparse Merkle tree and
 * its node store when that lands; the proof format here is what {@code verify-proof} checks.
 */
package dev.agentledger.node.execution.state;
