/**
 * The mempool's pure core: events in ({@link dev.agentledger.node.mempool.core.Mempool#offer}, time
 * as {@code nowNs}), actions out ({@link dev.agentledger.node.mempool.core.Mempool#drain}), no
 * threads, clocks or I/O, nothing allocated per transaction. Priority lanes, then fee, over
 * per-account nonce queues (the "account queue + price heap" design of Ethereum transaction pools,
 * e.g. go-ethereum's txpool, with DESIGN.md section 1's priority lanes in front); token buckets for
 * rate limits (Turner, "New directions in communications", 1986). The eviction policy is documented
 * on {@link dev.agentledger.node.mempool.core.Mempool}. Each agent's next nonce starts at the
 * executed state's ({@link dev.agentledger.node.mempool.core.NonceSource}) and follows executed
 * commits ({@link dev.agentledger.node.mempool.core.Mempool#onCommitted}), so the pool's memory of
 * nonces survives a restart. Transactions execution refused as ahead of their signer's nonce come
 * back through {@link dev.agentledger.node.mempool.core.Mempool#requeue} and are batched again once
 * the ledger reaches them.
 */
package dev.agentledger.node.mempool.core;
