/**
 * The worker stage's I/O side: {@link dev.agentledger.node.worker.ValidatorNode} wires storage,
 * transport, ingress, mempool and the pure {@link dev.agentledger.node.worker.core.Worker} under
 * one Agrona agent per validator (the single-writer principle, Thompson et al., LMAX Disruptor).
 * Between the I/O threads and that agent sits the verify stage: a few agents that batch-verify the
 * signatures of client submissions and peer batches, fed and drained through many-to-one ring
 * buffers (Agrona ManyToOneRingBuffer). As in Narwhal's worker, it is also where client
 * transactions enter. The node also follows its own executed commits ({@link
 * dev.agentledger.node.worker.CommittedNonceSink}, a subscription to its commit feed) to keep the
 * mempool's per-agent nonces at the ledger's, and seeds them from the executed state ({@link
 * dev.agentledger.node.worker.StateNonceSource}) after a restart.
 */
package dev.agentledger.node.worker;
