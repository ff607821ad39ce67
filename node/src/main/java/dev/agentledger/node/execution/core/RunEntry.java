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
