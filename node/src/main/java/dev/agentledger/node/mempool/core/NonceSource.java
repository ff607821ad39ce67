package dev.agentledger.node.mempool.core;

import org.agrona.DirectBuffer;

/**
 * Where a {@link Mempool} learns an agent's committed next nonce when it first sees the agent (at
 * start, after a restart, or after the agent was last seen): the executed state, read through
 * whatever store holds it. Called on the mempool's thread, once per newly remembered agent.
 */
@FunctionalInterface
public interface NonceSource {
  /** Every agent starts at nonce 0 (a fresh ledger). */
  NonceSource ZERO = (buffer, keyOffset) -> 0;

  /** The next nonce the executed state expects of the agent whose 32-byte key is at the offset. */
  long committedNextNonce(DirectBuffer buffer, int keyOffset);
}
