/**
 * JMH suites of the node's data path (ingress checks, signature batch, mempool), reporting
 * throughput and, under {@code -prof gc}, bytes allocated per transaction.
 */
package dev.agentledger.bench.node;
