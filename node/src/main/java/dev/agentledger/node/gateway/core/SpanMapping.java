package dev.agentledger.node.gateway.core;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * From an OpenTelemetry GenAI span (semantic conventions {@code gen_ai.*}) to the fields of an
 * {@code AgentRun}. Pure: no keys, no clock, no I/O. The mapping:
 *
 * <table>
 *   <caption>span → run</caption>
 *   <tr><th>run field</th><th>from the span</th></tr>
 *   <tr><td>agent</td><td>{@code gen_ai.agent.id}, else the resource's {@code service.name}</td></tr>
 *   <tr><td>task_id</td><td>the trace id (16 bytes)</td></tr>
 *   <tr><td>parent_run</td><td>the run of the parent span, when the gateway submitted it for
 *       the same agent (children usually end, and are exported, before their parents: then
 *       zero)</td></tr>
 *   <tr><td>started_at, ended_at</td><td>the span's start and end (Unix ns)</td></tr>
 *   <tr><td>input_tokens, output_tokens</td><td>{@code gen_ai.usage.input_tokens}, {@code
 *       gen_ai.usage.output_tokens} (absent: 0)</td></tr>
 *   <tr><td>compute_ms</td><td>the span's duration in whole milliseconds</td></tr>
 *   <tr><td>model</td><td>SHA-256 of {@code gen_ai.response.model}, else of {@code
 *       gen_ai.request.model} (absent: zero)</td></tr>
 *   <tr><td>outcome</td><td>status ERROR → FAILURE, otherwise SUCCESS</td></tr>
 *   <tr><td>metadata_cid</td><td>CIDv1 (raw, sha2-256) of the span identity, trace id ‖ span
 *       id: any run links back to its span</td></tr>
 * </table>
 *
 * <p>A span is a GenAI span when it has at least one attribute whose name starts with {@code
 * gen_ai.}; other spans are {@link Ignored} (an HTTP or database span sent through the same
 * pipeline is not an agent run). Token counts must be non-negative integers: a negative count, a
 * count that is not an integer, or an end before the start is {@link Rejected} with the attribute's
 * name.
 */
public final class SpanMapping {
  private SpanMapping() {}

  /** What the mapping decided. */
  public sealed interface Result permits Mapped, Ignored, Rejected {}

  /** The span is an agent run of {@code agentId}. */
  public record Mapped(
      String agentId,
      long startedAtNs,
      long endedAtNs,
      long inputTokens,
      long outputTokens,
      long computeMs,
      String model,
      boolean failed)
      implements Result {}

  /** Not a GenAI span: no {@code gen_ai.*} attribute. */
  public record Ignored() implements Result {}

  /** A GenAI span that cannot become a run; {@code reason} names the attribute or field. */
  public record Rejected(String reason) implements Result {}

  /** OTLP status code of an error span. */
  public static final int STATUS_ERROR = 2;

  public static Result map(GenAiSpan span) {
    Map<String, Object> a = span.attributes();
    boolean genAi = a.keySet().stream().anyMatch(k -> k.startsWith("gen_ai."));
    if (!genAi) {
      return new Ignored();
    }
    String agent = text(a, "gen_ai.agent.id");
    if (agent == null || agent.isEmpty()) {
      agent = span.serviceName();
    }
    if (agent == null || agent.isEmpty()) {
      return new Rejected("no gen_ai.agent.id attribute and no service.name resource attribute");
    }
    if (span.traceId().length != 16 || span.spanId().length != 8) {
      return new Rejected("trace id must be 16 bytes and span id 8 bytes");
    }
    if (span.startNs() <= 0 || span.endNs() < span.startNs()) {
      return new Rejected("span times: start must be positive and end not before start");
    }
    long in;
    long out;
    try {
      in = count(a, "gen_ai.usage.input_tokens");
      out = count(a, "gen_ai.usage.output_tokens");
    } catch (IllegalArgumentException e) {
      return new Rejected(e.getMessage());
    }
    String model = text(a, "gen_ai.response.model");
    if (model == null || model.isEmpty()) {
      model = text(a, "gen_ai.request.model");
    }
    long computeMs = (span.endNs() - span.startNs()) / 1_000_000L;
    return new Mapped(
        agent,
        span.startNs(),
        span.endNs(),
        in,
        out,
        computeMs,
        model,
        span.statusCode() == STATUS_ERROR);
  }

  /** The model field of a run: SHA-256 of the model name's UTF-8 bytes, or null when absent. */
  public static byte[] modelBytes(String model) {
    return model == null || model.isEmpty() ? null : model.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Map<String, Object> a, String name) {
    return a.get(name) instanceof String s ? s : null;
  }

  private static long count(Map<String, Object> a, String name) {
    Object v = a.get(name);
    if (v == null) {
      return 0;
    }
    if (v instanceof Long n) {
      if (n < 0) {
        throw new IllegalArgumentException(name + " is negative: " + n);
      }
      return n;
    }
    if (v instanceof GenAiSpan.Unsupported u) {
      throw new IllegalArgumentException(name + " must be an integer, got a " + u.kind());
    }
    throw new IllegalArgumentException(
        name + " must be an integer, got a " + v.getClass().getSimpleName().toLowerCase());
  }
}
