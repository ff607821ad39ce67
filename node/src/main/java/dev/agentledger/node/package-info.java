/**
 * The appliance node: transaction model ({@code tx}), keys, and the command line ({@code cli}).
 * Ingress, mempool, workers, consensus, execution, storage and the query API arrive as their own
 * packages, with pure logic in {@code core} sub-packages (no I/O, threads or clocks).
 */
package dev.agentledger.node;
