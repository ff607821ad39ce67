/**
 * The in-process load target: the single-process verify-hash-persist pipeline ({@link
 * dev.agentledger.bench.loadgen.local.LocalPipelineTarget}), clearly not the cluster. Stages are
 * Agrona agents joined by bounded ring buffers (the single-writer, bounded-queue discipline of
 * DESIGN.md section 2); the commit stage does group commit with an RFC 6962 (section 2.1) Merkle
 * root per batch and fsync before any transaction of the batch counts as committed.
 */
package dev.agentledger.bench.loadgen.local;
