/**
 * The verifier service: the sig-verify stage of the node pipeline (DESIGN.md section 2). A bounded
 * queue with explicit rejection in front of a pool of verifier agents that cut batches by size or
 * deadline and route them to a {@link dev.agentledger.sig.BatchVerifier} backend (Teku's
 * AggregatingSignatureVerificationService is the model: drain up to a batch, verify once, fall back
 * per item, which here is the bisection inside the backend). Threads live only here; the arithmetic
 * packages stay pure.
 */
package dev.agentledger.sig.service;
