/**
 * Client ingress (DESIGN.md section 2): decode SUBMIT frames slot by slot ({@link
 * dev.agentledger.node.tx.TransactionSlot}: runs and account operations), run the cheap checks
 * first (version, chain id, shard, fee floor, fields, fee, timestamps), verify the survivors'
 * Ed25519 signatures (runs as one batch, the rare account operations one by one) behind {@link
 * dev.agentledger.node.ingress.BatchSignatureVerifier} (RFC 8032 section 5.1.7, ZIP-215 validity),
 * admit to the mempool, and answer every transaction with a specific {@link
 * dev.agentledger.node.net.TxStatus}. The batch-then-fall-back-per-item shape follows Teku's
 * AggregatingSignatureVerificationService.
 *
 * <p>Durable acceptance: {@link dev.agentledger.node.ingress.IngressLog} writes what the mempool
 * admitted to a log and holds the replies until one synced write per duty cycle covers them (group
 * commit, as a database's write-ahead log acknowledges a transaction only once its log record is on
 * disk; when the worker's cycle ends in its own synced write, that one fsync covers the log too),
 * and replays the log at start.
 */
package dev.agentledger.node.ingress;
