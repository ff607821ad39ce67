package dev.agentledger.zk.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * CPU time of the whole process (every thread, the JVM's JIT compiler and GC threads included, and
 * the threads that have ended) in nanoseconds: on Linux {@code
 * clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through the foreign function API, at the kernel's
 * nanosecond resolution. The management API's {@code getProcessCpuTime} reads {@code times()} on
 * Linux, in clock ticks of 10 ms, too coarse for a run of about 100 ms; it is the fallback
 * elsewhere.
 */
public final class ProcessCpu {
  /** Linux's {@code CLOCK_PROCESS_CPUTIME_ID}. */
  private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

  private static final MethodHandle CLOCK_GETTIME = clockGettime();

  /**
   * A {@code struct timespec} (two 64-bit fields on 64-bit Linux), used by one reader at a time.
   */
  private static final MemorySegment TIMESPEC =
      CLOCK_GETTIME == null ? null : Arena.global().allocate(16, 8);

  private ProcessCpu() {}

  /** Whether {@link #nanos} reads the kernel's clock (nanoseconds), not the 10 ms ticks. */
  public static boolean precise() {
    return CLOCK_GETTIME != null;
  }

  /** CPU time of this process so far, in nanoseconds. */
  public static long nanos() {
    if (CLOCK_GETTIME != null) {
      synchronized (TIMESPEC) {
        int rc;
        try {
          rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, TIMESPEC);
        } catch (Throwable e) {
          throw new IllegalStateException("clock_gettime failed", e);
        }
        if (rc == 0) {
          return TIMESPEC.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L
              + TIMESPEC.get(ValueLayout.JAVA_LONG, 8);
        }
      }
    }
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return System.nanoTime();
  }

  private static MethodHandle clockGettime() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
        || ValueLayout.ADDRESS.byteSize() != 8) {
      return null;
    }
    try {
      Linker linker = Linker.nativeLinker();
      return linker
          .defaultLookup()
          .find("clock_gettime")
          .map(
              s ->
                  linker.downcallHandle(
                      s,
                      FunctionDescriptor.of(
                          ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)))
          .orElse(null);
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
