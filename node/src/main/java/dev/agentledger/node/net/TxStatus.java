package dev.agentledger.node.net;

/**
 * Per-transaction answer of the client ingress, one byte on the wire in {@code SUBMIT_RESULT}.
 * Codes are stable; every rejection names its reason.
 */
public enum TxStatus {
  ACCEPTED(0, "accepted into the mempool"),
  MALFORMED(1, "malformed record (length, version, kind, fields)"),
  WRONG_CHAIN(2, "chain id is not this network's"),
  WRONG_SHARD(3, "shard hint is not this shard"),
  FEE_TOO_LOW(4, "max_fee below the fee floor"),
  BAD_SIGNATURE(5, "signature does not verify"),
  NONCE_REPLAY(6, "nonce already used or already pending"),
  RATE_LIMITED(7, "rate limit of the connection or agent exceeded"),
  OVERLOADED(8, "node overloaded: mempool, queue or execution backlog full"),
  NONCE_TOO_FAR(9, "nonce too far ahead of the agent's next nonce"),
  BAD_TIMESTAMP(10, "timestamps outside the accepted window"),
  AGENT_LIMIT(11, "too many pending transactions for this agent"),
  TOO_MANY_RECORDS(12, "SUBMIT of more than 256 records: none of them was read"),
  FEE_EXCEEDS_MAX_FEE(13, "the run's fee under the genesis schedule exceeds its max_fee"),
  USAGE_OUT_OF_RANGE(14, "a usage field is 2^63 or more, or the fee would overflow"),
  /**
   * Never in a SUBMIT_RESULT: {@code TX_QUERY} answers -2 for a transaction the validator accepted
   * and then dropped without batching it (held past the bound for an earlier nonce of its signer
   * that never arrived); clients report that answer with this status.
   */
  EXPIRED(
      15, "accepted, then dropped: held past the bound for an earlier nonce that never arrived");

  private static final TxStatus[] BY_CODE = new TxStatus[256];

  static {
    for (TxStatus s : values()) {
      BY_CODE[s.code] = s;
    }
  }

  private final int code;
  private final String reason;

  TxStatus(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** The status with wire code {@code code} (0..255), or null. */
  public static TxStatus fromCode(int code) {
    return code < 0 || code > 255 ? null : BY_CODE[code];
  }
}
