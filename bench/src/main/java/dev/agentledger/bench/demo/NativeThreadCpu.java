package dev.agentledger.bench.demo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of another process's threads that the JVM does not list as Java threads, read from
 * {@code /proc/PID/task/TID/{comm,stat}} and summed by kind: the JIT compiler threads, the garbage
 * collector's threads, RocksDB's background threads and the JVM's own service threads (VM thread,
 * periodic task, service thread, JFR). {@code ThreadMXBean} sees none of them, so a node's {@code
 * threadsCpuMs} leaves them in its process total only; this splits that remainder by cause. The
 * kernel truncates a thread's name to 15 characters ({@code C2 CompilerThre}, {@code G1 Main
 * Marker}); the kinds are matched on those prefixes.
 */
public final class NativeThreadCpu {
  /** The kind of the JIT compiler threads. */
  public static final String JIT = "JIT compiler threads";

  /** The kind of the garbage collector's threads (parallel workers, concurrent marking, refine). */
  public static final String GC = "GC threads";

  /** The kind of RocksDB's background threads (flush and compaction pools). */
  public static final String ROCKSDB = "RocksDB background threads";

  /** The kind of the JVM's other service threads (VM thread, periodic task, JFR, cleaners). */
  public static final String JVM = "JVM service threads";

  private NativeThreadCpu() {}

  /**
   * The kind of a thread named {@code comm} (as {@code /proc/.../comm} spells it), or null for a
   * thread that is not one of these kinds (the Java threads of the application).
   */
  public static String kind(String comm) {
    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
      return JIT;
    }
    if (comm.startsWith("GC Thread#")
        || comm.startsWith("G1 ")
        || comm.startsWith("GC ")
        || comm.startsWith("ZWorker")
        || comm.startsWith("ParGC")) {
      return GC;
    }
    if (comm.startsWith("rocksdb:")) {
      return ROCKSDB;
    }
    if (comm.startsWith("VM Thread")
        || comm.startsWith("VM Periodic")
        || comm.startsWith("Service Thread")
        || comm.startsWith("Monitor Deflati")
        || comm.startsWith("Common-Cleaner")
        || comm.startsWith("Reference Handl")
        || comm.startsWith("Finalizer")
        || comm.startsWith("Signal Dispatch")
        || comm.startsWith("Notification Th")
        || comm.startsWith("JFR ")
        || comm.startsWith("Attach Listener")) {
      return JVM;
    }
    return null;
  }

  /**
   * User plus system CPU ticks of one {@code /proc/PID/task/TID/stat} line ({@code utime} and
   * {@code stime}, fields 14 and 15, counted after the parenthesised name, which may hold spaces
   * and parentheses itself).
   *
   * @throws IllegalArgumentException when the line is not a stat line
   */
  public static long ticks(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc stat line: " + statLine);
    }
    String[] fields = statLine.substring(close + 1).strip().split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    if (fields.length < 13) {
      throw new IllegalArgumentException("not a /proc stat line: " + statLine);
    }
    try {
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a /proc stat line: " + statLine, e);
    }
  }

  /**
   * CPU nanoseconds of process {@code pid}'s threads by kind ({@link #kind}), read from {@code
   * procRoot}/PID/task; an empty map when the process is gone or {@code /proc} cannot be read. A
   * thread that ends between listing and reading is skipped.
   */
  public static Map<String, Long> read(Path procRoot, long pid, long ticksPerSecond) {
    TreeMap<String, Long> byKind = new TreeMap<>();
    Path tasks = procRoot.resolve(Long.toString(pid)).resolve("task");
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        try {
          String kind = kind(Files.readString(task.resolve("comm")).strip());
          if (kind != null) {
            long ns =
                ticks(Files.readString(task.resolve("stat"))) * 1_000_000_000L / ticksPerSecond;
            byKind.merge(kind, ns, Long::sum);
          }
        } catch (IOException | IllegalArgumentException e) {
          // the thread ended while it was read
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return byKind;
  }

  /** {@link #read} of this machine's {@code /proc}, at Linux's fixed 100 ticks per second. */
  public static Map<String, Long> read(long pid) {
    return read(Path.of("/proc"), pid, 100);
  }

  /** Each child's {@link #JIT} compiler-thread CPU so far, in nanoseconds (0 when unreadable). */
  public static long[] jitNs(java.util.List<ProcessSupervisor.Child> children) {
    long[] ns = new long[children.size()];
    for (int v = 0; v < ns.length; v++) {
      ns[v] = read(children.get(v).process().pid()).getOrDefault(JIT, 0L);
    }
    return ns;
  }
}
