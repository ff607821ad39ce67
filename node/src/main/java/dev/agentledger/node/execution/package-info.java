/**
 * The execution stage (DESIGN.md section 2): drives the pure {@link
 * dev.agentledger.node.execution.core.LedgerExecutor} over the consensus output, chains and signs
 * commit records, certifies them with the committee's signatures, and feeds the query store, the
 * event log and the metrics. {@code core} holds the rules; {@code state} the sparse Merkle state.
 * {@link dev.agentledger.node.execution.ExecutionService} runs the stage inside a validator as one
 * agent, woken by each consensus commit: it reads each consensus commit back from the commit log
 * (ledger sequence = consensus index + 1) through one reused {@link
 * dev.agentledger.node.execution.CommitReader} (the commit's records in one array, read in place
 * from then on), executes it, and exchanges commit signatures with the peers ({@code COMMIT_SIG},
 * {@code COMMIT_SIG_REQUEST}) until the commit is certified.
 */
package dev.agentledger.node.execution;
