package dev.agentledger.node.execution.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A recorded run in state, keyed by its transaction id: a node of the agent's run-history DAG.
 * Encoding (81 bytes): version u8 (1) | agent 32 B | parent_run 32 B | history_index u64 (0 for the
 * agent's first run) | commit_sequence u64.
 */
public record RunEntry(byte[] agent, byte[] parentRun, long historyIndex, long commitSequence) {
  public static final int ENCODED_LENGTH = 1 + 32 + 32 + 8 + 8;

  /**
   * Encodes a run entry into {@code out} from index 0 without building the record; returns {@link
   * #ENCODED_LENGTH}.
   */
  public static int encodeTo(
      byte[] out, byte[] agent, byte[] parentRun, long historyIndex, long commitSequence) {
    out[0] = 1;
    System.arraycopy(agent, 0, out, 1, 32);
    System.arraycopy(parentRun, 0, out, 33, 32);
    for (int i = 0; i < 8; i++) {
      out[65 + i] = (byte) (historyIndex >>> (8 * i));
      out[73 + i] = (byte) (commitSequence >>> (8 * i));
    }
    return ENCODED_LENGTH;
  }

  /** Whether {@code buffer[0, length)} is a run entry recorded for {@code agent}. */
  public static boolean isOf(byte[] buffer, int length, byte[] agent) {
    if (length < 0) {
      return false;
    }
    if (length != ENCODED_LENGTH || buffer[0] != 1) {
      throw new IllegalArgumentException("not a run entry");
    }
    return java.util.Arrays.equals(buffer, 1, 33, agent, 0, 32);
  }

  public byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, (byte) 1)
        .put(1, agent)
        .put(33, parentRun)
        .putLong(65, historyIndex)
        .putLong(73, commitSequence);
    return out;
  }

  public static RunEntry decode(byte[] encoded) {
    if (encoded.length != ENCODED_LENGTH || encoded[0] != 1) {
      throw new IllegalArgumentException("not a run entry");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    byte[] agent = new byte[32];
    byte[] parent = new byte[32];
    b.get(1, agent).get(33, parent);
    return new RunEntry(agent, parent, b.getLong(65), b.getLong(73));
  }
}
