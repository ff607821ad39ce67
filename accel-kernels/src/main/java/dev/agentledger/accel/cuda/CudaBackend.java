package dev.agentledger.accel.cuda;

import static jcuda.driver.JCudaDriver.*;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.DeviceInfo;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.KernelSources;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.ProbeResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * CUDA backend over the JCuda driver API. Loads the fatbin that nvcc built at package time ({@code
 * kernels/cuda/agentledger_kernels.fatbin}: sm_80 and sm_90 SASS plus compute_90 PTX, which the
 * driver JIT-compiles for newer GPUs). The context lives on the backend's own thread (CUDA contexts
 * are per thread), so every call, the probe included, runs there. Uploads go through page-locked
 * staging buffers ({@code cuMemAllocHost}) reused across submissions; device buffers are kept per
 * role and grown by powers of two. Upload, kernel and download times come from CUDA events around
 * each phase.
 *
 * <p>Not run on a GPU in this repository's CI (there is none): its kernels share every arithmetic
 * function with the OpenCL kernels (proved on PoCL) and with the host build checked through FFM;
 * the launches themselves are covered by the {@code gpu}-tagged test.
 */
public final class CudaBackend implements Backend {
  public static final String NAME = "cuda";
  static final String FATBIN = "cuda/agentledger_kernels.fatbin";
  private static final int BLOCK = 128;

