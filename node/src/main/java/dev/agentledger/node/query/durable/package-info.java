/**
 * The query store on disk: {@link dev.agentledger.node.query.durable.DurableQueryStore} over the
 * node's {@link dev.agentledger.node.storage.Store} column families, compact binary encodings
 * (little-endian numbers unless a key must sort; no JSON in the store):
 *
 * <ul>
 *   <li>{@code ledger_commits}, key sequence (8 B, order-preserving): {@code format u8 (1) |
 *       state_version i64 | record_length u32 | CommitRecord canonical bytes | commit_hash 32 B | n
 *       u32 | receipts_form u8 | n x tx_id 32 B | n x receipt | n x (length u32 | transaction)}. A
 *       receipt is its 43-byte encoding, or (form 1, the usual case where each receipt's
 *       transaction id is the commit's id at the same index) only its last 11 bytes: kind u8 | code
 *       u16 | fee u64. The state version names the state tree version after the commit.
 *   <li>{@code ledger_certificates}, key sequence: {@code format u8 (1) | commit_hash 32 B | n u16
 *       | n x (validator 32 B | Ed25519 signature 64 B)}.
 *   <li>{@code ledger_tx_index}, key {@code transaction id 32 B || sequence u64 big-endian || index
 *       u32 big-endian}, empty value: one entry per place the id was executed, so a commit writes
 *       its entries without reading any, and a lookup seeks to the id and takes the first entry (a
 *       replayed id keeps its first location). A key of the id alone, with {@code sequence u64 |
 *       index u32} (little-endian) as its value, is read the same way (stores written before this
 *       layout).
 *   <li>{@code runs_by_agent}: key {@code agent 32 B || run number u64 big-endian} (so an agent's
 *       runs sort in history order and a page is one scan) to the run's transaction id; key {@code
 *       agent 32 B} to the agent's run count (u64).
 *   <li>{@code meta} {@code "ledger/latest"} and {@code "ledger/certified"}: the latest executed
 *       and latest certified sequence.
 * </ul>
 *
 * <p>Atomicity: a commit's entries are staged into the write batch that also carries the commit's
 * state version (tree nodes, values, root; the executor's totals with {@code last_commit_sequence}
 * are one of those values) and written once, synced. RocksDB applies a write batch as one
 * write-ahead-log record, whole or not at all after a crash (RocksDB wiki, "Write Ahead Log" and
 * "Basic Operations: atomic updates"), so the state's last commit sequence and the query store's
 * latest commit are always the same on reopen.
 */
package dev.agentledger.node.query.durable;
