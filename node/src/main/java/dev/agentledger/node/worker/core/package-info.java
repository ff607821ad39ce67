/**
 * The worker's pure core (Narwhal data dissemination: Danezis, Kokoris-Kogias, Sonnino, Spiegelman,
 * "Narwhal and Tusk: A DAG-based Mempool and Efficient BFT Consensus", EuroSys 2022, section 4.1):
 * seal batches, digest them as SHA-256 over author, sequence number and the RFC 6962 tree head over
 * their transaction ids (so each sealing is its own batch), replicate to the same worker of every
 * other validator, collect signed availability acknowledgements, certify at more than 2/3 of the
 * stake, and fetch missing batches on demand ({@link
 * dev.agentledger.node.worker.core.BatchFetcher}: many at once, spread over the holders, bounded in
 * flight, retried elsewhere on timeout). Events in, frames and certificates out; no threads, clocks
 * or Netty. Storage is reached through the {@code Store} interface. Certificates are verified once
 * per validator ({@link dev.agentledger.node.worker.core.VerifiedCertificates}, shared with the
 * primary) and as one batch of signatures ({@link
 * dev.agentledger.node.worker.core.CertificateVerifier}).
 *
 * <p>{@link dev.agentledger.node.worker.core.ExecutionBacklog} is the backpressure from execution:
 * from the backlog of committed-but-unexecuted transactions and the heap after the last collection
 * (both passed in), with hysteresis, whether the node admits submissions and seals batches. {@link
 * dev.agentledger.node.worker.core.QueueDelayGate} bounds the queueing delay instead (Little's law:
 * the work queued ahead of a new run over the measured commit rate, against a target delay); the
 * node admits while both are open.
 */
package dev.agentledger.node.worker.core;
