/**
 * The client library of the node's client port: framed SUBMIT of signed AgentRun records with
 * per-transaction {@link dev.agentledger.node.net.TxStatus} answers, and STATUS requests. Blocking
 * sockets, pipelining allowed (one sender thread, one reader thread).
 */
package dev.agentledger.node.client;
