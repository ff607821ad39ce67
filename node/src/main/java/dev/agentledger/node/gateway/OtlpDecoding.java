package dev.agentledger.node.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.agentledger.node.gateway.core.GenAiSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads an OTLP/HTTP trace export ({@code ExportTraceServiceRequest}, opentelemetry-proto) in
 * either encoding of the specification: binary protobuf ({@code application/x-protobuf}) or
 * OTLP/JSON ({@code application/json}: lowerCamelCase field names, trace and span ids as hex,
 * 64-bit integers as decimal strings or numbers, enums as integers). Unknown fields are ignored, as
 * the specification asks of receivers. Malformed input throws {@link MalformedExport} with the
 * reason.
 */
public final class OtlpDecoding {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private OtlpDecoding() {}

  /** The body could not be read as an OTLP trace export. */
  public static final class MalformedExport extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedExport(String message) {
      super(message);
    }
  }

  /** The spans of a binary protobuf export. */
  public static List<GenAiSpan> protobuf(byte[] body) throws MalformedExport {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedExport("not an OTLP protobuf trace export: " + e.getMessage());
    }
    List<GenAiSpan> spans = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = null;
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        if (kv.getKey().equals("service.name") && kv.getValue().hasStringValue()) {
          service = kv.getValue().getStringValue();
        }
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          Map<String, Object> attributes = new HashMap<>();
          for (KeyValue kv : s.getAttributesList()) {
            Object value = value(kv.getValue());
            if (value != null) {
              attributes.put(kv.getKey(), value);
            }
          }
          spans.add(
              new GenAiSpan(
                  s.getTraceId().toByteArray(),
                  s.getSpanId().toByteArray(),
                  s.getParentSpanId().toByteArray(),
                  s.getName(),
                  s.getStartTimeUnixNano(),
                  s.getEndTimeUnixNano(),
                  s.getStatus().getCodeValue(),
                  attributes,
                  service));
        }
      }
    }
    return spans;
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BOOL_VALUE -> v.getBoolValue();
      case ARRAY_VALUE -> new GenAiSpan.Unsupported("array");
      case KVLIST_VALUE -> new GenAiSpan.Unsupported("map");
      case BYTES_VALUE -> new GenAiSpan.Unsupported("bytes");
      default -> null;
    };
  }

  /** The spans of an OTLP/JSON export. */
  public static List<GenAiSpan> json(byte[] body) throws MalformedExport {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedExport("not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new MalformedExport("not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedExport("an OTLP/JSON export is an object with resourceSpans");
    }
    List<GenAiSpan> spans = new ArrayList<>();
    for (JsonNode rs : array(root, "resourceSpans")) {
      String service = null;
      for (JsonNode kv : array(rs.path("resource"), "attributes")) {
        if ("service.name".equals(kv.path("key").asText())
            && kv.path("value").path("stringValue").isTextual()) {
          service = kv.path("value").path("stringValue").asText();
        }
      }
      for (JsonNode ss : array(rs, "scopeSpans")) {
        for (JsonNode s : array(ss, "spans")) {
          Map<String, Object> attributes = new HashMap<>();
          for (JsonNode kv : array(s, "attributes")) {
            String key = kv.path("key").asText(null);
            if (key == null) {
              throw new MalformedExport("an attribute without a key");
            }
            Object value = jsonValue(key, kv.path("value"));
            if (value != null) {
              attributes.put(key, value);
            }
          }
          spans.add(
              new GenAiSpan(
                  id(s, "traceId", 16),
                  id(s, "spanId", 8),
                  optionalId(s, "parentSpanId", 8),
                  s.path("name").asText(""),
                  nanos(s, "startTimeUnixNano"),
                  nanos(s, "endTimeUnixNano"),
                  s.path("status").path("code").asInt(0),
                  attributes,
                  service));
        }
      }
    }
    return spans;
  }

  private static Iterable<JsonNode> array(JsonNode node, String field) throws MalformedExport {
    JsonNode a = node.path(field);
    if (a.isMissingNode() || a.isNull()) {
      return List.of();
    }
    if (!a.isArray()) {
      throw new MalformedExport(field + " must be an array");
    }
    return a;
  }

  private static Object jsonValue(String key, JsonNode v) throws MalformedExport {
    if (v.has("stringValue")) {
      return v.get("stringValue").asText();
    }
    if (v.has("intValue")) {
      JsonNode n = v.get("intValue");
      try {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
          return n.asLong();
        }
        if (n.isTextual()) {
          return Long.parseLong(n.asText());
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new MalformedExport("attribute " + key + ": intValue is not a 64-bit integer");
    }
    if (v.has("doubleValue")) {
      return v.get("doubleValue").asDouble();
    }
    if (v.has("boolValue")) {
      return v.get("boolValue").asBoolean();
    }
    if (v.has("arrayValue")) {
      return new GenAiSpan.Unsupported("array");
    }
    if (v.has("kvlistValue")) {
      return new GenAiSpan.Unsupported("map");
    }
    if (v.has("bytesValue")) {
      return new GenAiSpan.Unsupported("bytes");
    }
    return null;
  }

  private static byte[] id(JsonNode s, String field, int length) throws MalformedExport {
    byte[] id = optionalId(s, field, length);
    if (id.length != length) {
      throw new MalformedExport(field + " is missing");
    }
    return id;
  }

  private static byte[] optionalId(JsonNode s, String field, int length) throws MalformedExport {
    String text = s.path(field).asText("");
    if (text.isEmpty()) {
      return new byte[0];
    }
    if (text.length() != 2 * length) {
      throw new MalformedExport(field + " must be " + 2 * length + " hex digits");
    }
    try {
      return HEX.parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedExport(field + " is not hex");
    }
  }

  private static long nanos(JsonNode s, String field) throws MalformedExport {
    JsonNode n = s.path(field);
    try {
      if (n.isIntegralNumber() && n.canConvertToLong()) {
        return n.asLong();
      }
      if (n.isTextual()) {
        return Long.parseUnsignedLong(n.asText());
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new MalformedExport(field + " must be an unsigned 64-bit integer");
  }
}
