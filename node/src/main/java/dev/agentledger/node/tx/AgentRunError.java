package dev.agentledger.node.tx;

/**
 * Why a record fails field validation. Codes are stable: clients and the ingress reject reason
 * codes are derived from them.
 */
public enum AgentRunError {
  /** The record is valid. */
  NONE(0, "valid"),
  WRONG_LENGTH(1, "record length is not " + AgentRunDescriptor.ENCODED_LENGTH + " bytes"),
  UNKNOWN_VERSION(2, "unknown encoding version"),
  UNKNOWN_KIND(3, "unknown transaction kind"),
  UNKNOWN_OUTCOME(4, "unknown outcome"),
  ZERO_AGENT_KEY(5, "agent key is all zero"),
  ZERO_PAYER_KEY(6, "payer key is all zero"),
  ENDED_BEFORE_STARTED(7, "ended_at is before started_at"),
  PRIORITY_OUT_OF_RANGE(8, "priority is not below " + AgentRunDescriptor.PRIORITY_LANES),
  BAD_METADATA_CID(9, "metadata_cid is neither zero nor a CIDv1 sha2-256 (raw or dag-cbor)"),
  ZERO_STARTED_AT(10, "started_at is zero"),
  ZERO_TARGET_KEY(11, "target key is all zero"),
  BAD_ARGUMENT(12, "argument is not valid for the kind"),
  NONZERO_PADDING(13, "an account operation's slot is not zero after its 160 bytes");

  private final int code;
  private final String reason;

  AgentRunError(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  /** The stable numeric code. */
  public int code() {
    return code;
  }

  /** A human-readable reason. */
  public String reason() {
    return reason;
  }
}
