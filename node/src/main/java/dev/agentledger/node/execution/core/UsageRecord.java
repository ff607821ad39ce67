package dev.agentledger.node.execution.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Usage accounted to one agent, payer, task or model: totals over its recorded runs. Encoding (89
 * bytes, little-endian): version u8 (1) | runs | input_tokens | output_tokens | compute_ms | gpu_ms
 * | max_peak_memory_bytes | fees_paid | outcomes[SUCCESS, FAILURE, PARTIAL, CANCELLED], each u64.
 *
 * <p>Totals are exact: {@link #add} uses {@code Math.addExact} and reports overflow, and execution
 * then fails the run with {@link ExecutionCode#USAGE_OVERFLOW} before anything is written.
 */
public final class UsageRecord {
  public static final int OUTCOMES = 4;
  public static final int ENCODED_LENGTH = 1 + 8 * (7 + OUTCOMES);

  public long runs;
  public long inputTokens;
  public long outputTokens;
  public long computeMs;
  public long gpuMs;
  public long maxPeakMemoryBytes;
  public long feesPaid;
  public final long[] outcomes = new long[OUTCOMES];

  public UsageRecord clear() {
    runs = inputTokens = outputTokens = computeMs = gpuMs = maxPeakMemoryBytes = feesPaid = 0;
    java.util.Arrays.fill(outcomes, 0);
    return this;
  }

  public UsageRecord load(byte[] encoded) {
    if (encoded == null) {
      return clear();
    }
    if (encoded.length != ENCODED_LENGTH || encoded[0] != 1) {
      throw new IllegalArgumentException("not a usage record");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    runs = b.getLong(1);
    inputTokens = b.getLong(9);
    outputTokens = b.getLong(17);
    computeMs = b.getLong(25);
    gpuMs = b.getLong(33);
    maxPeakMemoryBytes = b.getLong(41);
    feesPaid = b.getLong(49);
    for (int i = 0; i < OUTCOMES; i++) {
      outcomes[i] = b.getLong(57 + 8 * i);
    }
    return this;
  }

  /** Loads {@code buffer[0, length)}, or clears when {@code length < 0} (absent). */
  public UsageRecord load(byte[] buffer, int length) {
    if (length < 0) {
      return clear();
    }
    if (length != ENCODED_LENGTH || buffer[0] != 1) {
      throw new IllegalArgumentException("not a usage record");
    }
    runs = (long) LONG_LE.get(buffer, 1);
    inputTokens = (long) LONG_LE.get(buffer, 9);
    outputTokens = (long) LONG_LE.get(buffer, 17);
    computeMs = (long) LONG_LE.get(buffer, 25);
    gpuMs = (long) LONG_LE.get(buffer, 33);
    maxPeakMemoryBytes = (long) LONG_LE.get(buffer, 41);
    feesPaid = (long) LONG_LE.get(buffer, 49);
    for (int i = 0; i < OUTCOMES; i++) {
      outcomes[i] = (long) LONG_LE.get(buffer, 57 + 8 * i);
    }
    return this;
  }

  /** Encodes into {@code out} from index 0; returns {@link #ENCODED_LENGTH}. */
  public int encodeTo(byte[] out) {
    out[0] = 1;
    LONG_LE.set(out, 1, runs);
    LONG_LE.set(out, 9, inputTokens);
    LONG_LE.set(out, 17, outputTokens);
    LONG_LE.set(out, 25, computeMs);
    LONG_LE.set(out, 33, gpuMs);
    LONG_LE.set(out, 41, maxPeakMemoryBytes);
    LONG_LE.set(out, 49, feesPaid);
    for (int i = 0; i < OUTCOMES; i++) {
      LONG_LE.set(out, 57 + 8 * i, outcomes[i]);
    }
    return ENCODED_LENGTH;
  }

  private static final java.lang.invoke.VarHandle LONG_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  public byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, (byte) 1).putLong(1, runs).putLong(9, inputTokens).putLong(17, outputTokens);
    b.putLong(25, computeMs)
        .putLong(33, gpuMs)
        .putLong(41, maxPeakMemoryBytes)
        .putLong(49, feesPaid);
    for (int i = 0; i < OUTCOMES; i++) {
      b.putLong(57 + 8 * i, outcomes[i]);
    }
    return out;
  }

  /**
   * Adds one run to these totals; returns false (leaving this record partly updated: reload it)
   * when a total would overflow. All arguments are non-negative.
   */
  public boolean add(long in, long out, long compute, long gpu, long peak, long fee, int outcome) {
    try {
      runs = Math.addExact(runs, 1);
      inputTokens = Math.addExact(inputTokens, in);
      outputTokens = Math.addExact(outputTokens, out);
      computeMs = Math.addExact(computeMs, compute);
      gpuMs = Math.addExact(gpuMs, gpu);
      maxPeakMemoryBytes = Math.max(maxPeakMemoryBytes, peak);
      feesPaid = Math.addExact(feesPaid, fee);
      outcomes[outcome] = Math.addExact(outcomes[outcome], 1);
      return true;
    } catch (ArithmeticException overflow) {
      return false;
    }
  }

  public static UsageRecord decode(byte[] encoded) {
    return new UsageRecord().load(encoded);
  }
}
