package dev.agentledger.node.execution.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What executing one ordered transaction did. Its 43-byte encoding is a leaf of the commit's
 * receipts tree: txid 32 B | kind u8 (0 when unknown) | code u16 | fee u64 (little-endian).
 */
public record Receipt(byte[] txId, int kind, ExecutionCode code, long fee) {
  public static final int ENCODED_LENGTH = 32 + 1 + 2 + 8;

  public byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    ByteBuffer.wrap(out)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(0, txId)
        .put(32, (byte) kind)
        .putShort(33, (short) code.code())
        .putLong(35, fee);
    return out;
  }

  public static Receipt decode(byte[] encoded) {
    if (encoded.length != ENCODED_LENGTH) {
      throw new IllegalArgumentException("receipt must be " + ENCODED_LENGTH + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    byte[] id = new byte[32];
    b.get(0, id);
    ExecutionCode code = ExecutionCode.fromCode(Short.toUnsignedInt(b.getShort(33)));
    if (code == null) {
      throw new IllegalArgumentException("unknown execution code");
    }
    return new Receipt(id, Byte.toUnsignedInt(b.get(32)), code, b.getLong(35));
  }
}
