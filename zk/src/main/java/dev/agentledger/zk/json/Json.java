package dev.agentledger.zk.json;

import dev.agentledger.zk.ZkInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for snarkjs's files ({@code proof.json}, {@code public.json},
 * {@code verification_key.json}), so that the module needs no JSON library. Values read are {@code
 * Map<String, Object>}, {@code List<Object>}, {@code String}, {@code Boolean}, {@code null} or, for
 * numbers, their {@code String} text. The writer produces snarkjs's layout (bfj with a one-space
 * indent).
 */
public final class Json {
  private final String s;
  private final String what;
  private int i;

  private Json(String s, String what) {
    this.s = s;
    this.what = what;
  }

  /** Parses one JSON document; {@code what} names it in error messages. */
  public static Object parse(String text, String what) {
    Json j = new Json(text, what);
    j.ws();
    Object v = j.value(0);
    j.ws();
    if (j.i != text.length()) {
      throw j.error("trailing characters");
    }
    return v;
  }

  private ZkInputException error(String msg) {
    return new ZkInputException(what + ": malformed JSON at offset " + i + ": " + msg);
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private Object value(int depth) {
    if (depth > 64) {
      throw error("nested too deeply");
    }
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{' -> {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek('}')) {
          i++;
          return m;
        }
        while (true) {
          ws();
          if (!peek('"')) {
            throw error("expected a key");
          }
          String k = string();
          ws();
          expect(':');
          ws();
          m.put(k, value(depth + 1));
          ws();
          if (peek(',')) {
            i++;
            continue;
          }
          expect('}');
          return m;
        }
      }
      case '[' -> {
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (peek(']')) {
          i++;
          return l;
        }
        while (true) {
          ws();
          l.add(value(depth + 1));
          ws();
          if (peek(',')) {
            i++;
            continue;
          }
          expect(']');
          return l;
        }
      }
      case '"' -> {
        return string();
      }
      default -> {
        if (s.startsWith("true", i)) {
          i += 4;
          return Boolean.TRUE;
        }
        if (s.startsWith("false", i)) {
          i += 5;
          return Boolean.FALSE;
        }
        if (s.startsWith("null", i)) {
          i += 4;
          return null;
        }
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
          i++;
        }
        if (start == i) {
          throw error("unexpected character '" + c + "'");
        }
        return s.substring(start, i);
      }
    }
  }

  private boolean peek(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    i++;
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (i >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw error("bad unicode escape");
            }
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      } else {
        b.append(c);
      }
    }
  }

  /**
   * Writes a value in snarkjs's layout: objects and arrays one member per line, indented by one
   * space per level; strings quoted; numbers ({@link Number}) bare.
   */
  public static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v, 0);
    return b.toString();
  }

  private static void indent(StringBuilder b, int n) {
    b.append('\n');
    b.append(" ".repeat(n));
  }

  private static void write(StringBuilder b, Object v, int level) {
    if (v instanceof Map<?, ?> m) {
      b.append('{');
      int k = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(k++ == 0 ? "" : ",");
        indent(b, level + 1);
        quote(b, e.getKey().toString());
        b.append(": ");
        write(b, e.getValue(), level + 1);
      }
      if (!m.isEmpty()) {
        indent(b, level);
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      int k = 0;
      for (Object o : l) {
        b.append(k++ == 0 ? "" : ",");
        indent(b, level + 1);
        write(b, o, level + 1);
      }
      if (!l.isEmpty()) {
        indent(b, level);
      }
      b.append(']');
    } else if (v instanceof Number || v instanceof Boolean || v == null) {
      b.append(v);
    } else {
      quote(b, v.toString());
    }
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }
}
