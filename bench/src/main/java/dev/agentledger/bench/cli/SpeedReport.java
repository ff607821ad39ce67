package dev.agentledger.bench.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints speed results: a table for people, or with {@code --json} one JSON object per line with
 * the keys {@code name}, {@code impl}, {@code threads}, {@code batch}, {@code opsPerSec} (and
 * optional extra numeric keys).
 */
final class SpeedReport {
  private final PrintWriter out;
  private final boolean json;
  private boolean headerDone;

  SpeedReport(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /**
   * One result; {@code extra} are alternating key, value pairs of numbers. A key is the text
   * table's column heading ({@code ops_per_cpu_sec}); the JSON line names it in camelCase ({@code
   * opsPerCpuSec}), like every JSON the project prints.
   */
  void row(String name, String impl, int threads, int batch, double opsPerSec, Object... extra) {
    if (json) {
      StringBuilder line = new StringBuilder();
      line.append("{\"name\":\"")
          .append(name)
          .append("\",\"impl\":\"")
          .append(impl)
          .append("\",\"threads\":")
          .append(threads)
          .append(",\"batch\":")
          .append(batch)
          .append(",\"opsPerSec\":")
          .append(String.format(Locale.ROOT, "%.1f", opsPerSec));
      for (int i = 0; i + 1 < extra.length; i += 2) {
        line.append(",\"").append(camelCase(String.valueOf(extra[i]))).append("\":");
        Object value = extra[i + 1];
        line.append(
            value instanceof Double d
                ? String.format(Locale.ROOT, "%.3f", d)
                : String.valueOf(value));
      }
      out.println(line.append('}'));
    } else {
      if (!headerDone) {
        StringBuilder header =
            new StringBuilder(
                String.format(
                    Locale.ROOT,
                    "%-12s %-18s %7s %6s %16s",
                    "name",
                    "impl",
                    "threads",
                    "batch",
                    "ops/s"));
        for (int i = 0; i + 1 < extra.length; i += 2) {
          header.append(String.format(Locale.ROOT, " %18s", extra[i]));
        }
        out.println(header);
        headerDone = true;
      }
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%-12s %-18s %7d %6d %16.0f",
                  name,
                  impl,
                  threads,
                  batch,
                  opsPerSec));
      for (int i = 0; i + 1 < extra.length; i += 2) {
        Object value = extra[i + 1];
        line.append(
            value instanceof Double d
                ? String.format(Locale.ROOT, " %18.2f", d)
                : String.format(Locale.ROOT, " %18s", value));
      }
      out.println(line);
    }
    out.flush();
  }

  /** {@code ops_per_cpu_sec} to {@code opsPerCpuSec}. */
  static String camelCase(String snake) {
    StringBuilder out = new StringBuilder(snake.length());
    boolean upper = false;
    for (int i = 0; i < snake.length(); i++) {
      char c = snake.charAt(i);
      if (c == '_') {
        upper = out.length() > 0;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
