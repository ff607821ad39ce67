package dev.agentledger.node.execution.core;

/**
 * Prices from genesis, in the ledger's smallest unit. A RUN pays {@code baseFee + perByte * size +
 * perInputToken * input_tokens + perOutputToken * output_tokens + perComputeMs * compute_ms +
 * perGpuMs * gpu_ms}; an account operation pays {@code baseFee + perByte * size}.
 *
 * <p>Arithmetic is exact ({@code Math.multiplyExact}/{@code addExact} over signed 64-bit values); a
 * fee that does not fit in 63 bits is reported as {@link #OVERFLOW} and the transaction fails with
 * {@link ExecutionCode#FEE_OVERFLOW}: the ledger never wraps or saturates a fee.
 */
public record FeeSchedule(
    long baseFee,
    long perByte,
    long perInputToken,
    long perOutputToken,
    long perComputeMs,
    long perGpuMs) {

  /** Returned by the fee functions when the fee overflows. */
  public static final long OVERFLOW = -1;

  public static final FeeSchedule FREE = new FeeSchedule(0, 0, 0, 0, 0, 0);

  /** The largest single price a genesis may set, so that one run's fee cannot overflow easily. */
  public static final long MAX_PRICE = 1L << 40;

  /** The schedule of test and demo networks ({@code cluster init}): small, non-zero prices. */
  public static FeeSchedule defaults() {
    return new FeeSchedule(1_000, 1, 2, 8, 1, 10);
  }

  public FeeSchedule {
    if (baseFee < 0
        || perByte < 0
        || perInputToken < 0
        || perOutputToken < 0
        || perComputeMs < 0
        || perGpuMs < 0) {
      throw new IllegalArgumentException("fee schedule prices must be non-negative");
    }
  }

  /** Fee of a RUN; all usage arguments must be non-negative. {@link #OVERFLOW} on overflow. */
  public long runFee(
      long sizeBytes, long inputTokens, long outputTokens, long computeMs, long gpuMs) {
    try {
      long fee = Math.addExact(baseFee, Math.multiplyExact(perByte, sizeBytes));
      fee = Math.addExact(fee, Math.multiplyExact(perInputToken, inputTokens));
      fee = Math.addExact(fee, Math.multiplyExact(perOutputToken, outputTokens));
      fee = Math.addExact(fee, Math.multiplyExact(perComputeMs, computeMs));
      return Math.addExact(fee, Math.multiplyExact(perGpuMs, gpuMs));
    } catch (ArithmeticException overflow) {
      return OVERFLOW;
    }
  }

  /**
   * The failure fee of a transaction of {@code sizeBytes} that execution refuses after its nonce
   * check (it was ordered, stored and executed, and pays for that much): {@code baseFee + perByte *
   * size}, the price of carrying it, before the caps {@link LedgerExecutor} applies ({@code
   * max_fee}, the signer's balance). {@link #OVERFLOW} on overflow.
   */
  public long failureFee(long sizeBytes) {
    return opFee(sizeBytes);
  }

  /** Fee of an account operation. {@link #OVERFLOW} on overflow. */
  public long opFee(long sizeBytes) {
    try {
      return Math.addExact(baseFee, Math.multiplyExact(perByte, sizeBytes));
    } catch (ArithmeticException overflow) {
      return OVERFLOW;
    }
  }
}
