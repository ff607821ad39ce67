/**
 * The worker stage's I/O side and the assembly of a validator's stages: {@link
 * dev.agentledger.node.worker.ValidatorNode} wires storage, transport, ingress, mempool and the
 * pure {@link dev.agentledger.node.worker.core.Worker} under one Agrona agent per validator (the
 * single-writer principle, Thompson et al., LMAX Disruptor), and the consensus primary, execution
 * and the commit feed when configured; it hands every agent to the runtime ({@code
 * runtime.Validator}) and owns no thread. Between the I/O threads and the worker agent sits the
 * verify stage: a few agents that batch-verify the signatures of client submissions and peer
 * batches, fed and drained through many-to-one ring buffers (Agrona ManyToOneRingBuffer); a verify
 * agent stages no more in a round than its output rings can take. As in Narwhal's worker, it is
 * also where client transactions enter. The node also follows its own executed commits ({@link
 * dev.agentledger.node.worker.CommittedNonceSink}, a subscription to its commit feed) to keep the
 * mempool's per-agent nonces at the ledger's, and seeds them from the executed state ({@link
 * dev.agentledger.node.worker.StateNonceSource}) after a restart. A restarted node refuses
 * submissions (OVERLOADED) until its execution has reached the head a peer reports, since until
 * then that state cannot tell a committed nonce from the next one.
 */
package dev.agentledger.node.worker;
