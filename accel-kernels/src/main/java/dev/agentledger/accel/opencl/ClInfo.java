package dev.agentledger.accel.opencl;

import static org.jocl.CL.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_platform_id;

/** Small typed wrappers over clGet*Info. */
final class ClInfo {
  private ClInfo() {}

  static String deviceString(cl_device_id d, int param) {
    long[] size = new long[1];
    clGetDeviceInfo(d, param, 0, null, size);
    byte[] buffer = new byte[(int) size[0]];
    clGetDeviceInfo(d, param, buffer.length, Pointer.to(buffer), null);
    return cString(buffer);
  }

  static String platformString(cl_platform_id p, int param) {
    long[] size = new long[1];
    clGetPlatformInfo(p, param, 0, null, size);
    byte[] buffer = new byte[(int) size[0]];
    clGetPlatformInfo(p, param, buffer.length, Pointer.to(buffer), null);
    return cString(buffer);
  }

  static int deviceInt(cl_device_id d, int param) {
    int[] v = new int[1];
    clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
    return v[0];
  }

  static long deviceLong(cl_device_id d, int param) {
    long[] v = new long[1];
    clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
    return v[0];
  }

  /** Sum of (end - start) of profiled events, in nanoseconds. */
  static long elapsed(List<cl_event> events) {
    long total = 0;
    long[] t = new long[1];
    for (cl_event e : events) {
      clWaitForEvents(1, new cl_event[] {e});
      clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(t), null);
      long start = t[0];
      clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(t), null);
      total += t[0] - start;
    }
    return total;
  }

  private static String cString(byte[] bytes) {
    int n = 0;
    while (n < bytes.length && bytes[n] != 0) {
      n++;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8).strip();
  }
}
