package dev.agentledger.zk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process's threads so far, summed by thread name with trailing numbers dropped
 * ({@code "C2 CompilerThre"}, {@code "GC Thread#"}, {@code "main"}, {@code "msm"}), from Linux's
 * {@code /proc/self/task/<tid>/stat}: it counts the JVM's own threads (JIT compilers, GC) that the
 * management API does not see. The threads that have ended are one entry, {@code "(ended)"}: the
 * process's total ({@code /proc/self/stat}) less the live threads'. Empty where there is no {@code
 * /proc}.
 */
public final class ThreadCpu {
  private ThreadCpu() {}

  /** Clock ticks of user plus system CPU in a {@code stat} file (fields 14 and 15). */
  private static long ticks(Path stat) {
    try {
      String s = Files.readString(stat, StandardCharsets.US_ASCII);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Milliseconds of user plus system CPU by thread name (clock ticks of 10 ms). */
  public static Map<String, Long> byName() {
    Map<String, Long> out = new TreeMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
      for (Path t : ds) {
        try {
          String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          if (open < 0 || close < open) {
            continue;
          }
          String name = stat.substring(open + 1, close).replaceAll("[#0-9 ]+$", "");
          out.merge(name, ticks(t.resolve("stat")) * 10, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended while we read it
        }
      }
    } catch (IOException e) {
      return out;
    }
    long total = ticks(Path.of("/proc/self/stat")) * 10;
    long live = out.values().stream().mapToLong(Long::longValue).sum();
    if (total > live) {
      out.put("(ended)", total - live);
    }
    return out;
  }
}
