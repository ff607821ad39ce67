/**
 * The pure part of the client's submission path: {@link
 * dev.agentledger.node.client.core.ResubmitQueue} decides which refused runs are resubmitted, when
 * (capped exponential backoff) and in what order (per agent in nonce order, the later runs waiting
 * behind a refused one). No I/O, no clock, no threads.
 */
package dev.agentledger.node.client.core;
