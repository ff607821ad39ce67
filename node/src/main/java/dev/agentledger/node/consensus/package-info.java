/**
 * Consensus plumbing around the pure core ({@code consensus.core}): Ed25519 signatures behind the
 * core's signature interfaces (single, and batch verification of a range of signatures as one
 * multi-scalar multiplication), the parallel batch verification of inbound messages (multi-threaded
 * validation in front of a single-threaded deterministic core; the acknowledgements of the worker
 * batch certificates that peers' batch references carry are verified in the same batch; a signature
 * already known valid, one verified before or made with the own key, is not verified again: {@link
 * dev.agentledger.node.consensus.KnownSignatures}), the RocksDB-backed {@link
 * dev.agentledger.node.consensus.StoreConsensusStore}, and {@link
 * dev.agentledger.node.consensus.PrimaryService}, which runs a {@link
 * dev.agentledger.node.consensus.core.PrimaryCore} inside {@code node run}: inbound CONSENSUS
 * frames are decoded strictly, verified in parallel and handed to the core by the primary's agent
 * (one duty cycle: messages, own batches, the core's timers, pending commits); the core's outbox
 * becomes CONSENSUS frames on the authenticated peer links; the committed sub-DAG stream is
 * resolved to worker batches (Narwhal, Danezis et al., EuroSys 2022: vertices carry
 * batch-certificate digests) and written as hash-chained consensus commits, the {@code commits}
 * column family (Bullshark, Spiegelman et al., CCS 2022: every honest validator commits the same
 * sequence of anchors and histories).
 */
package dev.agentledger.node.consensus;
