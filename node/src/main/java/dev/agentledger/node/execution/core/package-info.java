/**
 * Execution core: a pure, deterministic function from (genesis, ordered commits) to state, receipts
 * and events (DESIGN.md section 2, "execution"). No I/O, threads or clocks: the same ordered stream
 * gives the same state root on every validator, as state machine replication requires (Schneider,
 * "Implementing fault-tolerant services using the state machine approach", 1990).
 *
 * <p>Rules, in {@link dev.agentledger.node.execution.core.LedgerExecutor}: per-signer nonces; fees
 * from the genesis {@link dev.agentledger.node.execution.core.FeeSchedule}, bounded by {@code
 * max_fee}; usage totals per agent, payer, task and model; the run-history DAG through {@code
 * parent_run}; and membership in the spirit of Hyperledger Fabric's MSP: accounts carry {@link
 * dev.agentledger.node.execution.core.Roles} (agent, operator, auditor, admin), operators authorise
 * which agents bill to them, admins change roles with PERMISSION transactions. Every ordered
 * transaction gets a {@link dev.agentledger.node.execution.core.Receipt} with an {@link
 * dev.agentledger.node.execution.core.ExecutionCode}: failures are recorded, never dropped, and a
 * failure after the nonce check pays the failure fee ({@link
 * dev.agentledger.node.execution.core.FeeSchedule#failureFee}, capped by {@code max_fee} and the
 * signer's balance), as gas is charged for failed transactions.
 *
 * <p>Arithmetic: 64-bit signed, exact. Fees and usage totals use {@code Math.addExact} / {@code
 * multiplyExact}; on overflow the transaction fails with {@code FEE_OVERFLOW} or {@code
 * USAGE_OVERFLOW} before anything is written, so totals are always exact (never wrapped, never
 * saturated). Wire fields are u64; usage values of 2^63 or more are refused ({@code
 * USAGE_OUT_OF_RANGE}); {@code max_fee} is compared unsigned. Balances cannot overflow: genesis
 * supply fits in 63 bits and fees leave circulation.
 *
 * <p>Hot path: {@link dev.agentledger.node.execution.core.LedgerExecutor#executeInto} writes a
 * commit's ids, receipts, events and roots into a reused {@link
 * dev.agentledger.node.execution.core.CommitOutput}, reads the commit's transaction records in
 * place ({@link dev.agentledger.node.execution.core.TransactionRecords}: one array per commit) and
 * reads and writes state records through reused buffers ({@code StateStore.read}, {@code
 * StateStore.write}, {@code encodeTo}): nothing is allocated per transaction.
 *
 * <p>State lives behind {@link dev.agentledger.node.execution.core.StateStore} (32-byte keys from
 * {@link dev.agentledger.node.execution.core.StateKeys}, fixed-layout records), so the sparse
 * Merkle tree and its node store plug in behind it.
 */
package dev.agentledger.node.execution.core;
