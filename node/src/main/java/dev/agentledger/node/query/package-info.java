/**
 * The query side: a {@link dev.agentledger.node.query.QueryStore} (in memory under {@code memory/},
 * RocksDB on a real node), the {@link dev.agentledger.node.query.ProofService} that turns stored
 * commits into offline-verifiable proofs, and the HTTP/JSON API under {@code http/} (Netty). Every
 * answer carries its proof: an RFC 9162 audit path or a sparse Merkle proof, anchored in a commit
 * certificate.
 */
package dev.agentledger.node.query;
