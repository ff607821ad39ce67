/**
 * The mempool stage: {@link dev.agentledger.node.mempool.core} holds the logic; the worker agent of
 * the node drives it (one writer thread, DESIGN.md section 2).
 */
package dev.agentledger.node.mempool;
