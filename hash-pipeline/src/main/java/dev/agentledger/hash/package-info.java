/**
 * The hashing engine of the appliance: SHA-256 (FIPS 180-4) behind {@link
 * dev.agentledger.hash.Sha256Engine}, single-stream through the JDK intrinsic ({@link
 * dev.agentledger.hash.Sha256}) or multi-buffer with the Vector API ({@code hash.simd}), chosen per
 * batch size by {@link dev.agentledger.hash.Sha256Engines}. Sub-packages: RFC 6962/9162 Merkle
 * trees ({@code merkle}), the sparse Merkle state tree ({@code smt}), CIDv1 and the run-history DAG
 * ({@code cid}), and the bridge to the accelerator SPI ({@code accel}). Throughput measurements of
 * these engines are in bench.
 */
package dev.agentledger.hash;
