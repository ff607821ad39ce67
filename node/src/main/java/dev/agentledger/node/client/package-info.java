/**
 * The client library of the node's client port: framed SUBMIT of signed AgentRun records with
 * per-transaction {@link dev.agentledger.node.net.TxStatus} answers, STATUS and TX_QUERY requests
 * ({@link dev.agentledger.node.client.AgentLedgerClient}: blocking sockets, pipelining allowed, one
 * sender thread and one reader thread). {@link dev.agentledger.node.client.ClusterSubmitter} is the
 * one client-side submission path, used by {@code agentledger submit} and by the load generator's
 * cluster target: each agent pinned to one validator so its nonces arrive in order, a bounded
 * window of SUBMIT frames per connection, and commit detection by polling TX_QUERY (a run counts as
 * committed only once consensus ordered it).
 */
package dev.agentledger.node.client;
