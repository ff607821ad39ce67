package dev.agentledger.node.mempool.core;

/** The mempool's answer to one offered transaction. */
public enum Admission {
  /** Pending: ready (next nonce of its agent) or held (a future nonce within the gap bound). */
  ADMITTED,
  /** The nonce is below the agent's next nonce: already admitted or drained before. */
  REPLAY,
  /** A held future nonce of this agent is already pending. */
  DUPLICATE,
  /** The nonce is more than {@link MempoolConfig#maxNonceGap()} ahead of the agent's next nonce. */
  NONCE_TOO_FAR,
  /** The agent already has {@link MempoolConfig#perAgentCapacity()} pending transactions. */
  AGENT_FULL,
  /** The pool (or its agent table) is full and nothing may be evicted for this transaction. */
  POOL_FULL,
  /** The agent's token bucket is empty. */
  RATE_LIMITED_AGENT,
  /** The connection's token bucket is empty. */
  RATE_LIMITED_CONNECTION,
  /** The token bucket of the connection's remote address is empty. */
  RATE_LIMITED_ADDRESS,
  /**
   * A future nonce of an agent whose earlier nonce this pool refused for load (a rate limit, a full
   * pool or agent, a nonce too far) and has not admitted since: held, it would wait behind a gap
   * this pool made. The client resends it after the refused one (retryable, like {@link
   * #NONCE_TOO_FAR}).
   */
  AFTER_REFUSED
}
