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
          Capability.ED25519_VERIFY_BATCH,
          Capability.MSM_BN254_G1);

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
  private final Ed25519Kernel ed25519Kernel;
  private final String configurationProblem;
  private final java.security.SecureRandom coefficientSource = new java.security.SecureRandom();
  private ByteBuffer coefficients = ByteBuffer.allocateDirect(0);
  private byte[] coefficientBytes = new byte[0];
  private final ByteBuffer fallbackCount =
      ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
  private volatile int lastGroupFallbacks;
  private volatile ProbeResult probe;
  private cl_device_id device;
  private cl_context context;
  private cl_command_queue queue;
  private DeviceInfo deviceInfo;

  /**
   * The Ed25519 kernel the backend launches: {@code per-signature} ({@code ed25519.cl}, one
   * signature per work-item, the default) or {@code grouped} ({@code ed25519_grouped.cl}, eight
   * signatures per work-item checked by one random linear combination, item by item when it fails).
   * Both give the same verdicts.
   */
  public enum Ed25519Kernel {
    PER_SIGNATURE("per-signature", "opencl/ed25519.cl", "ed25519_verify", 1, LOCAL_SIZE),
    /**
     * Work-groups of 8 work-items (64 signatures), so that a batch of a few hundred still spreads
     * over several compute units.
     */
    GROUPED("grouped", "opencl/ed25519_grouped.cl", "ed25519_verify_grouped", 8, 8);

    private final String label;
    private final String source;
    private final String function;
    private final int itemsPerWorkItem;
    private final long localSize;

    Ed25519Kernel(
        String label, String source, String function, int itemsPerWorkItem, long localSize) {
      this.label = label;
      this.source = source;
      this.function = function;
      this.itemsPerWorkItem = itemsPerWorkItem;
      this.localSize = localSize;
    }

    /** The name of the kernel in {@value #PROPERTY}. */
    public String label() {
      return label;
    }

    /** The system property that selects the kernel of {@link OpenClBackend#OpenClBackend()}. */
    public static final String PROPERTY = "agentledger.opencl.ed25519";

    /** Parses a {@link #label()}; throws {@link IllegalArgumentException} naming the choices. */
    public static Ed25519Kernel byLabel(String label) {
      for (Ed25519Kernel k : values()) {
        if (k.label.equals(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          PROPERTY + " must be per-signature or grouped, not '" + label + "'");
    }
  }

  /**
   * The kernel named by {@value Ed25519Kernel#PROPERTY} (default per-signature). Any other value
   * leaves the backend unavailable, its probe naming the choices.
   */
  public OpenClBackend() {
    String label = System.getProperty(Ed25519Kernel.PROPERTY, "per-signature");
    Ed25519Kernel chosen = null;
    String problem = null;
    try {
      chosen = Ed25519Kernel.byLabel(label);
    } catch (IllegalArgumentException e) {
      problem = e.getMessage();
    }
    this.ed25519Kernel = chosen == null ? Ed25519Kernel.PER_SIGNATURE : chosen;
    this.configurationProblem = problem;
  }

  public OpenClBackend(Ed25519Kernel ed25519Kernel) {
    this.ed25519Kernel = java.util.Objects.requireNonNull(ed25519Kernel);
    this.configurationProblem = null;
  }

  /**
   * Groups of the last grouped Ed25519 launch whose combined equation failed (or that held an item
   * failing its S or decoding check), so that each of their items was verified on its own; 0 for
   * the per-signature kernel.
   */
  public int lastGroupFallbacks() {
    return lastGroupFallbacks;
  }

  /** The Ed25519 kernel this backend launches. */
  public Ed25519Kernel ed25519Kernel() {
    return ed25519Kernel;
  }

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
      probe =
          configurationProblem != null
              ? ProbeResult.unavailable(NAME, configurationProblem)
              : open();
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
            case MERKLE_LEVEL -> kernel("opencl/merkle.cl", "merkle_level");
            case MERKLE_ROOT -> kernel("opencl/merkle.cl", "merkle_levels");
            case ED25519_VERIFY_BATCH -> kernel(ed25519Kernel.source, ed25519Kernel.function);
            case MSM_BN254_G1 -> kernel("opencl/msm_bn254.cl", "msm_bn254_g1_buckets");
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

  /** Levels per merkle_levels launch: a work-group of LOCAL_SIZE holds 2 * LOCAL_SIZE nodes. */
  private static final int MAX_FUSED_LEVELS = 7;

  private static void launch(cl_command_queue q, cl_kernel k, long items, List<cl_event> events) {
    launch(q, k, items, LOCAL_SIZE, events);
  }

  private static void launch(
      cl_command_queue q, cl_kernel k, long items, long localSize, List<cl_event> events) {
    cl_event e = new cl_event();
    long global = (items + localSize - 1) / localSize * localSize;
    clEnqueueNDRangeKernel(q, k, 1, null, new long[] {global}, new long[] {localSize}, 0, null, e);
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
          cl_kernel k = kernel("opencl/merkle.cl", "merkle_levels");
          cl_mem a = buffer("merkle.a", 32L * count);
          cl_mem b = buffer("merkle.b", 32L * ((count + 1) / 2));
          write(queue, a, leafHashes, 32L * count, up);
          int n = count;
          cl_mem src = a, dst = b;
          while (n > 1) {
            // up to MAX_FUSED_LEVELS levels per launch; the last launch takes exactly the rest
            int levels = Math.min(MAX_FUSED_LEVELS, 32 - Integer.numberOfLeadingZeros(n - 1));
            int groups = (int) (((long) n + (1L << levels) - 1) >> levels);
            clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(src));
            clSetKernelArg(k, 1, Sizeof.cl_uint, Pointer.to(new int[] {n}));
            clSetKernelArg(k, 2, Sizeof.cl_uint, Pointer.to(new int[] {levels}));
            clSetKernelArg(k, 3, Sizeof.cl_mem, Pointer.to(dst));
            launch(queue, k, groups * LOCAL_SIZE, run);
            n = groups;
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
          cl_kernel k = kernel(ed25519Kernel.source, ed25519Kernel.function);
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
          int arg = 0;
          clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(pubs));
          clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(sigs));
          clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(msgs));
          clSetKernelArg(k, arg++, Sizeof.cl_uint, Pointer.to(new int[] {stride}));
          clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(lens));
          long coefficientBytesIn = 0;
          if (ed25519Kernel == Ed25519Kernel.GROUPED) {
            coefficientBytesIn = 16L * count;
            cl_mem coeffs = buffer("ed.coeffs", coefficientBytesIn);
            write(queue, coeffs, randomCoefficients(count), coefficientBytesIn, up);
            clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(coeffs));
          }
          clSetKernelArg(k, arg++, Sizeof.cl_uint, Pointer.to(new int[] {count}));
          clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(out));
          cl_mem fallbacks = null;
          if (ed25519Kernel == Ed25519Kernel.GROUPED) {
            fallbacks = buffer("ed.fallbacks", 4);
            fallbackCount.putInt(0, 0);
            write(queue, fallbacks, fallbackCount, 4, up);
            clSetKernelArg(k, arg, Sizeof.cl_mem, Pointer.to(fallbacks));
          }
          long workItems =
              (count + ed25519Kernel.itemsPerWorkItem - 1) / ed25519Kernel.itemsPerWorkItem;
          launch(queue, k, workItems, ed25519Kernel.localSize, run);
          if (fallbacks != null) {
            read(queue, fallbacks, fallbackCount, 4, down);
            lastGroupFallbacks = fallbackCount.getInt(0);
          }
          read(queue, out, verdicts, count, down);
          return timing(
              count, batch.uploadBytes() + coefficientBytesIn, count, up, run, down, start);
        });
  }

  /**
   * Fresh random coefficients for a grouped launch, 16 bytes per item, from the backend's {@code
   * SecureRandom} (an attacker who could predict them could make an invalid signature pass its
   * group). Runs on the backend thread; the buffers are reused and grown by powers of two.
   */
  private ByteBuffer randomCoefficients(int count) {
    int bytes = 16 * count;
    if (coefficientBytes.length < bytes) {
      int size = Integer.highestOneBit(Math.max(1, bytes - 1)) << 1;
      coefficientBytes = new byte[size];
      coefficients = ByteBuffer.allocateDirect(size);
    }
    coefficientSource.nextBytes(coefficientBytes);
    coefficients.clear();
    coefficients.put(coefficientBytes, 0, bytes);
    coefficients.clear();
    return coefficients;
  }

  @Override
  public CompletableFuture<LaunchTiming> msmBn254G1Buckets(
      ByteBuffer points,
      int pointCount,
      ByteBuffer entries,
      int entryCount,
      ByteBuffer starts,
      int buckets,
      ByteBuffer sums) {
    return submit(
        () -> {
          long start = System.nanoTime();
          List<cl_event> up = new ArrayList<>(), run = new ArrayList<>(), down = new ArrayList<>();
          if (buckets == 0) {
            return timing(0, 0, 0, up, run, down, start);
          }
          cl_kernel k = kernel("opencl/msm_bn254.cl", "msm_bn254_g1_buckets");
          cl_mem pts = buffer("msm.points", Math.max(64L, 64L * pointCount));
          cl_mem ent = buffer("msm.entries", Math.max(4L, 4L * entryCount));
          cl_mem sts = buffer("msm.starts", 4L * (buckets + 1));
          cl_mem out = buffer("msm.sums", 96L * buckets);
          write(queue, pts, points, 64L * pointCount, up);
          write(queue, ent, entries, 4L * entryCount, up);
          write(queue, sts, starts, 4L * (buckets + 1), up);
          clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(pts));
          clSetKernelArg(k, 1, Sizeof.cl_mem, Pointer.to(ent));
          clSetKernelArg(k, 2, Sizeof.cl_mem, Pointer.to(sts));
          clSetKernelArg(k, 3, Sizeof.cl_uint, Pointer.to(new int[] {buckets}));
          clSetKernelArg(k, 4, Sizeof.cl_mem, Pointer.to(out));
          launch(queue, k, buckets, run);
          read(queue, out, sums, 96L * buckets, down);
          long in = 64L * pointCount + 4L * entryCount + 4L * (buckets + 1);
          return timing(entryCount, in, 96L * buckets, up, run, down, start);
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