  /** Levels per merkle_levels launch: a block of BLOCK threads holds 2 * BLOCK nodes. */
  private static final int MAX_FUSED_LEVELS = 8;

  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(
          Capability.SHA256_BATCH,
          Capability.MERKLE_LEVEL,
          Capability.MERKLE_ROOT,
          Capability.ED25519_VERIFY_BATCH);

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "accel-cuda");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, CUdeviceptr> device = new HashMap<>();
  private final Map<String, Long> deviceSizes = new HashMap<>();
  private final Map<String, Pointer> pinned = new HashMap<>();
  private final Map<String, Long> pinnedSizes = new HashMap<>();
  private final Map<String, CUfunction> functions = new HashMap<>();
  private volatile ProbeResult probe;
  private CUcontext context;
  private CUmodule module;
  private CUstream stream;
  private DeviceInfo info;

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
      try {
        probe = executor.submit(this::open).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ProbeResult.unavailable(NAME, "interrupted while probing");
      } catch (ExecutionException e) {
        probe = ProbeResult.unavailable(NAME, "CUDA probe failed: " + e.getCause());
      }
    }
    return probe;
  }

  private ProbeResult open() {
    byte[] fatbin = KernelSources.resourceBytes(FATBIN);
    if (fatbin == null) {
      return ProbeResult.unavailable(
          NAME, "CUDA fatbin not packaged (nvcc was not on the PATH when accel-kernels was built)");
    }
    String driverProblem = driverLibraryProblem();
    if (driverProblem != null) {
      return ProbeResult.unavailable(NAME, driverProblem);
    }
    try {
      JCudaDriver.setExceptionsEnabled(true);
      cuInit(0);
      int[] count = new int[1];
      cuDeviceGetCount(count);
      if (count[0] == 0) {
        return ProbeResult.unavailable(
            NAME, "CUDA driver loaded but no device (CUDA_ERROR_NO_DEVICE)");
      }
      CUdevice dev = new CUdevice();
      cuDeviceGet(dev, 0);
      byte[] name = new byte[256];
      cuDeviceGetName(name, name.length, dev);
      long[] mem = new long[1];
      cuDeviceTotalMem(mem, dev);
      int sms = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
      int clockKhz = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
      int major = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
      int minor = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
      int[] driver = new int[1];
      cuDriverGetVersion(driver);
      String deviceName = cString(name);
      info =
          new DeviceInfo(
              deviceName + " (sm_" + major + minor + ")",
              "NVIDIA",
              "GPU",
              sms,
              mem[0],
              clockKhz / 1000,
              "CUDA driver " + driver[0] / 1000 + "." + (driver[0] % 1000) / 10,
              "JCuda driver API 12.6.0");
      context = new CUcontext();
      cuCtxCreate(context, 0, dev);
      module = new CUmodule();
      cuModuleLoadFatBinary(module, fatbin);
      stream = new CUstream();
      cuStreamCreate(stream, 0);
      return ProbeResult.available(NAME, List.of(info));
    } catch (CudaException e) {
      return ProbeResult.unavailable(NAME, "CUDA initialisation failed: " + e.getMessage());
    } catch (LinkageError e) {
      return ProbeResult.unavailable(
          NAME, "JCuda's native library could not be loaded: " + mostSpecificLine(e.getMessage()));
    }
  }

  /**
   * Null when the NVIDIA driver library can be opened, else why not (checked before JCuda loads).
   */
  @SuppressWarnings("restricted")
  private static String driverLibraryProblem() {
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      java.lang.foreign.SymbolLookup.libraryLookup("libcuda.so.1", arena);
      return null;
    } catch (IllegalArgumentException e) {
      return "no NVIDIA driver: libcuda.so.1 cannot be opened (no GPU driver installed on this host)";
    } catch (IllegalCallerException e) {
      return null; // native access not enabled for this module: let JCuda try and report
    }
  }

  private static String mostSpecificLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    for (String line : message.split("\n")) {
      if (line.contains("cannot open shared object")) {
        return line.strip();
      }
    }
    return message.split("\n")[0].strip();
  }

  private static int attribute(CUdevice dev, int attribute) {
    int[] v = new int[1];
    cuDeviceGetAttribute(v, attribute, dev);
    return v[0];
  }

  private static String cString(byte[] bytes) {
    int n = 0;
    while (n < bytes.length && bytes[n] != 0) {
      n++;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }

  private interface Work<T> {
    T run();
  }

  private <T> CompletableFuture<T> submit(Work<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    ProbeResult p = probe();
    if (!p.available()) {
      future.completeExceptionally(
          new AccelException("backend 'cuda' is unavailable: " + p.reason().orElse("")));
      return future;
    }
    executor.execute(
        () -> {
          try {
            future.complete(work.run());
          } catch (CudaException e) {
            future.completeExceptionally(
                new AccelException("CUDA launch failed", String.valueOf(e.getMessage()), e));
          } catch (Throwable e) {
            future.completeExceptionally(
                e instanceof AccelException
                    ? e
                    : new AccelException("CUDA launch failed: " + e, "", e));
          }
        });
    return future;
  }

  private CUfunction function(String name) {
    return functions.computeIfAbsent(
        name,
        n -> {
          CUfunction f = new CUfunction();
          cuModuleGetFunction(f, module, n);
          return f;
        });
  }

  private static long grow(long bytes) {
    return Math.max(256, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
  }

  private CUdeviceptr deviceBuffer(String role, long bytes) {
    Long have = deviceSizes.get(role);
    if (have != null && have >= bytes) {
      return device.get(role);
    }
    CUdeviceptr old = device.remove(role);
    if (old != null) {
      cuMemFree(old);
    }
    CUdeviceptr ptr = new CUdeviceptr();
    long size = grow(bytes);
    cuMemAlloc(ptr, size);
    device.put(role, ptr);
    deviceSizes.put(role, size);
    return ptr;
  }

  /** A page-locked staging buffer holding a copy of src's first bytes. */
  private Pointer staged(String role, ByteBuffer src, long bytes) {
    Long have = pinnedSizes.get(role);
    Pointer host = pinned.get(role);
    if (have == null || have < bytes) {
      if (host != null) {
        cuMemFreeHost(host);
      }
      host = new Pointer();
      long size = grow(bytes);
      cuMemAllocHost(host, size);
      pinned.put(role, host);
      pinnedSizes.put(role, size);
    }
    ByteBuffer view = host.getByteBuffer(0, bytes);
    view.put(src.duplicate().clear().limit((int) bytes));
    return host;
  }

  /** Events around the three phases of one submission. */
  private final class Phases {
    final CUevent[] marks = new CUevent[4];
    final long startNs = System.nanoTime();
    int launches;

    Phases() {
      for (int i = 0; i < 4; i++) {
        marks[i] = new CUevent();
        cuEventCreate(marks[i], CUevent_flags.CU_EVENT_DEFAULT);
      }
      cuEventRecord(marks[0], stream);
    }

    void mark(int i) {
      cuEventRecord(marks[i], stream);
    }

    LaunchTiming finish(long items, long in, long out) {
      cuStreamSynchronize(stream);
      long[] ns = new long[3];
      float[] ms = new float[1];
      for (int i = 0; i < 3; i++) {
        cuEventElapsedTime(ms, marks[i], marks[i + 1]);
        ns[i] = (long) (ms[0] * 1e6);
      }
      for (CUevent e : marks) {
        cuEventDestroy(e);
      }
      return new LaunchTiming(
          NAME,
          info.name(),
          items,
          launches,
          in,
          out,
          ns[0],
          ns[1],
          ns[2],
          System.nanoTime() - startNs);
    }
  }

  private void upload(String role, ByteBuffer src, long bytes, CUdeviceptr dst) {
    if (bytes > 0) {
      cuMemcpyHtoDAsync(dst, staged(role, src, bytes), bytes, stream);
    }
  }

  private void download(CUdeviceptr src, ByteBuffer dst, long bytes, Phases phases) {
    Pointer host = pinned.get("out");
    if (host == null || pinnedSizes.get("out") < bytes) {
      host = staged("out", ByteBuffer.allocate((int) bytes), bytes);
    }
    cuMemcpyDtoHAsync(host, src, bytes, stream);
    phases.mark(3);
    cuStreamSynchronize(stream);
    dst.duplicate().clear().put(host.getByteBuffer(0, bytes));
  }

  private void launch(String kernel, long threads, Pointer params, Phases phases) {
    int grid = (int) ((threads + BLOCK - 1) / BLOCK);
    cuLaunchKernel(function(kernel), grid, 1, 1, BLOCK, 1, 1, 0, stream, params, null);
    phases.launches++;
  }

  @Override
  public CompletableFuture<LaunchTiming> sha256Batch(
      ByteBuffer messages, int messageBytes, int count, ByteBuffer digests) {
    return submit(
        () -> {
          Phases ph = new Phases();
          long inBytes = (long) messageBytes * count;
          CUdeviceptr in = deviceBuffer("sha.in", inBytes);
          CUdeviceptr out = deviceBuffer("sha.out", 32L * count);
          upload("sha.in", messages, inBytes, in);
          ph.mark(1);
          if (count > 0) {
            launch(
                "sha256_fixed",
                count,
                Pointer.to(
                    Pointer.to(in),
                    Pointer.to(new int[] {messageBytes}),
                    Pointer.to(new int[] {count}),
                    Pointer.to(out)),
                ph);
          }
          ph.mark(2);
          download(out, digests, 32L * count, ph);
          return ph.finish(count, inBytes, 32L * count);
        });
  }

  private void level(CUdeviceptr in, int count, CUdeviceptr out, Phases ph) {
    launch(
        "merkle_level",
        (count + 1) / 2,
        Pointer.to(Pointer.to(in), Pointer.to(new int[] {count}), Pointer.to(out)),
        ph);
  }

  @Override
  public CompletableFuture<LaunchTiming> merkleLevel(
      ByteBuffer nodes, int count, ByteBuffer parents) {
    return submit(
        () -> {
          Phases ph = new Phases();
          int parentsCount = (count + 1) / 2;
          CUdeviceptr a = deviceBuffer("merkle.a", 32L * count);
          CUdeviceptr b = deviceBuffer("merkle.b", 32L * parentsCount);
          upload("merkle.in", nodes, 32L * count, a);
          ph.mark(1);
          if (count > 0) {
            level(a, count, b, ph);
          }
          ph.mark(2);
          download(b, parents, 32L * parentsCount, ph);
          return ph.finish(count, 32L * count, 32L * parentsCount);
        });
  }

  @Override
  public CompletableFuture<LaunchTiming> merkleRoot(
      ByteBuffer leafHashes, int count, ByteBuffer root) {
    return submit(
        () -> {
          if (count < 1) {
            throw new AccelException("merkleRoot needs at least one leaf hash");
          }
          Phases ph = new Phases();
          CUdeviceptr a = deviceBuffer("merkle.a", 32L * count);
          CUdeviceptr b = deviceBuffer("merkle.b", 32L * ((count + 1) / 2));
          upload("merkle.in", leafHashes, 32L * count, a);
          ph.mark(1);
          int n = count;
          CUdeviceptr src = a, dst = b;
          while (n > 1) {
            // up to MAX_FUSED_LEVELS levels per launch; the last launch takes exactly the rest
            int levels = Math.min(MAX_FUSED_LEVELS, 32 - Integer.numberOfLeadingZeros(n - 1));
            int groups = (int) (((long) n + (1L << levels) - 1) >> levels);
            launch(
                "merkle_levels",
                (long) groups * BLOCK,
                Pointer.to(
                    Pointer.to(src),
                    Pointer.to(new int[] {n}),
                    Pointer.to(new int[] {levels}),
                    Pointer.to(dst)),
                ph);
            n = groups;
            CUdeviceptr t = src;
            src = dst;
            dst = t;
          }
          ph.mark(2);
          download(src, root, 32, ph);
          return ph.finish(count, 32L * count, 32);
        });
  }

  @Override
  public CompletableFuture<LaunchTiming> ed25519VerifyBatch(
      Ed25519Batch batch, ByteBuffer verdicts) {
    return submit(
        () -> {
          Phases ph = new Phases();
          int count = batch.count();
          int stride = batch.maxMessageBytes();
          CUdeviceptr pubs = deviceBuffer("ed.pubs", 32L * count);
          CUdeviceptr sigs = deviceBuffer("ed.sigs", 64L * count);
          CUdeviceptr msgs = deviceBuffer("ed.msgs", Math.max(1L, (long) stride * count));
          CUdeviceptr lens = deviceBuffer("ed.lens", 4L * count);
          CUdeviceptr out = deviceBuffer("ed.out", Math.max(1, count));
          upload("ed.pubs", batch.publicKeys(), 32L * count, pubs);
          upload("ed.sigs", batch.signatures(), 64L * count, sigs);
          upload("ed.msgs", batch.messages(), (long) stride * count, msgs);
          upload("ed.lens", batch.lengths(), 4L * count, lens);
          ph.mark(1);
          if (count > 0) {
            launch(
                "ed25519_verify",
                count,
                Pointer.to(
                    Pointer.to(pubs),
                    Pointer.to(sigs),
                    Pointer.to(msgs),
                    Pointer.to(new int[] {stride}),
                    Pointer.to(lens),
                    Pointer.to(new int[] {count}),
                    Pointer.to(out)),
                ph);
          }
          ph.mark(2);
          download(out, verdicts, count, ph);
          return ph.finish(count, batch.uploadBytes(), count);
        });
  }

  @Override
  public ByteBuffer allocateHostBuffer(int bytes) {
    return submit(
            () -> {
              Pointer host = new Pointer();
              cuMemAllocHost(host, Math.max(1, bytes));
              pinned.put("user." + pinned.size(), host);
              return host.getByteBuffer(0, bytes);
            })
        .join();
  }

  @Override
  public void close() {
    if (probe != null && probe.available()) {
      try {
        executor
            .submit(
                () -> {
                  device.values().forEach(JCudaDriver::cuMemFree);
                  pinned.values().forEach(JCudaDriver::cuMemFreeHost);
                  cuStreamDestroy(stream);
                  cuModuleUnload(module);
                  cuCtxDestroy(context);
                })
            .get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // releasing a failed context: nothing more to do
      }
    }
    executor.shutdown();
  }
}
