package dev.agentledger.node.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a run costs, in micro-units of the native token: a base fee per transaction plus prices for
 * its size and for the usage it records. The fee of a run is {@code base + bytes*perByte +
 * inTokens*perInputToken + outTokens*perOutputToken + computeMs*perComputeMs + gpuMs*perGpuMs},
 * charged to the payer and capped by its {@code max_fee}.
 */
public record FeeSchedule(
    long baseFeeMicros,
    long perByteMicros,
    long perInputTokenMicros,
    long perOutputTokenMicros,
    long perComputeMsMicros,
    long perGpuMsMicros) {

  /** The largest single price accepted, so that the fee of one run cannot overflow easily. */
  public static final long MAX_PRICE_MICROS = 1L << 40;

  /** A schedule for test and demo networks: small, non-zero prices. */
  public static FeeSchedule defaults() {
    return new FeeSchedule(1_000, 1, 2, 8, 1, 10);
  }

  static FeeSchedule read(Section section) {
    FeeSchedule fees =
        new FeeSchedule(
            section.integer("base_fee_micros", 0, MAX_PRICE_MICROS),
            section.integer("per_byte_micros", 0, MAX_PRICE_MICROS),
            section.integer("per_input_token_micros", 0, MAX_PRICE_MICROS),
            section.integer("per_output_token_micros", 0, MAX_PRICE_MICROS),
            section.integer("per_compute_ms_micros", 0, MAX_PRICE_MICROS),
            section.integer("per_gpu_ms_micros", 0, MAX_PRICE_MICROS));
    section.finish();
    return fees;
  }

  void write(ObjectNode node) {
    node.put("base_fee_micros", baseFeeMicros);
    node.put("per_byte_micros", perByteMicros);
    node.put("per_input_token_micros", perInputTokenMicros);
    node.put("per_output_token_micros", perOutputTokenMicros);
    node.put("per_compute_ms_micros", perComputeMsMicros);
    node.put("per_gpu_ms_micros", perGpuMsMicros);
  }

  /**
   * The fee for a run with these measurements, saturating at {@link Long#MAX_VALUE} instead of
   * overflowing (a saturated fee exceeds every {@code max_fee}, so the run is refused).
   */
  public long feeMicros(
      long sizeBytes, long inputTokens, long outputTokens, long computeMs, long gpuMs) {
    long fee = baseFeeMicros;
    fee = saturatingAdd(fee, saturatingMultiply(sizeBytes, perByteMicros));
    fee = saturatingAdd(fee, saturatingMultiply(inputTokens, perInputTokenMicros));
    fee = saturatingAdd(fee, saturatingMultiply(outputTokens, perOutputTokenMicros));
    fee = saturatingAdd(fee, saturatingMultiply(computeMs, perComputeMsMicros));
    return saturatingAdd(fee, saturatingMultiply(gpuMs, perGpuMsMicros));
  }

  private static long saturatingMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
