package dev.agentledger.node.storage;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * glibc's {@code malloc_trim(0)}, called through the Foreign Function and Memory API: it gives the
 * free pages of every malloc arena back to the kernel, not only the top of each heap. A validator's
 * native memory lives in glibc malloc (RocksDB's block cache and memtables, direct buffers, the
 * execution state's pages, the JVM's own), and glibc keeps what they free resident: without a trim
 * the process's RSS follows the highest sum those parts ever reached together, and keeps creeping
 * up as rarer peaks coincide, long after each part reached its own bound. Loaded lazily and
 * reported as a value: {@link #glibc()} is empty on another OS or C library, never an exception
 * from a class initializer.
 */
public final class MallocTrim {
  /** Seconds between two trims by default ({@value}); system property {@link #PERIOD_PROPERTY}. */
  public static final long DEFAULT_PERIOD_S = 30;

  /** System property: seconds between trims, 0 for none. */
  public static final String PERIOD_PROPERTY = "agentledger.mallocTrimSeconds";

  private final MethodHandle trim;
  private long trims;
  private long released;

  private MallocTrim(MethodHandle trim) {
    this.trim = trim;
  }

  /** The C library's call, or empty where there is none (another OS, not glibc). */
  public static Optional<MallocTrim> glibc() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return Optional.empty();
    }
    try {
      Linker linker = Linker.nativeLinker();
      Optional<MemorySegment> symbol = linker.defaultLookup().find("malloc_trim");
      return symbol.map(
          s ->
              new MallocTrim(
                  linker.downcallHandle(
                      s, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG))));
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  /**
   * The period from {@link #PERIOD_PROPERTY} in nanoseconds, {@link #DEFAULT_PERIOD_S} when unset;
   * 0 turns trimming off.
   *
   * @throws IllegalArgumentException when the property is not a whole number of seconds >= 0
   */
  public static long periodNs(String property) {
    if (property == null || property.isBlank()) {
      return DEFAULT_PERIOD_S * 1_000_000_000L;
    }
    long seconds;
    try {
      seconds = Long.parseLong(property.trim());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 0 || seconds > 86_400) {
      throw new IllegalArgumentException(
          PERIOD_PROPERTY + " must be whole seconds from 0 (off) to 86400, not '" + property + "'");
    }
    return seconds * 1_000_000_000L;
  }

  /**
   * Trims every arena once.
   *
   * @return whether glibc released memory to the kernel
   */
  public boolean trim() {
    int rc;
    try {
      rc = (int) trim.invokeExact(0L);
    } catch (Throwable e) {
      return false;
    }
    trims++;
    if (rc != 0) {
      released++;
    }
    return rc != 0;
  }

  /** Trims made so far. */
  public long trims() {
    return trims;
  }

  /** Trims that released memory, so far. */
  public long released() {
    return released;
  }
}
