package dev.agentledger.node.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Line-oriented input of the conformance tools (DESIGN.md section 10): one item per line, fields
 * separated by blanks, hex in either case. Errors name the line (1-based) and the field.
 */
final class InputLines {
  private static final HexFormat HEX = HexFormat.of();

  private InputLines() {}

  /** All lines of {@code in}, without terminators ({@code \r\n} or {@code \n}). */
  static List<String> readAll(InputStream in) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input", e);
    }
    return lines;
  }

  /**
   * Splits a line into between {@code min} and {@code max} blank-separated fields.
   *
   * @throws MalformedInputException naming the line when the count is off
   */
  static String[] fields(String line, int lineNumber, int min, int max, String expected) {
    String trimmed = line.strip();
    String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("[ \\t]+");
    if (fields.length < min || fields.length > max) {
      throw new MalformedInputException(
          "line "
              + lineNumber
              + ": expected '"
              + expected
              + "', got "
              + fields.length
              + " field(s)");
    }
    return fields;
  }

  /** Parses hex of any length (empty allowed). */
  static byte[] hex(String text, int lineNumber, String field) {
    try {
      return HEX.parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(
          "line " + lineNumber + ": " + field + " is not valid hex (" + describe(text) + ")");
    }
  }

  /** Parses hex that must decode to exactly {@code length} bytes. */
  static byte[] hex(String text, int lineNumber, String field, int length) {
    byte[] bytes = hex(text, lineNumber, field);
    if (bytes.length != length) {
      throw new MalformedInputException(
          "line "
              + lineNumber
              + ": "
              + field
              + " must be "
              + length
              + " bytes ("
              + 2 * length
              + " hex digits), got "
              + bytes.length
              + " bytes");
    }
    return bytes;
  }

  private static String describe(String text) {
    if ((text.length() & 1) == 1) {
      return "odd number of digits: " + text.length();
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return "bad character at position " + (i + 1);
      }
    }
    return "unparseable";
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
