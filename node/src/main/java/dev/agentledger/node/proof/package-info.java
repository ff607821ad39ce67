/**
 * Offline-verifiable proofs: the JSON format of {@link dev.agentledger.node.proof.LedgerProof}
 * (transaction inclusion: RFC 9162 section 2.1.3 audit paths into the commit's tx and receipts tree
 * heads; state: sparse Merkle membership or non-membership proofs into the commit's state root),
 * each anchored in a commit certificate, and {@link dev.agentledger.node.proof.ProofVerifier},
 * which needs nothing but the proof and the committee file. Parsing is strict (one textual form per
 * proof), so any changed byte is either refused as malformed or fails verification.
 */
package dev.agentledger.node.proof;
