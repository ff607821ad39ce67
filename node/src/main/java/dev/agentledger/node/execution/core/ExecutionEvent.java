package dev.agentledger.node.execution.core;

/**
 * A committed event, in commit order: {@code (commitSequence, txIndex)} orders events totally.
 * {@code account} is the agent of a run, the target of an account operation, or the payer of a
 * failed payment; {@code payer} the account that paid (or failed to pay).
 */
public record ExecutionEvent(
    long commitSequence,
    int txIndex,
    Type type,
    byte[] txId,
    byte[] account,
    byte[] payer,
    ExecutionCode code,
    long amount) {

  public enum Type {
    /** A run was recorded; amount = fee paid. */
    RUN_RECORDED,
    /** The payer could not pay (insufficient balance, fee above max_fee, fee overflow). */
    PAYMENT_FAILED,
    /** An admin changed an account's roles; amount = the new role bits. */
    PERMISSION_CHANGED,
    /** An operator granted (amount 1) or revoked (0) an agent's right to bill to it. */
    AUTHORIZATION_CHANGED,
    /** Balance moved; amount = the amount. */
    TRANSFERRED,
    /** Any other recorded failure. */
    TRANSACTION_FAILED,
    /** An operator or admin gave an account the agent role; amount = its new role bits. */
    AGENT_REGISTERED
  }
}
