package dev.agentledger.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What the numbers were measured on, read from the machine itself (Linux {@code /proc}, the JVM,
 * {@code nvidia-smi} when present). Everything here is observed, nothing assumed; a field the
 * machine does not reveal says {@code unknown}.
 *
 * @param cpuModel {@code model name} from /proc/cpuinfo
 * @param cpuFlags the flags that matter to this project (SIMD, SHA, AES, bignum), present ones only
 * @param logicalCores processors the JVM may use
 * @param physicalCores distinct (physical id, core id) pairs in /proc/cpuinfo, 0 when unknown
 * @param memoryBytes MemTotal
 * @param kernel /proc/sys/kernel/osrelease
 * @param os os.name os.arch
 * @param jdk vendor, version, VM
 * @param jvmArguments the JVM's input arguments
 * @param gpu GPUs reported by nvidia-smi, or "none"
 */
public record HardwareManifest(
    String cpuModel,
    List<String> cpuFlags,
    int logicalCores,
    int physicalCores,
    long memoryBytes,
    String kernel,
    String os,
    String jdk,
    List<String> jvmArguments,
    String gpu) {
  private static final Set<String> INTERESTING_FLAGS =
      Set.of(
          "sse4_2",
          "avx",
          "avx2",
          "fma",
          "bmi2",
          "adx",
          "aes",
          "vaes",
          "pclmulqdq",
          "vpclmulqdq",
          "sha_ni",
          "avx512f",
          "avx512dq",
          "avx512bw",
          "avx512vl",
          "avx512ifma",
          "avx512vbmi",
          "avx512_vbmi2",
          "gfni",
          "sha512");

  /** Reads the manifest of this machine and JVM. */
  public static HardwareManifest collect() {
    String model = "unknown";
    Set<String> flags = new TreeSet<>();
    Set<String> cores = new TreeSet<>();
    String physical = "0";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String key = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        switch (key) {
          case "model name" -> model = value;
          case "flags" ->
              Arrays.stream(value.split("\\s+"))
                  .filter(INTERESTING_FLAGS::contains)
                  .forEach(flags::add);
          case "physical id" -> physical = value;
          case "core id" -> cores.add(physical + "/" + value);
          default -> {}
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: leave unknown
    }
    long memory = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      memory = Runtime.getRuntime().maxMemory();
    }
    String kernel = read("/proc/sys/kernel/osrelease");
    String jdk =
        System.getProperty("java.vendor")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")";
    return new HardwareManifest(
        model,
        new ArrayList<>(flags),
        Runtime.getRuntime().availableProcessors(),
        cores.size(),
        memory,
        kernel,
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        jdk,
        ManagementFactory.getRuntimeMXBean().getInputArguments(),
        gpus());
  }

  private static String read(String path) {
    try {
      return Files.readString(Path.of(path)).strip();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String gpus() {
    try {
      Process process =
          new ProcessBuilder(
                  "nvidia-smi",
                  "--query-gpu=name,memory.total,driver_version",
                  "--format=csv,noheader")
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes()).strip();
      if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && !output.isEmpty()) {
        return output.replace('\n', ';');
      }
    } catch (IOException e) {
      // no nvidia-smi
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "none";
  }
}
