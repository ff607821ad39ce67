package dev.agentledger.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the fields of one mapping of a parsed YAML/JSON document, recording a problem (with the
 * field's full path) for every missing, mistyped or out-of-range value instead of stopping at the
 * first, and reporting fields nobody asked for (usually typos) in {@link #finish()}.
 *
 * <p>Getters return a neutral value (null, 0, empty) after recording a problem, so one pass over a
 * document collects every problem in it.
 */
public final class Section {
  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final Set<String> read = new LinkedHashSet<>();

  private Section(JsonNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** A section over {@code node}, or null (with a problem) when it is not a mapping. */
  public static Section of(JsonNode node, String path, Problems problems) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      problems.add(path, "is missing (expected a mapping)");
      return null;
    }
    if (!node.isObject()) {
      problems.add(path, "must be a mapping, found " + describe(node));
      return null;
    }
    return new Section(node, path, problems);
  }

  String path() {
    return path;
  }

  public String pathOf(String field) {
    return Problems.child(path, field);
  }

  public Problems problems() {
    return problems;
  }

  public boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  public JsonNode raw(String field) {
    read.add(field);
    return node.get(field);
  }

  /** Records unknown fields; call after reading all known ones. */
  public void finish() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!read.contains(name)) {
        problems.add(pathOf(name), "unknown field (known: " + String.join(", ", read) + ")");
      }
    }
  }

  public String text(String field) {
    JsonNode value = raw(field);
    if (value == null || value.isNull()) {
      problems.add(pathOf(field), "is missing");
      return null;
    }
    if (!value.isTextual() && !value.isNumber()) {
      problems.add(pathOf(field), "must be a string, found " + describe(value));
      return null;
    }
    String text = value.asText().strip();
    if (text.isEmpty()) {
      problems.add(pathOf(field), "must not be empty");
      return null;
    }
    return text;
  }

  public String optionalText(String field, String fallback) {
    return has(field) ? text(field) : markRead(field, fallback);
  }

  private <T> T markRead(String field, T fallback) {
    read.add(field);
    return fallback;
  }

  /** An integer in {@code [min, max]}; accepts numbers and numeric strings. */
  long integer(String field, long min, long max) {
    JsonNode value = raw(field);
    if (value == null || value.isNull()) {
      problems.add(pathOf(field), "is missing");
      return min;
    }
    long number;
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      number = value.asLong();
    } else if (value.isTextual()) {
      try {
        number = Long.parseLong(value.asText().strip().replace("_", ""));
      } catch (NumberFormatException e) {
        problems.add(pathOf(field), "'" + value.asText() + "' is not an integer");
        return min;
      }
    } else {
      problems.add(pathOf(field), "must be an integer, found " + describe(value));
      return min;
    }
    if (number < min || number > max) {
      problems.add(pathOf(field), number + " is out of range (" + min + ".." + max + ")");
      return min;
    }
    return number;
  }

  long optionalInteger(String field, long min, long max, long fallback) {
    return has(field) ? integer(field, min, max) : markRead(field, fallback);
  }

  /**
   * A TCP port (1..65535); the problem reads {@code x.peer_port: 70000 is not a port (1..65535)}.
   */
  int port(String field) {
    JsonNode value = raw(field);
    if (value == null || value.isNull()) {
      problems.add(pathOf(field), "is missing");
      return 0;
    }
    if (!value.isIntegralNumber()
        && !(value.isTextual() && value.asText().strip().matches("-?\\d{1,18}"))) {
      problems.add(pathOf(field), "must be a port number, found " + describe(value));
      return 0;
    }
    long port = value.isTextual() ? Long.parseLong(value.asText().strip()) : value.asLong();
    if (!HostPort.isPort(port)) {
      problems.add(pathOf(field), HostPort.portProblem(port));
      return 0;
    }
    return (int) port;
  }

  public int optionalPort(String field, int fallback) {
    return has(field) ? port(field) : markRead(field, fallback);
  }

  HostPort hostPort(String field) {
    String text = text(field);
    if (text == null) {
      return null;
    }
    try {
      return HostPort.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(pathOf(field), e.getMessage());
      return null;
    }
  }

  /** A host name or address (no port). */
  public String host(String field) {
    String text = text(field);
    if (text == null) {
      return null;
    }
    String problem = HostPort.hostProblem(text);
    if (problem != null) {
      problems.add(pathOf(field), problem);
      return null;
    }
    return text;
  }

  /** Hex of exactly {@code bytes} bytes, returned lower-case. */
  String hex(String field, int bytes) {
    String text = text(field);
    return text == null ? null : checkHex(pathOf(field), text, bytes, problems);
  }

  static String checkHex(String path, String text, int bytes, Problems problems) {
    if (text.length() != 2 * bytes) {
      problems.add(path, "must be " + 2 * bytes + " hex digits, got " + text.length());
      return null;
    }
    try {
      HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      problems.add(path, "'" + text + "' is not hex");
      return null;
    }
    return text.toLowerCase(java.util.Locale.ROOT);
  }

  /** The items of a list field; missing or non-list records a problem and returns no items. */
  public List<JsonNode> list(String field, boolean required) {
    JsonNode value = raw(field);
    if (value == null || value.isNull()) {
      if (required) {
        problems.add(pathOf(field), "is missing (expected a list)");
      }
      return List.of();
    }
    if (!value.isArray()) {
      problems.add(pathOf(field), "must be a list, found " + describe(value));
      return List.of();
    }
    List<JsonNode> items = new ArrayList<>();
    value.forEach(items::add);
    return items;
  }

  public Section child(String field) {
    return Section.of(raw(field), pathOf(field), problems);
  }

  static String describe(JsonNode value) {
    JsonNodeType type = value.getNodeType();
    return switch (type) {
      case STRING -> "string '" + value.asText() + "'";
      case NUMBER -> "number " + value.asText();
      case BOOLEAN -> "boolean " + value.asText();
      case ARRAY -> "a list";
      case OBJECT -> "a mapping";
      default -> type.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
