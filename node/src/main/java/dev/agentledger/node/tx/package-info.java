/**
 * The {@code AgentRun} transaction (DESIGN.md section 1): a fixed 326-byte little-endian layout
 * ({@link dev.agentledger.node.tx.AgentRunDescriptor}) read and written in place by {@link
 * dev.agentledger.node.tx.AgentRunFlyweight}, with no object per field.
 *
 * <p>Signing: Ed25519 (RFC 8032) by the agent key over {@code "agentledger/run/v1" || chain_id (u32
 * LE) || body}, where the body is every field before the signature (chain id included, so a record
 * signed for one network never verifies on another). Identity: the transaction id is SHA-256 of the
 * signed message followed by the 64 signature bytes.
 *
 * <p>Account operations ({@link dev.agentledger.node.tx.RunKind} PERMISSION, AUTHORIZE, TRANSFER,
 * REGISTER_AGENT) use the fixed 160-byte {@code AccountOp} layout ({@link
 * dev.agentledger.node.tx.AccountOpDescriptor}, {@link
 * dev.agentledger.node.tx.AccountOpFlyweight}), signed by the signer over {@code
 * "agentledger/account/v1" || chain_id || body}; its first eight bytes match the run layout, so the
 * kind byte at offset 1 tells the layouts apart and {@link
 * dev.agentledger.node.tx.RunKind#encodedLength()} gives the record size. Between the client and
 * execution every transaction travels in a 326-byte {@link dev.agentledger.node.tx.TransactionSlot}
 * (an account operation followed by zeros), so frames, the mempool and batches keep one stride.
 *
 * <p>Validation ({@link dev.agentledger.node.tx.AgentRunFlyweight#validate()}) checks only what the
 * record itself can tell; chain, shard, fee floor and nonce checks belong to ingress and execution,
 * which know the network.
 */
package dev.agentledger.node.tx;
