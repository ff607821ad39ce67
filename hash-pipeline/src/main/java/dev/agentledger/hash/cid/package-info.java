/**
 * Content addresses and the run-history DAG: CIDv1 (multiformats CID spec; multicodec raw 0x55,
 * dag-cbor 0x71; multihash sha2-256 0x12; multibase base32 lower 'b', RFC 4648 section 6), a strict
 * deterministic DAG-CBOR subset (RFC 8949 section 4.2 plus the IPLD DAG-CBOR rules: tag 42 links,
 * sorted text keys, minimal definite lengths, no floats), {@link
 * dev.agentledger.hash.cid.HistoryNode} for an agent's execution history, and {@link
 * dev.agentledger.hash.cid.DagVerifier}, which checks that every link of a DAG resolves to a block
 * whose hash matches.
 */
package dev.agentledger.hash.cid;
