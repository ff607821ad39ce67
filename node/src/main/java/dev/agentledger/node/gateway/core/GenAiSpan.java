package dev.agentledger.node.gateway.core;

import java.util.Map;
import java.util.Objects;

/**
 * One OpenTelemetry span as the gateway reads it, whichever OTLP encoding carried it.
 *
 * @param traceId 16 bytes
 * @param spanId 8 bytes
 * @param parentSpanId 8 bytes, or empty for a root span
 * @param name the span name
 * @param startNs start, Unix nanoseconds
 * @param endNs end, Unix nanoseconds
 * @param statusCode OTLP status: 0 unset, 1 ok, 2 error
 * @param attributes span attributes: values are {@link String}, {@link Long}, {@link Double},
 *     {@link Boolean}, or {@link Unsupported} for array, map and bytes values
 * @param serviceName the resource's {@code service.name}, or null
 */
public record GenAiSpan(
    byte[] traceId,
    byte[] spanId,
    byte[] parentSpanId,
    String name,
    long startNs,
    long endNs,
    int statusCode,
    Map<String, Object> attributes,
    String serviceName) {

  /** An attribute value of a kind the mapping never reads as a number or text. */
  public record Unsupported(String kind) {}

  public GenAiSpan {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(parentSpanId, "parentSpanId");
    attributes = Map.copyOf(attributes);
  }

  /** The span's identity across re-sends: trace id (16 bytes) then span id (8 bytes). */
  public byte[] identity() {
    byte[] key = new byte[24];
    System.arraycopy(traceId, 0, key, 0, Math.min(16, traceId.length));
    System.arraycopy(spanId, 0, key, 16, Math.min(8, spanId.length));
    return key;
  }

  /** The parent span's identity (same trace), or null for a root span. */
  public byte[] parentIdentity() {
    if (parentSpanId.length == 0 || isZero(parentSpanId)) {
      return null;
    }
    byte[] key = new byte[24];
    System.arraycopy(traceId, 0, key, 0, Math.min(16, traceId.length));
    System.arraycopy(parentSpanId, 0, key, 16, Math.min(8, parentSpanId.length));
    return key;
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
