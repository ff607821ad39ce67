package dev.agentledger.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads another JVM's memory: its resident set size and its anonymous and file-backed parts from
 * {@code /proc/PID/status}, glibc's malloc heaps from {@code /proc/PID/smaps}, its heap used from
 * {@code jstat -gc} (the JVM's performance counters, no attach), and its native memory tracking
 * summary from {@code jcmd PID VM.native_memory summary} (an attach; the JVM must run with {@code
 * -XX:NativeMemoryTracking=summary}).
 */
final class ProcMemory {
  private ProcMemory() {}

  /** {@code VmRSS} of process {@code pid} in bytes, or -1 when it cannot be read. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return parseKib(line.substring("VmRSS:".length())) * 1024;
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The {@code kB} fields of {@code /proc/PID/status} named in {@code names}, in bytes, in that
   * order (-1 for each one missing or unreadable).
   */
  static long[] statusFields(long pid, String... names) {
    long[] values = new long[names.length];
    java.util.Arrays.fill(values, -1);
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        for (int i = 0; i < names.length; i++) {
          if (line.startsWith(names[i] + ":")) {
            values[i] = parseKib(line.substring(names[i].length() + 1)) * 1024;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable: every value stays -1
    }
    return values;
  }

  /** glibc's malloc heaps of a process: how many, and their resident bytes with {@code [heap]}. */
  record MallocHeaps(int count, long rssBytes) {}

  /** The size of one glibc malloc heap of a secondary arena on 64-bit Linux (HEAP_MAX_SIZE). */
  static final long MALLOC_HEAP_BYTES = 64L << 20;

  /** {@link #parseMallocHeaps} of {@code /proc/PID/smaps}, or null when it cannot be read. */
  static MallocHeaps mallocHeaps(long pid) {
    try {
      return parseMallocHeaps(Files.readString(Path.of("/proc", Long.toString(pid), "smaps")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The malloc heaps in {@code smaps} text: the main arena ({@code [heap]}), and every anonymous
   * read-write mapping that starts on a 64 MiB boundary and, with the inaccessible anonymous
   * mapping right after it (its not yet used rest), spans exactly 64 MiB, which is how glibc maps a
   * secondary arena's heap. The count is of those secondary heaps; the resident bytes include
   * {@code [heap]}.
   */
  static MallocHeaps parseMallocHeaps(String smaps) {
    List<String> lines = smaps.lines().toList();
    // the mappings in order: start, end, perms, anonymous, [heap], Rss bytes
    List<long[]> maps = new java.util.ArrayList<>();
    for (String line : lines) {
      int dash = line.indexOf('-');
      int space = line.indexOf(' ');
      if (dash > 0 && space > dash && isHex(line, 0, dash) && isHex(line, dash + 1, space)) {
        String[] f = line.trim().split("\\s+");
        long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
        long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
        boolean anonymous = f.length < 6;
        boolean mainHeap = f.length >= 6 && f[5].equals("[heap]");
        long kind = (f[1].startsWith("rw") ? 1 : 0) | (f[1].startsWith("---") ? 2 : 0);
        maps.add(new long[] {start, end, kind, anonymous ? 1 : 0, mainHeap ? 1 : 0, 0});
      } else if (line.startsWith("Rss:") && !maps.isEmpty()) {
        maps.getLast()[5] = parseKib(line.substring("Rss:".length())) * 1024;
      }
    }
    int count = 0;
    long rss = 0;
    for (int i = 0; i < maps.size(); i++) {
      long[] m = maps.get(i);
      if (m[4] == 1) {
        rss += m[5];
        continue;
      }
      if (m[3] != 1 || m[2] != 1 || m[0] % MALLOC_HEAP_BYTES != 0) {
        continue;
      }
      long span = m[1] - m[0];
      if (i + 1 < maps.size()) {
        long[] next = maps.get(i + 1);
        if (next[3] == 1 && next[2] == 2 && next[0] == m[1]) {
          span = next[1] - m[0];
        }
      }
      if (span == MALLOC_HEAP_BYTES) {
        count++;
        rss += m[5];
      }
    }
    return new MallocHeaps(count, rss);
  }

  private static boolean isHex(String s, int from, int to) {
    if (to <= from) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Committed bytes per category of JVM {@code pid}'s native memory tracking summary, with {@code
   * Total} for the whole; null when jcmd is missing, fails (no tracking, no attach) or does not
   * answer within 20 s.
   */
  static java.util.Map<String, Long> nativeMemory(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return null;
    }
    try {
      Process p =
          new ProcessBuilder(
                  jcmd.toString(),
                  "-J-XX:TieredStopAtLevel=1",
                  "-J-XX:+UseSerialGC",
                  Long.toString(pid),
                  "VM.native_memory",
                  "summary",
                  "scale=KB")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      if (p.exitValue() != 0) {
        return null;
      }
      java.util.Map<String, Long> parsed = parseNativeMemory(out);
      return parsed.containsKey("Total") ? parsed : null;
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static final java.util.regex.Pattern NMT_TOTAL =
      java.util.regex.Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  private static final java.util.regex.Pattern NMT_CATEGORY =
      java.util.regex.Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB");

  /**
   * Committed bytes per category of a {@code VM.native_memory summary scale=KB} output ({@code
   * Total} for the whole; categories as NMT names them, e.g. {@code Java Heap}, {@code Other}).
   */
  static java.util.Map<String, Long> parseNativeMemory(String output) {
    java.util.Map<String, Long> committed = new java.util.LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      java.util.regex.Matcher total = NMT_TOTAL.matcher(line);
      if (total.find()) {
        committed.put("Total", Long.parseLong(total.group(2)) * 1024);
        continue;
      }
      java.util.regex.Matcher category = NMT_CATEGORY.matcher(line);
      if (category.find()) {
        committed.put(category.group(1), Long.parseLong(category.group(3)) * 1024);
      }
    }
    return committed;
  }

  /** Parses {@code " 123456 kB"}. */
  static long parseKib(String value) {
    String v = value.strip();
    if (!v.endsWith("kB")) {
      throw new IllegalArgumentException("not a kB value: " + value);
    }
    return Long.parseLong(v.substring(0, v.length() - 2).strip());
  }

  /**
   * Heap used of JVM {@code pid} in bytes (survivors, eden and old generation from {@code jstat
   * -gc}), or -1 when jstat is missing or does not answer within 20 s.
   */
  static long heapUsedBytes(long pid) {
    Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
    if (!Files.isExecutable(jstat)) {
      return -1;
    }
    try {
      Process p =
          new ProcessBuilder(
                  jstat.toString(),
                  "-J-XX:TieredStopAtLevel=1",
                  "-J-XX:+UseSerialGC",
                  "-gc",
                  Long.toString(pid))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue() == 0 ? parseJstatGc(out) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Heap used in bytes from {@code jstat -gc} output (a header line, a value line, KiB): the sum of
   * S0U, S1U, EU and OU.
   */
  static long parseJstatGc(String output) {
    List<String> lines = output.strip().lines().toList();
    if (lines.size() < 2) {
      throw new IllegalArgumentException("jstat -gc: expected a header and a value line");
    }
    String[] header = lines.get(lines.size() - 2).strip().split("\\s+");
    String[] values = lines.get(lines.size() - 1).strip().split("\\s+");
    double kib = 0;
    int found = 0;
    for (int i = 0; i < header.length && i < values.length; i++) {
      switch (header[i]) {
        case "S0U", "S1U", "EU", "OU" -> {
          kib += Double.parseDouble(values[i]);
          found++;
        }
        default -> {}
      }
    }
    if (found != 4) {
      throw new IllegalArgumentException("jstat -gc: no S0U, S1U, EU and OU columns");
    }
    return (long) (kib * 1024);
  }
}
