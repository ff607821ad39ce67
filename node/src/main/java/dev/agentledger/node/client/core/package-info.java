/**
 * The pure part of the client's submission path: {@link
 * dev.agentledger.node.client.core.ResubmitQueue} decides which refused runs are resubmitted, when
 * (capped exponential backoff) and in what order (per agent in nonce order, the later runs waiting
 * behind a refused one and then sent with it, pipelined, a bounded number of an agent's runs in
 * flight); {@link dev.agentledger.node.client.core.ReconnectBackoff} decides when a lane whose
 * connection is lost tries again (capped exponential backoff, by default for as long as the lane
 * runs). No I/O, no clock, no threads.
 */
package dev.agentledger.node.client.core;
