package dev.agentledger.accel.opencl;

import static org.jocl.CL.*;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.DeviceInfo;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.ProbeResult;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * OpenCL backend over JOCL. Picks the first GPU of any platform, else the first device (in CI the
 * PoCL CPU device, whose numbers are CPU numbers). One in-order queue with profiling enabled; every
 * submission runs on the backend's own thread and completes its future there. Device buffers are
 * kept per role and grown by powers of two, so steady-state submissions allocate nothing on the
 * device. Inputs are copied straight from the caller's buffers; callers that want pinned-memory
 * transfer rates fill buffers from {@link #allocateHostBuffer(int)} ({@code CL_MEM_ALLOC_HOST_PTR},
 * mapped once). Programs are built once per process and their binaries cached on disk ({@link
 * ProgramCache}).
 */
public final class OpenClBackend implements Backend {
  public static final String NAME = "opencl";

  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(
          Capability.SHA256_BATCH,
          Capability.MERKLE_LEVEL,
          Capability.MERKLE_ROOT,
          Capability.ED25519_VERIFY_BATCH);

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "accel-opencl");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, cl_kernel> kernels = new HashMap<>();
  private final Map<String, cl_mem> buffers = new HashMap<>();
  private final Map<String, Long> bufferSizes = new HashMap<>();
  private final Map<cl_mem, ByteBuffer> hostBuffers = new HashMap<>();
  private volatile ProbeResult probe;
  private cl_device_id device;
  private cl_context context;
  private cl_command_queue queue;
  private DeviceInfo deviceInfo;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isHost() {
    return false;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public synchronized ProbeResult probe() {
    if (probe == null) {
      probe = open();
    }
    return probe;
  }

  @SuppressWarnings("deprecation")
  private ProbeResult open() {
    Optional<String> missing = missingOpenClLibrary();
    if (missing.isPresent()) {
      return ProbeResult.unavailable(NAME, missing.get());
    }
    try {
      CL.setExceptionsEnabled(true);
      int[] n = new int[1];
      try {
        clGetPlatformIDs(0, null, n);
      } catch (CLException e) {
        return ProbeResult.unavailable(
            NAME,
            "no OpenCL platform: "
                + ClErrors.name(e.getStatus())
                + " (install an ICD, e.g. pocl-opencl-icd for the CPU or a GPU driver)");
      }
      if (n[0] == 0) {
        return ProbeResult.unavailable(
            NAME, "no OpenCL platform installed (ICD loader found none)");
      }
      cl_platform_id[] platforms = new cl_platform_id[n[0]];
      clGetPlatformIDs(n[0], platforms, null);
      List<DeviceInfo> infos = new ArrayList<>();
      List<cl_device_id> ids = new ArrayList<>();
      List<cl_platform_id> owners = new ArrayList<>();
      for (cl_platform_id platform : platforms) {
        int[] count = new int[1];
        try {
          clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
        } catch (CLException e) {
          continue; // CL_DEVICE_NOT_FOUND on this platform
        }
        cl_device_id[] devs = new cl_device_id[count[0]];
        clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count[0], devs, null);
        for (cl_device_id d : devs) {
          ids.add(d);
          owners.add(platform);
          infos.add(describe(platform, d));
        }
      }
      if (ids.isEmpty()) {
        return ProbeResult.unavailable(
            NAME, "OpenCL platforms found but no devices (CL_DEVICE_NOT_FOUND)");
      }
      int pick = 0;
      for (int i = 0; i < infos.size(); i++) {
        if (infos.get(i).type().equals("GPU")) {
          pick = i;
          break;
        }
      }
      device = ids.get(pick);
      deviceInfo = infos.get(pick);
      context = clCreateContext(null, 1, new cl_device_id[] {device}, null, null, null);
      queue = clCreateCommandQueue(context, device, CL_QUEUE_PROFILING_ENABLE, null);
      List<DeviceInfo> ordered = new ArrayList<>();
      ordered.add(deviceInfo);
      for (int i = 0; i < infos.size(); i++) {
        if (i != pick) {
          ordered.add(infos.get(i));
        }
      }
      return ProbeResult.available(NAME, ordered);
    } catch (CLException e) {
      return ProbeResult.unavailable(
          NAME, "OpenCL initialisation failed: " + ClErrors.name(e.getStatus()));
    } catch (LinkageError e) {
      return ProbeResult.unavailable(
          NAME,
          "JOCL native library or libOpenCL.so could not be loaded: "
              + e.getMessage()
              + " (install ocl-icd-libopencl1 and an ICD such as pocl-opencl-icd)");
    } catch (RuntimeException e) {
      return ProbeResult.unavailable(NAME, "OpenCL initialisation failed: " + e);
    }
  }

  /**
   * Why libOpenCL cannot be loaded on Linux, or empty. Checked with the JDK's own loader before any
   * JOCL class is touched: JOCL's native loader prints its failures on the process's standard
   * output (file descriptor 1, from C), which carries only answers (DESIGN.md section 10).
   */
  static Optional<String> missingOpenClLibrary() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.empty();
    }
    List<String> failures = new ArrayList<>();
    for (String library : List.of("libOpenCL.so.1", "libOpenCL.so")) {
      try (Arena arena = Arena.ofConfined()) {
        SymbolLookup.libraryLookup(library, arena);
        return Optional.empty();
      } catch (IllegalArgumentException | IllegalCallerException e) {
        failures.add(library);
      }
    }
    return Optional.of(
        "libOpenCL could not be loaded (tried "
            + String.join(", ", failures)
            + "; install ocl-icd-libopencl1 and an ICD such as pocl-opencl-icd)");
  }

  private static DeviceInfo describe(cl_platform_id platform, cl_device_id d) {
    long type = ClInfo.deviceLong(d, CL_DEVICE_TYPE);
    String typeName =
        (type & CL_DEVICE_TYPE_GPU) != 0
            ? "GPU"
            : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "ACCELERATOR";
    return new DeviceInfo(
        ClInfo.deviceString(d, CL_DEVICE_NAME),
        ClInfo.deviceString(d, CL_DEVICE_VENDOR),
        typeName,
        ClInfo.deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS),
        ClInfo.deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
        ClInfo.deviceInt(d, CL_DEVICE_MAX_CLOCK_FREQUENCY),
        ClInfo.deviceString(d, CL_DRIVER_VERSION),
        ClInfo.platformString(platform, CL_PLATFORM_VERSION));
  }

  private void requireAvailable() {
    ProbeResult p = probe();
    if (!p.available()) {
      throw new AccelException("backend 'opencl' is unavailable: " + p.reason().orElse(""));
    }
  }

  /**
   * Builds (or loads from the binary cache) the program holding that kernel. Runs on the backend
   * thread.
   */
  private cl_kernel kernel(String source, String kernelName) {
    cl_kernel k = kernels.get(kernelName);
    if (k == null) {
      cl_program program = ProgramCache.build(context, device, deviceInfo, source);
      k = clCreateKernel(program, kernelName, null);
      kernels.put(kernelName, k);
    }
    return k;
  }

  /**
   * Compiles the program of a capability now (the first build of Ed25519 on PoCL takes a while).
   */
  public CompletableFuture<Void> warmUp(Capability capability) {
    return submit(
        () -> {
          switch (capability) {
            case SHA256_BATCH -> kernel("opencl/sha256.cl", "sha256_fixed");
            case MERKLE_LEVEL, MERKLE_ROOT -> kernel("opencl/merkle.cl", "merkle_level");
            case ED25519_VERIFY_BATCH -> kernel("opencl/ed25519.cl", "ed25519_verify");
          }
          return null;
        });
  }

  private cl_mem buffer(String role, long bytes) {
    long want = Math.max(64, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
    Long have = bufferSizes.get(role);
    if (have != null && have >= bytes) {
      return buffers.get(role);
    }
    cl_mem old = buffers.remove(role);
    if (old != null) {
      clReleaseMemObject(old);
    }
    cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, want, null, null);
    buffers.put(role, mem);
    bufferSizes.put(role, want);
    return mem;
  }

  private interface Work<T> {
    T run();
  }

  private <T> CompletableFuture<T> submit(Work<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              requireAvailable();
              future.complete(work.run());
            } catch (CLException e) {
              future.completeExceptionally(
                  new AccelException("OpenCL launch failed", ClErrors.name(e.getStatus()), e));
            } catch (Throwable e) {
              future.completeExceptionally(
                  e instanceof AccelException
                      ? e
                      : new AccelException("OpenCL launch failed: " + e, "", e));
            }
          });
    } catch (RuntimeException e) {
      future.completeExceptionally(new AccelException("OpenCL backend is closed: " + e));
    }
    return future;
  }

  private static void write(
      cl_command_queue q, cl_mem mem, ByteBuffer src, long bytes, List<cl_event> events) {
    if (bytes == 0) {
      return;
    }
    cl_event e = new cl_event();
    ByteBuffer view = src.duplicate().clear();
    clEnqueueWriteBuffer(q, mem, CL_FALSE, 0, bytes, Pointer.to(view), 0, null, e);
    events.add(e);
  }

  private static void read(
      cl_command_queue q, cl_mem mem, ByteBuffer dst, long bytes, List<cl_event> events) {
    cl_event e = new cl_event();
    ByteBuffer view = dst.duplicate().clear();
    clEnqueueReadBuffer(q, mem, CL_TRUE, 0, bytes, Pointer.to(view), 0, null, e);
    events.add(e);
  }

  /**
   * One fixed work-group size: kernels check their bound, and PoCL compiles one work-group function
   * per local size, so letting the driver pick per global size would recompile often.
   */
  private static final long LOCAL_SIZE = 64;

  private static void launch(cl_command_queue q, cl_kernel k, long items, List<cl_event> events) {
    cl_event e = new cl_event();
    long global = (items + LOCAL_SIZE - 1) / LOCAL_SIZE * LOCAL_SIZE;
    clEnqueueNDRangeKernel(q, k, 1, null, new long[] {global}, new long[] {LOCAL_SIZE}, 0, null, e);
    events.add(e);
  }

  private LaunchTiming timing(
      long items,
      long bytesIn,
      long bytesOut,
      List<cl_event> up,
      List<cl_event> run,
      List<cl_event> down,
      long startNs) {
    long wall = System.nanoTime() - startNs;
    long u = ClInfo.elapsed(up), k = ClInfo.elapsed(run), d = ClInfo.elapsed(down);
    for (List<cl_event> l : List.of(up, run, down)) {
      for (cl_event e : l) {
        clReleaseEvent(e);
      }
    }
    return new LaunchTiming(
        NAME, deviceInfo.name(), items, run.size(), bytesIn, bytesOut, u, k, d, wall);
  }

  @Override
  public CompletableFuture<LaunchTiming> sha256Batch(
      ByteBuffer messages, int messageBytes, int count, ByteBuffer digests) {
    return submit(
        () -> {
          long start = System.nanoTime();
          List<cl_event> up = new ArrayList<>(), run = new ArrayList<>(), down = new ArrayList<>();
          if (count == 0) {
            return timing(0, 0, 0, up, run, down, start);
          }
          cl_kernel k = kernel("opencl/sha256.cl", "sha256_fixed");
          long inBytes = (long) messageBytes * count;
          cl_mem in = buffer("sha.in", inBytes);
          cl_mem out = buffer("sha.out", 32L * count);
          write(queue, in, messages, inBytes, up);
          clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(in));
          clSetKernelArg(k, 1, Sizeof.cl_uint, Pointer.to(new int[] {messageBytes}));
          clSetKernelArg(k, 2, Sizeof.cl_uint, Pointer.to(new int[] {count}));
          clSetKernelArg(k, 3, Sizeof.cl_mem, Pointer.to(out));
          launch(queue, k, count, run);
          read(queue, out, digests, 32L * count, down);
          return timing(count, inBytes, 32L * count, up, run, down, start);
        });
  }

  @Override
  public CompletableFuture<LaunchTiming> merkleLevel(
      ByteBuffer nodes, int count, ByteBuffer parents) {
    return submit(
        () -> {
          long start = System.nanoTime();
          List<cl_event> up = new ArrayList<>(), run = new ArrayList<>(), down = new ArrayList<>();
          int parentsCount = (count + 1) / 2;
          if (count == 0) {
            return timing(0, 0, 0, up, run, down, start);
          }
          cl_kernel k = kernel("opencl/merkle.cl", "merkle_level");
          cl_mem a = buffer("merkle.a", 32L * count);
          cl_mem b = buffer("merkle.b", 32L * parentsCount);
          write(queue, a, nodes, 32L * count, up);
          levelLaunch(k, a, count, b, run);
          read(queue, b, parents, 32L * parentsCount, down);
          return timing(count, 32L * count, 32L * parentsCount, up, run, down, start);
        });
  }

  private void levelLaunch(cl_kernel k, cl_mem in, int count, cl_mem out, List<cl_event> run) {
    clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(in));
    clSetKernelArg(k, 1, Sizeof.cl_uint, Pointer.to(new int[] {count}));
    clSetKernelArg(k, 2, Sizeof.cl_mem, Pointer.to(out));
    launch(queue, k, (count + 1) / 2, run);
  }

  @Override
  public CompletableFuture<LaunchTiming> merkleRoot(
      ByteBuffer leafHashes, int count, ByteBuffer root) {
    return submit(
        () -> {
          if (count < 1) {
            throw new AccelException("merkleRoot needs at least one leaf hash");
          }
          long start = System.nanoTime();
          List<cl_event> up = new ArrayList<>(), run = new ArrayList<>(), down = new ArrayList<>();
          cl_kernel k = kernel("opencl/merkle.cl", "merkle_level");
          cl_mem a = buffer("merkle.a", 32L * count);
          cl_mem b = buffer("merkle.b", 32L * ((count + 1) / 2));
          write(queue, a, leafHashes, 32L * count, up);
          int n = count;
          cl_mem src = a, dst = b;
          while (n > 1) {
            levelLaunch(k, src, n, dst, run);
            n = (n + 1) / 2;
            cl_mem t = src;
            src = dst;
            dst = t;
          }
          read(queue, src, root, 32, down);
          return timing(count, 32L * count, 32, up, run, down, start);
        });
  }

  @Override
  public CompletableFuture<LaunchTiming> ed25519VerifyBatch(
      Ed25519Batch batch, ByteBuffer verdicts) {
    return submit(
        () -> {
          long start = System.nanoTime();
          List<cl_event> up = new ArrayList<>(), run = new ArrayList<>(), down = new ArrayList<>();
          int count = batch.count();
          if (count == 0) {
            return timing(0, 0, 0, up, run, down, start);
          }
          cl_kernel k = kernel("opencl/ed25519.cl", "ed25519_verify");
          int stride = batch.maxMessageBytes();
          cl_mem pubs = buffer("ed.pubs", 32L * count);
          cl_mem sigs = buffer("ed.sigs", 64L * count);
          cl_mem msgs = buffer("ed.msgs", Math.max(1L, (long) stride * count));
          cl_mem lens = buffer("ed.lens", 4L * count);
          cl_mem out = buffer("ed.out", count);
          write(queue, pubs, batch.publicKeys(), 32L * count, up);
          write(queue, sigs, batch.signatures(), 64L * count, up);
          write(queue, msgs, batch.messages(), (long) stride * count, up);
          write(queue, lens, batch.lengths(), 4L * count, up);
          clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(pubs));
          clSetKernelArg(k, 1, Sizeof.cl_mem, Pointer.to(sigs));
          clSetKernelArg(k, 2, Sizeof.cl_mem, Pointer.to(msgs));
          clSetKernelArg(k, 3, Sizeof.cl_uint, Pointer.to(new int[] {stride}));
          clSetKernelArg(k, 4, Sizeof.cl_mem, Pointer.to(lens));
          clSetKernelArg(k, 5, Sizeof.cl_uint, Pointer.to(new int[] {count}));
          clSetKernelArg(k, 6, Sizeof.cl_mem, Pointer.to(out));
          launch(queue, k, count, run);
          read(queue, out, verdicts, count, down);
          return timing(count, batch.uploadBytes(), count, up, run, down, start);
        });
  }

  @Override
  public ByteBuffer allocateHostBuffer(int bytes) {
    return submit(
            () -> {
              cl_mem mem =
                  clCreateBuffer(
                      context,
                      CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR,
                      Math.max(1, bytes),
                      null,
                      null);
              ByteBuffer mapped =
                  clEnqueueMapBuffer(
                      queue,
                      mem,
                      CL_TRUE,
                      CL_MAP_READ | CL_MAP_WRITE,
                      0,
                      Math.max(1, bytes),
                      0,
                      null,
                      null,
                      null);
              hostBuffers.put(mem, mapped);
              return mapped.limit(bytes).slice().order(java.nio.ByteOrder.BIG_ENDIAN);
            })
        .join();
  }

  @Override
  public void close() {
    ProbeResult p = probe;
    if (p == null || !p.available()) {
      executor.shutdown(); // never opened: touching JOCL now would load its native library
      return;
    }
    CompletableFuture<Void> done =
        submit(
            () -> {
              for (Map.Entry<cl_mem, ByteBuffer> e : hostBuffers.entrySet()) {
                clEnqueueUnmapMemObject(queue, e.getKey(), e.getValue(), 0, null, null);
                clReleaseMemObject(e.getKey());
              }
              clFinish(queue);
              hostBuffers.clear();
              for (cl_kernel k : kernels.values()) {
                clReleaseKernel(k);
              }
              kernels.clear();
              for (cl_mem m : buffers.values()) {
                clReleaseMemObject(m);
              }
              buffers.clear();
              bufferSizes.clear();
              return null;
            });
    try {
      done.join();
    } catch (RuntimeException ignored) {
      // unavailable backend: nothing was allocated
    }
    executor.shutdown();
  }
}
