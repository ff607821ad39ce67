package dev.agentledger.node.runtime;

import dev.agentledger.node.config.CpuList;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * The CPU affinity of the calling thread on Linux, through sched_setaffinity(2) and
 * sched_getaffinity(2) called with the Foreign Function and Memory API (pid 0: the calling thread).
 * Loaded lazily and reported as a value: {@link #linux()} is empty on another OS or when the C
 * library lacks the calls, never an exception from a class initializer.
 *
 * <p>The mask is a {@code cpu_set_t} of {@link #MASK_BYTES} bytes, room for every CPU number that
 * {@link CpuList} accepts; the kernel reads the bits up to its own CPU count.
 */
public final class ThreadAffinity {
  /** Bytes of the CPU mask passed to the kernel: one bit per CPU 0 to {@link CpuList#MAX_CPU}. */
  static final int MASK_BYTES = (CpuList.MAX_CPU + 1) / 8;

  private static final int EINVAL = 22;
  private static final int EPERM = 1;

  private final MethodHandle set;
  private final MethodHandle get;
  private final StructLayout stateLayout;
  private final VarHandle errno;

  private ThreadAffinity(MethodHandle set, MethodHandle get, StructLayout stateLayout) {
    this.set = set;
    this.get = get;
    this.stateLayout = stateLayout;
    this.errno = stateLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  }

  /** The Linux calls, or empty where they are not available (another OS, no such symbols). */
  public static Optional<ThreadAffinity> linux() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return Optional.empty();
    }
    try {
      Linker linker = Linker.nativeLinker();
      FunctionDescriptor signature =
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_LONG,
              ValueLayout.ADDRESS);
      Linker.Option errnoState = Linker.Option.captureCallState("errno");
      Optional<MemorySegment> setSymbol = linker.defaultLookup().find("sched_setaffinity");
      Optional<MemorySegment> getSymbol = linker.defaultLookup().find("sched_getaffinity");
      if (setSymbol.isEmpty() || getSymbol.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new ThreadAffinity(
              linker.downcallHandle(setSymbol.get(), signature, errnoState),
              linker.downcallHandle(getSymbol.get(), signature, errnoState),
              Linker.Option.captureStateLayout()));
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  /** The CPUs the calling thread may run on now. */
  public CpuList current() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment mask = arena.allocate(MASK_BYTES, 8);
      MemorySegment state = arena.allocate(stateLayout);
      int rc = (int) get.invokeExact(state, 0, (long) MASK_BYTES, mask);
      if (rc < 0) {
        throw new IllegalStateException(
            "sched_getaffinity failed: errno " + (int) errno.get(state, 0L));
      }
      int[] cpus = new int[MASK_BYTES * 8];
      int n = 0;
      for (int cpu = 0; cpu < MASK_BYTES * 8; cpu++) { // glibc returns 0 and clears the rest
        if ((mask.get(ValueLayout.JAVA_BYTE, cpu >>> 3) & (1 << (cpu & 7))) != 0) {
          cpus[n++] = cpu;
        }
      }
      return CpuList.of(java.util.Arrays.copyOf(cpus, n));
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("sched_getaffinity could not be called", t);
    }
  }

  /**
   * Restricts the calling thread to {@code cpus}.
   *
   * @throws IllegalArgumentException when {@code cpus} is empty or the kernel refuses it (none of
   *     them online and allowed to this process, or no permission), naming the CPUs
   */
  public void pinCurrentThread(CpuList cpus) {
    if (cpus.isEmpty()) {
      throw new IllegalArgumentException("no CPU to pin the thread to");
    }
    int rc;
    int error;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment mask = arena.allocate(MASK_BYTES, 8);
      for (int cpu : cpus.toArray()) {
        int i = cpu >>> 3;
        mask.set(
            ValueLayout.JAVA_BYTE, i, (byte) (mask.get(ValueLayout.JAVA_BYTE, i) | 1 << (cpu & 7)));
      }
      MemorySegment state = arena.allocate(stateLayout);
      rc = (int) set.invokeExact(state, 0, (long) MASK_BYTES, mask);
      error = rc < 0 ? (int) errno.get(state, 0L) : 0;
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("sched_setaffinity could not be called", t);
    }
    if (rc < 0) {
      String why =
          switch (error) {
            case EINVAL -> "none of them is online and allowed to this process";
            case EPERM -> "no permission";
            default -> "errno " + error;
          };
      throw new IllegalArgumentException(
          "cannot pin a thread to CPUs " + cpus + ": " + why + " (sched_setaffinity)");
    }
  }
}
