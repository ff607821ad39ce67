/**
 * Commit records and commit certificates. After executing commit n a validator builds its {@link
 * dev.agentledger.node.commit.CommitRecord} (consensus round and anchor, batch digests, the RFC
 * 6962 tree heads over the transaction ids and the receipts, the sparse Merkle state root, the hash
 * of commit n-1) and signs its hash; signatures of more than two thirds of the stake form a {@link
 * dev.agentledger.node.commit.CommitCertificate}. Everything a client needs to check an answer
 * offline hangs off a certified commit: RFC 9162 section 2.1.3 audit paths into its tree heads, and
 * sparse Merkle proofs into its state root.
 */
package dev.agentledger.node.commit;
