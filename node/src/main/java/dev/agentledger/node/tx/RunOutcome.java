package dev.agentledger.node.tx;

/** How an agent run ended: the {@code outcome} byte. */
public enum RunOutcome {
  SUCCESS,
  FAILURE,
  PARTIAL,
  CANCELLED;

  private static final RunOutcome[] BY_CODE = values();

  public byte code() {
    return (byte) ordinal();
  }

  /** The outcome of {@code code}, or {@code null} if unknown. */
  public static RunOutcome fromCode(byte code) {
    int index = Byte.toUnsignedInt(code);
    return index < BY_CODE.length ? BY_CODE[index] : null;
  }
}
