package dev.agentledger.node.tx;

/**
 * The {@code kind} byte of a transaction (offset 1 in every layout). Only kinds the node can
 * execute are listed. {@link #RUN} uses the {@code AgentRun} layout ({@link AgentRunDescriptor});
 * the account kinds use the {@code AccountOp} layout ({@link AccountOpDescriptor}).
 */
public enum RunKind {
  /** An agent run record (DESIGN.md section 1). */
  RUN((byte) 1),
  /** An admin sets the roles of an account. */
  PERMISSION((byte) 2),
  /** An operator authorises (or stops authorising) an agent to bill to it. */
  AUTHORIZE((byte) 3),
  /** An account moves balance to another. */
  TRANSFER((byte) 4),
  /**
   * An operator or admin gives an account the agent role; an operator also authorises it to bill to
   * the operator.
   */
  REGISTER_AGENT((byte) 5);

  private final byte code;

  RunKind(byte code) {
    this.code = code;
  }

  public byte code() {
    return code;
  }

  /** True for the kinds encoded with the {@code AccountOp} layout. */
  public boolean isAccountOp() {
    return this != RUN;
  }

  /** Bytes of one encoded record of this kind. */
  public int encodedLength() {
    return this == RUN ? AgentRunDescriptor.ENCODED_LENGTH : AccountOpDescriptor.ENCODED_LENGTH;
  }

  /** The kind of {@code code}, or {@code null} if unknown (no allocation, no exception). */
  public static RunKind fromCode(byte code) {
    return switch (code) {
      case 1 -> RUN;
      case 2 -> PERMISSION;
      case 3 -> AUTHORIZE;
      case 4 -> TRANSFER;
      case 5 -> REGISTER_AGENT;
      default -> null;
    };
  }
}
