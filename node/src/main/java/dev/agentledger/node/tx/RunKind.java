package dev.agentledger.node.tx;

/** The {@code kind} byte of a transaction. Only kinds the node can execute are listed. */
public enum RunKind {
  /** An agent run record (DESIGN.md section 1). */
  RUN((byte) 1);

  private final byte code;

  RunKind(byte code) {
    this.code = code;
  }

  public byte code() {
    return code;
  }

  /** The kind of {@code code}, or {@code null} if unknown (no allocation, no exception). */
  public static RunKind fromCode(byte code) {
    return code == 1 ? RUN : null;
  }
}
