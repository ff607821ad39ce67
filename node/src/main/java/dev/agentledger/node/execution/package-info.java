/**
 * The execution stage (DESIGN.md section 2): drives the pure {@link
 * dev.agentledger.node.execution.core.LedgerExecutor} over the consensus output, chains and signs
 * commit records, certifies them with the committee's signatures, and feeds the query store, the
 * event log and the metrics. {@code core} holds the rules; {@code state} the sparse Merkle state.
 */
package dev.agentledger.node.execution;
