package dev.agentledger.node.execution.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A commit's receipts in one array: {@link Receipt#ENCODED_LENGTH} bytes each, in commit order (the
 * receipt encoding). Read in place with {@link #code}, {@link #fee} and {@link #copyTxId}; {@link
 * #get} builds a {@link Receipt} for callers that want the object. Immutable.
 */
public final class FlatReceipts extends AbstractList<Receipt> implements RandomAccess {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] encoded;
  private final int size;

  private FlatReceipts(byte[] encoded, int size) {
    this.encoded = encoded;
    this.size = size;
  }

  /** A copy of {@code output}'s receipts (one array). */
  public static FlatReceipts of(CommitOutput output) {
    byte[] encoded = new byte[output.count() * Receipt.ENCODED_LENGTH];
    output.copyReceipts(encoded, 0);
    return new FlatReceipts(encoded, output.count());
  }

  /** {@code receipts} itself when it is flat, else a flat copy of it. */
  public static FlatReceipts copyOf(List<Receipt> receipts) {
    if (receipts instanceof FlatReceipts flat) {
      return flat;
    }
    byte[] encoded = new byte[receipts.size() * Receipt.ENCODED_LENGTH];
    for (int i = 0; i < receipts.size(); i++) {
      System.arraycopy(
          receipts.get(i).encode(), 0, encoded, i * Receipt.ENCODED_LENGTH, Receipt.ENCODED_LENGTH);
    }
    return new FlatReceipts(encoded, receipts.size());
  }

  @Override
  public int size() {
    return size;
  }

  /** Receipt {@code index} as an object (a copy). */
  @Override
  public Receipt get(int index) {
    return new Receipt(txId(index), kind(index), code(index), fee(index));
  }

  /** The execution code of receipt {@code index}. */
  public ExecutionCode code(int index) {
    return ExecutionCode.fromCode(
        Short.toUnsignedInt((short) SHORT_LE.get(encoded, at(index) + 33)));
  }

  /** The kind byte of receipt {@code index}. */
  public int kind(int index) {
    return Byte.toUnsignedInt(encoded[at(index) + 32]);
  }

  /** The fee of receipt {@code index}. */
  public long fee(int index) {
    return (long) LONG_LE.get(encoded, at(index) + 35);
  }

  /** Copies receipt {@code index}'s transaction id (32 B) into {@code dst} at {@code offset}. */
  public void copyTxId(int index, byte[] dst, int offset) {
    System.arraycopy(encoded, at(index), dst, offset, 32);
  }

  /** Receipt {@code index}'s transaction id (a copy). */
  public byte[] txId(int index) {
    byte[] id = new byte[32];
    copyTxId(index, id, 0);
    return id;
  }

  private int at(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return index * Receipt.ENCODED_LENGTH;
  }
}
