/**
 * The worker stage's I/O side: {@link dev.agentledger.node.worker.ValidatorNode} wires storage,
 * transport, ingress, mempool and the pure {@link dev.agentledger.node.worker.core.Worker} under one
 * Agrona agent per validator (the single-writer principle, Thompson et al., LMAX Disruptor), with a
 * many-to-one ring buffer between the I/O threads and the agent (Agrona ManyToOneRingBuffer). As in
 * Narwhal's worker, it is also where client transactions enter.
 */
package dev.agentledger.node.worker;
