package dev.agentledger.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads another JVM's memory: its resident set size from {@code /proc/PID/status} and its heap used
 * from {@code jstat -gc} (the JVM's performance counters, no attach).
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
