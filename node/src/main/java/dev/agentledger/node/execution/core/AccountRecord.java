package dev.agentledger.node.execution.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One account in state. Encoding (58 bytes, little-endian): version u8 (1) | roles u8 | next_nonce
 * u64 | balance u64 | run_count u64 | last_run 32 B (the agent's newest recorded run, zero if
 * none). An absent account reads as all zero: no roles, nonce 0, balance 0.
 */
public final class AccountRecord {
  public static final int ENCODED_LENGTH = 2 + 8 + 8 + 8 + 32;

  public int roles;
  public long nextNonce;
  public long balance;
  public long runCount;
  public final byte[] lastRun = new byte[32];

  public AccountRecord clear() {
    roles = 0;
    nextNonce = 0;
    balance = 0;
    runCount = 0;
    Arrays.fill(lastRun, (byte) 0);
    return this;
  }

  /** Loads {@code encoded}, or clears when it is {@code null}. */
  public AccountRecord load(byte[] encoded) {
    if (encoded == null) {
      return clear();
    }
    if (encoded.length != ENCODED_LENGTH || encoded[0] != 1) {
      throw new IllegalArgumentException("not an account record");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    roles = Byte.toUnsignedInt(b.get(1));
    nextNonce = b.getLong(2);
    balance = b.getLong(10);
    runCount = b.getLong(18);
    b.get(26, lastRun);
    return this;
  }

  /** Loads {@code buffer[0, length)}, or clears when {@code length < 0} (absent). */
  public AccountRecord load(byte[] buffer, int length) {
    if (length < 0) {
      return clear();
    }
    if (length != ENCODED_LENGTH || buffer[0] != 1) {
      throw new IllegalArgumentException("not an account record");
    }
    roles = Byte.toUnsignedInt(buffer[1]);
    nextNonce = (long) LONG_LE.get(buffer, 2);
    balance = (long) LONG_LE.get(buffer, 10);
    runCount = (long) LONG_LE.get(buffer, 18);
    System.arraycopy(buffer, 26, lastRun, 0, 32);
    return this;
  }

  /** Encodes into {@code out} from index 0; returns {@link #ENCODED_LENGTH}. */
  public int encodeTo(byte[] out) {
    out[0] = 1;
    out[1] = (byte) roles;
    LONG_LE.set(out, 2, nextNonce);
    LONG_LE.set(out, 10, balance);
    LONG_LE.set(out, 18, runCount);
    System.arraycopy(lastRun, 0, out, 26, 32);
    return ENCODED_LENGTH;
  }

  private static final java.lang.invoke.VarHandle LONG_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  public byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, (byte) 1)
        .put(1, (byte) roles)
        .putLong(2, nextNonce)
        .putLong(10, balance)
        .putLong(18, runCount);
    b.put(26, lastRun);
    return out;
  }

  public static AccountRecord decode(byte[] encoded) {
    return new AccountRecord().load(encoded);
  }
}
