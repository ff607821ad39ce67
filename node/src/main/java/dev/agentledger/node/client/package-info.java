/**
 * The client library of the node's client port: framed SUBMIT of signed AgentRun records with
 * per-transaction {@link dev.agentledger.node.net.TxStatus} answers, STATUS and TX_QUERY requests,
 * and SUBSCRIBE to the commit feed with its FEED receipts ({@link
 * dev.agentledger.node.client.AgentLedgerClient}: blocking sockets, pipelining allowed, one sender
 * thread and one reader thread). {@link dev.agentledger.node.client.ClusterSubmitter} is the one
 * client-side submission path, used by {@code agentledger submit} and by the load generator's
 * cluster target: each agent pinned to one validator so its nonces arrive in order, a bounded
 * window of SUBMIT frames per connection, and commit detection from a validator's commit feed (the
 * load generator) or by polling TX_QUERY ({@code submit}); a run counts as committed only once a
 * validator reports it. A retryable refusal (load shedding, {@code NONCE_TOO_FAR}) is resubmitted
 * with capped backoff and the agent's later runs wait behind it and then go out with it, pipelined
 * in nonce order ({@link dev.agentledger.node.client.core.ResubmitQueue}), so no agent is left with
 * a nonce gap. A lane whose submit connection is lost connects again with capped backoff and sends
 * the SUBMITs it left unanswered first, in order (a resent run refused as {@code NONCE_REPLAY} was
 * admitted the first time and counts as accepted). With a {@link
 * dev.agentledger.node.net.tls.ClientTls} both speak TLS 1.3 to a TLS client port, trusting one CA
 * and checking the host name.
 */
package dev.agentledger.node.client;
