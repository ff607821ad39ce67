package dev.agentledger.node.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of the proof and committee JSON: duplicate keys, unknown or missing fields,
 * upper-case or odd-length hex, hashes of the wrong length, fractional or negative numbers and
 * trailing content are all refused with {@link IllegalArgumentException}. A proof therefore has one
 * textual form per meaning, which is what lets a byte-level mutation never pass unnoticed.
 */
public final class StrictJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static JsonNode parse(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** Requires {@code node} to be an object with exactly {@code names}. */
  public static void fields(JsonNode node, String what, String... names) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    Set<String> expected = Set.of(names);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!expected.contains(name)) {
        throw new IllegalArgumentException(what + " has an unknown field '" + name + "'");
      }
    }
    for (String name : names) {
      if (!node.has(name)) {
        throw new IllegalArgumentException(what + " lacks the field '" + name + "'");
      }
    }
  }

  public static long unsignedLong(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new IllegalArgumentException("'" + name + "' must be a non-negative integer");
    }
    return v.asLong();
  }

  public static String text(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("'" + name + "' must be a string");
    }
    return v.asText();
  }

  public static JsonNode array(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException("'" + name + "' must be an array");
    }
    return v;
  }

  /** Lower-case hex of exactly {@code length} bytes ({@code -1}: any length). */
  public static byte[] hex(JsonNode node, String name, int length) {
    return hexValue(node.get(name), name, length);
  }

  public static byte[] hexValue(JsonNode v, String name, int length) {
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("'" + name + "' must be a hex string");
    }
    String s = v.asText();
    if (s.length() % 2 != 0
        || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException("'" + name + "' must be lower-case hex of whole bytes");
    }
    byte[] bytes = HexFormat.of().parseHex(s);
    if (length >= 0 && bytes.length != length) {
      throw new IllegalArgumentException(
          "'" + name + "' must be " + length + " bytes, got " + bytes.length);
    }
    return bytes;
  }

  /** An array of 32-byte lower-case hex hashes. */
  public static List<byte[]> hashes(JsonNode node, String name) {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode v : array(node, name)) {
      out.add(hexValue(v, name + "[]", 32));
    }
    return out;
  }
}
