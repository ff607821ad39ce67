package dev.agentledger.accel.opencl;

import static org.jocl.CL.*;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.DeviceInfo;
import dev.agentledger.accel.KernelSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/**
 * Builds OpenCL programs, caching device binaries ({@code CL_PROGRAM_BINARIES}) on disk keyed by
 * SHA-256 of (inlined source, build options, device name, driver version). PoCL compiles kernels
 * with LLVM on the CPU, and the Ed25519 kernel takes tens of seconds to build; the cache makes that
 * a one-time cost per machine. Directory: {@code -Dagentledger.kernel.cache=DIR}, else {@code
 * $XDG_CACHE_HOME/agentledger/opencl}, else {@code ~/.cache/agentledger/opencl}. A cache entry the
 * driver rejects is rebuilt from source and replaced.
 */
final class ProgramCache {
  static final String OPTIONS = "-cl-std=CL1.2";

  private ProgramCache() {}

  static Path directory() {
    String dir = System.getProperty("agentledger.kernel.cache");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("agentledger").resolve("opencl");
  }

  static cl_program build(
      cl_context context, cl_device_id device, DeviceInfo info, String sourcePath) {
    String source = KernelSources.load(sourcePath);
    String key =
        KernelSources.sha256Hex(
            source, OPTIONS, info.name(), info.driverVersion(), info.runtimeVersion());
    Path file =
        directory().resolve(sourcePath.replace('/', '_') + "-" + key.substring(0, 32) + ".bin");
    if (Files.isRegularFile(file)) {
      try {
        byte[] binary = Files.readAllBytes(file);
        int[] status = new int[1];
        cl_program program =
            clCreateProgramWithBinary(
                context,
                1,
                new cl_device_id[] {device},
                new long[] {binary.length},
                new byte[][] {binary},
                status,
                null);
        clBuildProgram(program, 0, null, OPTIONS, null, null);
        return program;
      } catch (IOException | CLException e) {
        // stale or foreign binary: rebuild from source below
      }
    }
    cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
    try {
      clBuildProgram(program, 0, null, OPTIONS, null, null);
    } catch (CLException e) {
      throw new AccelException(
          "building " + sourcePath + " failed: " + buildLog(program, device),
          ClErrors.name(e.getStatus()),
          e);
    }
    store(program, file);
    return program;
  }

  private static void store(cl_program program, Path file) {
    try {
      long[] sizes = new long[1];
      clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(sizes), null);
      if (sizes[0] <= 0) {
        return;
      }
      byte[] binary = new byte[(int) sizes[0]];
      Pointer binaryPointer = Pointer.to(binary);
      clGetProgramInfo(
          program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(binaryPointer), null);
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "build", ".tmp");
      Files.write(tmp, binary);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | CLException e) {
      // the cache is an optimisation: a read-only home still builds, just every time
    }
  }

  private static String buildLog(cl_program program, cl_device_id device) {
    try {
      long[] size = new long[1];
      clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
      byte[] log = new byte[(int) size[0]];
      clGetProgramBuildInfo(
          program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
      String text = new String(log, StandardCharsets.UTF_8).strip();
      return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    } catch (CLException e) {
      return "(no build log)";
    }
  }
}
