package dev.agentledger.node.execution.core;

/**
 * The outcome of executing one ordered transaction, recorded in its receipt. Codes are stable (they
 * are hashed into the receipts root). Every ordered transaction gets a receipt: a failure is
 * recorded, never dropped.
 *
 * <p>What a failure leaves behind, by code:
 *
 * <ul>
 *   <li>{@link #MALFORMED}, {@link #WRONG_CHAIN}, {@link #BAD_SIGNATURE}, {@link #BAD_NONCE}: no
 *       state change at all (the signer cannot be trusted or the nonce is not the next one).
 *   <li>every other failure: the signer's nonce is consumed (so the record cannot be replayed), no
 *       fee is charged, nothing else changes.
 * </ul>
 */
public enum ExecutionCode {
  OK(0, "executed"),
  MALFORMED(1, "record fails field validation or has the wrong length for its kind"),
  WRONG_CHAIN(2, "chain_id is not this network's"),
  BAD_SIGNATURE(3, "signature does not verify"),
  BAD_NONCE(4, "nonce is not the signer's next nonce"),
  NOT_AN_AGENT(5, "signer does not hold the agent role"),
  PAYER_NOT_OPERATOR(6, "payer differs from the agent and does not hold the operator role"),
  AGENT_NOT_AUTHORIZED(7, "payer has not authorised this agent to bill to it"),
  USAGE_OUT_OF_RANGE(8, "a usage field is 2^63 or more"),
  UNKNOWN_PARENT_RUN(9, "parent_run is neither zero nor a run recorded by this agent"),
  FEE_OVERFLOW(10, "fee does not fit in 63 bits"),
  FEE_EXCEEDS_MAX_FEE(11, "fee is above max_fee"),
  INSUFFICIENT_BALANCE(12, "payer balance is below the fee (plus the amount of a transfer)"),
  USAGE_OVERFLOW(13, "a usage total would pass 2^63 - 1"),
  NOT_ADMIN(14, "signer does not hold the admin role"),
  UNKNOWN_ROLES(15, "role bits outside the defined roles"),
  SELF_DEMOTION(16, "an admin may not remove its own admin role"),
  NOT_OPERATOR(17, "signer does not hold the operator role"),
  AMOUNT_OUT_OF_RANGE(18, "transfer amount is 2^63 or more"),
  BALANCE_OVERFLOW(19, "target balance would pass 2^63 - 1"),
  NOT_REGISTRAR(20, "signer holds neither the operator nor the admin role");

  private static final ExecutionCode[] BY_CODE = values();

  private final int code;
  private final String reason;

  ExecutionCode(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** True when the nonce was consumed (every code after the nonce check). */
  public boolean consumesNonce() {
    return code == 0 || code > BAD_NONCE.code;
  }

  /** The code of {@code value}, or {@code null}. */
  public static ExecutionCode fromCode(int value) {
    return value >= 0 && value < BY_CODE.length ? BY_CODE[value] : null;
  }
}
