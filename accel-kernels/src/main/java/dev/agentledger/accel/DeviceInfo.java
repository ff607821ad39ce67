package dev.agentledger.accel;

/**
 * One device as its driver describes it.
 *
 * @param name device name
 * @param vendor device vendor
 * @param type GPU, CPU, ACCELERATOR or HOST (a Java backend running on the JVM's threads)
 * @param computeUnits compute units (OpenCL) or streaming multiprocessors (CUDA) or cores
 * @param globalMemoryBytes device memory
 * @param clockMhz maximum clock, 0 when unknown
 * @param driverVersion driver version string
 * @param runtimeVersion OpenCL platform version, CUDA driver API version, or the JDK version
 */
public record DeviceInfo(
    String name,
    String vendor,
    String type,
    int computeUnits,
    long globalMemoryBytes,
    int clockMhz,
    String driverVersion,
    String runtimeVersion) {

  /**
   * The JVM's own host as a device, for backends that run on Java threads: {@code what} says which
   * implementation (for example "JDK MessageDigest").
   */
  public static DeviceInfo host(String what) {
    Runtime runtime = Runtime.getRuntime();
    return new DeviceInfo(
        System.getProperty("os.arch") + " host (" + what + ")",
        System.getProperty("java.vendor"),
        "HOST",
        runtime.availableProcessors(),
        runtime.maxMemory(),
        0,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        "Java " + Runtime.version());
  }

  /** True when the numbers this device produces are CPU numbers (PoCL, or a host backend). */
  public boolean isCpu() {
    return type.equals("CPU") || type.equals("HOST");
  }
}
