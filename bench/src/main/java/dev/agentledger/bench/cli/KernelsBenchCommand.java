package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.DeviceInfo;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.RoutingTable;
import dev.agentledger.accel.Workloads;
import dev.agentledger.node.cli.AgentLedgerCli;
import dev.agentledger.node.cli.MalformedInputException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kernels bench}: per batch size, N timed launches of one kernel on one backend after a
 * warm-up that lasts until the launch rate settles, reporting the median and p99 of upload / kernel
 * / download / wall times (device events), throughput from the medians (GB/s of input for the hash
 * kernels, verifications/s for Ed25519), and the crossover batch size against the host backend,
 * measured the same way in the same run.
 *
 * <p>Warm-up: rounds of at least {@link #ROUND_NS} of launches (one launch when a launch takes
 * longer); the rate has settled when two consecutive rounds differ by at most {@link
 * #SETTLE_TOLERANCE}, after at least three rounds, or when {@code --warmup-max-s} runs out
 * (reported as not settled). The host path needs this most: its JIT compiles the Vector API kernels
 * only after seconds of work, so a short warm-up makes the host look tens of times slower than it
 * is.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Time a kernel on a backend over batch sizes: upload/kernel/download, GB/s or ops/s, CPU/device crossover.")
final class KernelsBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--backend",
      paramLabel = "BACKEND",
      defaultValue = "opencl",
      description = "cpu, opencl or cuda (default ${DEFAULT-VALUE}).")
  String backendName;

  @Option(
      names = "--kernel",
      defaultValue = "sha256",
      description =
          "sha256, merkle (whole tree), merkle-level, ed25519 or msm (BN254 G1, against the CPU"
              + " Pippenger) (default ${DEFAULT-VALUE}).")
  String kernel;

  @Option(
      names = "--sizes",
      description =
          "Batch sizes: 2^A..2^B (powers of two), or a list like 1024,4096,2^16. "
              + "Default 2^10..2^16, for ed25519 2^6..2^10, for msm 2^8..2^12.")
  String sizes;

  @Option(
      names = "--message-bytes",
      paramLabel = "BYTES",
      description = "Message size for sha256 (default 64) and ed25519 (default 256).")
  Integer messageBytes;

  @Option(
      names = "--invalid-percent",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Percentage of ed25519 signatures made invalid (a message bit changed after signing);"
              + " default ${DEFAULT-VALUE}: all valid, as the node's traffic is.")
  int invalidPercent;

  @Option(
      names = "--repeat",
      defaultValue = "21",
      description =
          "Timed launches per size after the warm-up; the median and p99 are reported (default"
              + " ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--warmup-max-s",
      paramLabel = "S",
      defaultValue = "10",
      description =
          "Longest warm-up per implementation and size in seconds, if the rate has not settled"
              + " earlier (default ${DEFAULT-VALUE}).")
  double warmupMaxSeconds;

  @Option(names = "--json", description = "Machine-readable output.")
  boolean json;

  @Option(names = "--csv", description = "One CSV row per batch size (with a header line).")
  boolean csv;

  /** Shortest warm-up round: launches are repeated until a round lasts this long. */
  static final long ROUND_NS = 50_000_000L;

  /** Two consecutive rounds within this relative difference: the rate has settled. */
  static final double SETTLE_TOLERANCE = 0.05;

  /** The timed launches of one implementation at one size, summarised. */
  record Stats(
      int samples,
      long uploadNs,
      long kernelNs,
      long downloadNs,
      long wallNs,
      long kernelNsP99,
      long wallNsP99,
      int launches,
      long items,
      double warmupSeconds,
      boolean settled) {
    double itemsPerSecondWall() {
      return wallNs <= 0 ? 0 : items * 1e9 / wallNs;
    }

    double itemsPerSecondKernel() {
      return kernelNs <= 0 ? 0 : items * 1e9 / kernelNs;
    }
  }

  static List<Integer> parseSizes(String spec) {
    List<Integer> out = new ArrayList<>();
    String s = spec.replace(" ", "");
    int range = s.indexOf("..");
    if (range >= 0) {
      int from = parseOne(s.substring(0, range)), to = parseOne(s.substring(range + 2));
      if (Integer.bitCount(from) != 1 || Integer.bitCount(to) != 1 || from > to) {
        throw new MalformedInputException(
            "size range must go between powers of two, low to high: " + spec);
      }
      for (long v = from; v <= to; v *= 2) {
        out.add((int) v);
      }
      return out;
    }
    for (String part : s.split(",")) {
      out.add(parseOne(part));
    }
    return out;
  }

  private static int parseOne(String s) {
    try {
      long v = s.startsWith("2^") ? 1L << Integer.parseInt(s.substring(2)) : Long.parseLong(s);
      if (v < 1 || v > (1 << 26) || (s.startsWith("2^") && Integer.parseInt(s.substring(2)) > 26)) {
        throw new MalformedInputException("batch size out of range 1..2^26: " + s);
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new MalformedInputException("not a batch size: '" + s + "' (use 1024 or 2^10)");
    }
  }

  @Override
  public Integer call() throws Exception {
    Capability capability;
    try {
      capability = Capability.byShortName(kernel);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(e.getMessage());
    }
    boolean ed = capability == Capability.ED25519_VERIFY_BATCH;
    boolean msm = capability == Capability.MSM_BN254_G1;
    List<Integer> batchSizes =
        parseSizes(sizes != null ? sizes : ed ? "2^6..2^10" : msm ? "2^8..2^12" : "2^10..2^16");
    int msgBytes = messageBytes != null ? messageBytes : ed ? 256 : 64;
    if (msgBytes < 0 || msgBytes > 1 << 20 || repeat < 1 || !(warmupMaxSeconds >= 0)) {
      throw new MalformedInputException(
          "--message-bytes must be 0..1048576, --repeat >= 1 and --warmup-max-s >= 0");
    }
    if (invalidPercent < 0 || invalidPercent > 100) {
      throw new MalformedInputException("--invalid-percent must be 0..100: " + invalidPercent);
    }
    if (json && csv) {
      throw new MalformedInputException("--json and --csv are alternatives: choose one");
    }
    if (msm && csv) {
      throw new MalformedInputException("--csv is not available for --kernel msm: use --json");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (BackendRegistry registry = BackendRegistry.discover()) {
      Backend backend;
      try {
        backend = registry.byName(backendName, capability);
      } catch (AccelException e) {
        if (registry.find(backendName).isEmpty()) {
          throw new MalformedInputException(e.getMessage());
        }
        spec.commandLine().getErr().println("kernels bench: " + e.getMessage());
        return AgentLedgerCli.EXIT_FAILURE;
      }
      Optional<Backend> host = backend.isHost() ? Optional.empty() : registry.hostFor(capability);
      DeviceInfo device = backend.probe().device().orElseThrow();
      String label =
          device.isCpu()
              ? (backend.isHost()
                  ? "host CPU"
                  : "CPU device (" + device.name() + "): these are CPU numbers, not GPU numbers")
              : "GPU " + device.name();
      if (msm) {
        return KernelsBenchMsm.run(out, backend, label, batchSizes, repeat, warmupMaxSeconds, json);
      }
      RoutingTable table = new RoutingTable(1);
      List<Map<String, Object>> rows = new ArrayList<>();
      boolean plain = !json && !csv;
      if (csv) {
        out.println(
            "kernel,backend,device,batch,samples,launches,upload_ms_median,kernel_ms_median,"
                + "download_ms_median,wall_ms_median,kernel_ms_p99,wall_ms_p99,rate_unit,"
                + "kernel_rate_median,wall_rate_median,warmup_s,settled,host_backend,"
                + "host_wall_ms_median,host_wall_ms_p99,host_rate_median,host_settled");
      }
      if (plain) {
        out.printf("kernel %s on backend %s, %s%n", capability.shortName(), backend.name(), label);
        out.printf(
            "median of %d launches per size after warming each implementation until its rate"
                + " settles (at most %.0f s); %s%n",
            repeat,
            warmupMaxSeconds,
            ed
                ? "messages of "
                    + msgBytes
                    + " bytes, "
                    + (invalidPercent == 0
                        ? "all signatures valid"
                        : invalidPercent + "% of the signatures invalid")
                    + ", throughput in verifications/s"
                : capability == Capability.SHA256_BATCH
                    ? "messages of " + msgBytes + " bytes, GB/s of message bytes"
                    : "32-byte nodes, GB/s of node bytes");
        out.printf(
            "%10s %11s %11s %11s %11s %14s %14s %14s %12s%n",
            "batch",
            "upload ms",
            "kernel ms",
            "download ms",
            "wall ms",
            ed ? "kernel ops/s" : "kernel GB/s",
            ed ? "wall ops/s" : "wall GB/s",
            host.isPresent() ? "host " + (ed ? "ops/s" : "GB/s") : "",
            "wall p99 ms");
      }
      for (int size : batchSizes) {
        Workloads.Workload work = Workloads.prepare(capability, size, msgBytes, invalidPercent);
        Stats best = measure(backend, work);
        table.record(capability, backend.name(), size, best.itemsPerSecondWall());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batch", size);
        row.put("samples", best.samples());
        row.put("uploadNs", best.uploadNs());
        row.put("kernelNs", best.kernelNs());
        row.put("downloadNs", best.downloadNs());
        row.put("wallNs", best.wallNs());
        row.put("kernelNsP99", best.kernelNsP99());
        row.put("wallNsP99", best.wallNsP99());
        row.put("launches", best.launches());
        row.put("inputBytes", work.inputBytes());
        row.put("warmupSeconds", best.warmupSeconds());
        row.put("warmupSettled", best.settled());
        double kernelRate =
            ed
                ? best.itemsPerSecondKernel()
                : work.inputBytes() / (double) Math.max(1, best.kernelNs());
        double wallRate =
            ed
                ? best.itemsPerSecondWall()
                : work.inputBytes() / (double) Math.max(1, best.wallNs());
        row.put(ed ? "kernelOpsPerSecond" : "kernelGBps", kernelRate);
        row.put(ed ? "wallOpsPerSecond" : "wallGBps", wallRate);
        String hostCell = "";
        Stats h = null;
        double hostRate = 0;
        if (host.isPresent()) {
          h = measure(host.get(), work);
          table.record(capability, host.get().name(), size, h.itemsPerSecondWall());
          hostRate =
              ed ? h.itemsPerSecondWall() : work.inputBytes() / (double) Math.max(1, h.wallNs());
          row.put(ed ? "hostOpsPerSecond" : "hostGBps", hostRate);
          row.put("hostWallNs", h.wallNs());
          row.put("hostWallNsP99", h.wallNsP99());
          row.put("hostWarmupSeconds", h.warmupSeconds());
          row.put("hostWarmupSettled", h.settled());
          hostCell = format(hostRate, ed);
        }
        rows.add(row);
        if (csv) {
          out.println(
              String.join(
                  ",",
                  capability.shortName(),
                  backend.name(),
                  csvField(device.name()),
                  Integer.toString(size),
                  Integer.toString(best.samples()),
                  Integer.toString(best.launches()),
                  ms(best.uploadNs()),
                  ms(best.kernelNs()),
                  ms(best.downloadNs()),
                  ms(best.wallNs()),
                  ms(best.kernelNsP99()),
                  ms(best.wallNsP99()),
                  ed ? "ops/s" : "GB/s",
                  format(kernelRate, ed),
                  format(wallRate, ed),
                  String.format(java.util.Locale.ROOT, "%.2f", best.warmupSeconds()),
                  Boolean.toString(best.settled()),
                  host.map(Backend::name).orElse(""),
                  h == null ? "" : ms(h.wallNs()),
                  h == null ? "" : ms(h.wallNsP99()),
                  h == null ? "" : format(hostRate, ed),
                  h == null ? "" : Boolean.toString(h.settled())));
          out.flush();
        }
        if (plain) {
          out.printf(
              "%10d %11.3f %11.3f %11.3f %11.3f %14s %14s %14s %12.3f%s%n",
              size,
              best.uploadNs() / 1e6,
              best.kernelNs() / 1e6,
              best.downloadNs() / 1e6,
              best.wallNs() / 1e6,
              format(kernelRate, ed),
              format(wallRate, ed),
              hostCell,
              best.wallNsP99() / 1e6,
              best.settled() && (h == null || h.settled())
                  ? ""
                  : "  (rate not settled within --warmup-max)");
          out.flush();
        }
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("kernel", capability.shortName());
      result.put("backend", backend.name());
      result.put("device", device.name());
      result.put("deviceType", device.type());
      result.put("cpuNumbers", device.isCpu());
      result.put("label", label);
      result.put("messageBytes", msgBytes);
      if (ed) {
        result.put("invalidPercent", invalidPercent);
      }
      result.put("repeat", repeat);
      result.put("statistic", "median of repeat launches; p99 by nearest rank");
      result.put("rows", rows);
      String crossoverText;
      if (host.isPresent()) {
        int crossover = table.crossover(capability, backend.name(), host.get().name());
        result.put("hostBackend", host.get().name());
        result.put("crossoverBatch", crossover);
        crossoverText =
            crossover < 0
                ? "crossover: "
                    + backend.name()
                    + " never beat "
                    + host.get().name()
                    + " (wall time, copies included) at the sizes measured"
                : "crossover: "
                    + backend.name()
                    + " beats "
                    + host.get().name()
                    + " (wall time) from batch "
                    + crossover
                    + " on";
      } else if (backend.isHost()) {
        crossoverText = "crossover: n/a (" + backend.name() + " is the host backend)";
      } else {
        crossoverText =
            "crossover: n/a (no host backend provides "
                + capability.shortName()
                + " here; sig-verify registers the CPU Ed25519 one)";
      }
      if (json) {
        out.println(
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(result));
      } else if (plain) {
        out.println(crossoverText + " (median wall times)");
      }
    }
    return 0;
  }

  /**
   * Runs {@code call} (it returns the items it did) in rounds of {@link #ROUND_NS} until two
   * consecutive rounds after the first two run at the same rate (within {@link #SETTLE_TOLERANCE})
   * or {@code maxSeconds} pass; whether the rate settled.
   */
  static boolean warmUntilSettled(java.util.function.LongSupplier call, double maxSeconds) {
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    double previous = -1;
    for (int round = 0; ; round++) {
      long roundStart = System.nanoTime();
      long items = 0;
      do {
        items += call.getAsLong();
      } while (System.nanoTime() - roundStart < ROUND_NS);
      double rate = items / (double) (System.nanoTime() - roundStart);
      if (round >= 2 && previous > 0 && Math.abs(rate - previous) <= SETTLE_TOLERANCE * previous) {
        return true;
      }
      previous = rate;
      if (System.nanoTime() >= deadline) {
        return false;
      }
    }
  }

  private Stats measure(Backend backend, Workloads.Workload work) {
    // Warm-up: builds device programs, sizes buffers, lets the JIT compile the host path; it ends
    // when two consecutive rounds run at the same rate (within SETTLE_TOLERANCE).
    long start = System.nanoTime();
    boolean settled = warmUntilSettled(() -> work.run(backend).join().items(), warmupMaxSeconds);
    double warmupSeconds = (System.nanoTime() - start) / 1e9;
    long[] upload = new long[repeat];
    long[] kernelNs = new long[repeat];
    long[] download = new long[repeat];
    long[] wall = new long[repeat];
    LaunchTiming last = null;
    for (int i = 0; i < repeat; i++) {
      last = work.run(backend).join();
      upload[i] = last.uploadNs();
      kernelNs[i] = last.kernelNs();
      download[i] = last.downloadNs();
      wall[i] = last.wallNs();
    }
    return new Stats(
        repeat,
        median(upload),
        median(kernelNs),
        median(download),
        median(wall),
        p99(kernelNs),
        p99(wall),
        last.launches(),
        last.items(),
        warmupSeconds,
        settled);
  }

  /** The median (the mean of the two middle values for an even count); sorts {@code v}. */
  static long median(long[] v) {
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The 99th percentile by nearest rank: the ceil(0.99 n)-th smallest; sorts {@code v}. */
  static long p99(long[] v) {
    java.util.Arrays.sort(v);
    int rank = (int) Math.ceil(0.99 * v.length);
    return v[Math.max(0, rank - 1)];
  }

  private static String ms(long ns) {
    return String.format(java.util.Locale.ROOT, "%.3f", ns / 1e6);
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String format(double rate, boolean ops) {
    return ops
        ? String.format(java.util.Locale.ROOT, "%.0f", rate)
        : String.format(java.util.Locale.ROOT, "%.3f", rate);
  }
}
