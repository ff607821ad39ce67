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
 * {@code kernels bench}: per batch size, the best of a few runs of one kernel on one backend, with
 * upload / kernel / download times from device events, throughput (GB/s of input for the hash
 * kernels, verifications/s for Ed25519), and the crossover batch size against the host backend
 * measured in the same run.
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
      defaultValue = "opencl",
      description = "cpu, opencl or cuda (default ${DEFAULT-VALUE}).")
  String backendName;

  @Option(
      names = "--kernel",
      defaultValue = "sha256",
      description =
          "sha256, merkle (whole tree), merkle-level or ed25519 (default ${DEFAULT-VALUE}).")
  String kernel;

  @Option(
      names = "--sizes",
      description =
          "Batch sizes: 2^A..2^B (powers of two), or a list like 1024,4096,2^16. "
              + "Default 2^10..2^16, for ed25519 2^6..2^10.")
  String sizes;

  @Option(
      names = "--message-bytes",
      description = "Message size for sha256 (default 64) and ed25519 (default 256).")
  Integer messageBytes;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description =
          "Timed runs per size after one warm-up; the best is reported (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--json", description = "Machine-readable output.")
  boolean json;

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
    List<Integer> batchSizes = parseSizes(sizes != null ? sizes : ed ? "2^6..2^10" : "2^10..2^16");
    int msgBytes = messageBytes != null ? messageBytes : ed ? 256 : 64;
    if (msgBytes < 0 || msgBytes > 1 << 20 || repeat < 1) {
      throw new MalformedInputException("--message-bytes must be 0..1048576 and --repeat >= 1");
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
      RoutingTable table = new RoutingTable(1);
      List<Map<String, Object>> rows = new ArrayList<>();
      if (!json) {
        out.printf("kernel %s on backend %s, %s%n", capability.shortName(), backend.name(), label);
        out.printf(
            "best of %d runs after a warm-up (up to 0.3 s); %s%n",
            repeat,
            ed
                ? "messages of " + msgBytes + " bytes, throughput in verifications/s"
                : capability == Capability.SHA256_BATCH
                    ? "messages of " + msgBytes + " bytes, GB/s of message bytes"
                    : "32-byte nodes, GB/s of node bytes");
        out.printf(
            "%10s %11s %11s %11s %11s %14s %14s %14s%n",
            "batch",
            "upload ms",
            "kernel ms",
            "download ms",
            "wall ms",
            ed ? "kernel ops/s" : "kernel GB/s",
            ed ? "wall ops/s" : "wall GB/s",
            host.isPresent() ? "host " + (ed ? "ops/s" : "GB/s") : "");
      }
      for (int size : batchSizes) {
        Workloads.Workload work = Workloads.prepare(capability, size, msgBytes);
        LaunchTiming best = measure(backend, work);
        table.record(capability, backend.name(), size, best.itemsPerSecondWall());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batch", size);
        row.put("uploadNs", best.uploadNs());
        row.put("kernelNs", best.kernelNs());
        row.put("downloadNs", best.downloadNs());
        row.put("wallNs", best.wallNs());
        row.put("launches", best.launches());
        row.put("inputBytes", work.inputBytes());
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
        if (host.isPresent()) {
          LaunchTiming h = measure(host.get(), work);
          table.record(capability, host.get().name(), size, h.itemsPerSecondWall());
          double hostRate =
              ed ? h.itemsPerSecondWall() : work.inputBytes() / (double) Math.max(1, h.wallNs());
          row.put(ed ? "hostOpsPerSecond" : "hostGBps", hostRate);
          hostCell = format(hostRate, ed);
        }
        rows.add(row);
        if (!json) {
          out.printf(
              "%10d %11.3f %11.3f %11.3f %11.3f %14s %14s %14s%n",
              size,
              best.uploadNs() / 1e6,
              best.kernelNs() / 1e6,
              best.downloadNs() / 1e6,
              best.wallNs() / 1e6,
              format(kernelRate, ed),
              format(wallRate, ed),
              hostCell);
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
      result.put("repeat", repeat);
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
      } else {
        out.println(crossoverText);
      }
    }
    return 0;
  }

  private LaunchTiming measure(Backend backend, Workloads.Workload work) {
    // Warm-up: builds device programs, sizes buffers, lets the JIT compile the host path.
    long warmUntil = System.nanoTime() + 300_000_000L;
    for (int i = 0; i < 50 && (i == 0 || System.nanoTime() < warmUntil); i++) {
      work.run(backend).join();
    }
    LaunchTiming best = null;
    for (int i = 0; i < repeat; i++) {
      LaunchTiming t = work.run(backend).join();
      if (best == null || t.wallNs() < best.wallNs()) {
        best = t;
      }
    }
    return best;
  }

  private static String format(double rate, boolean ops) {
    return ops ? String.format("%.0f", rate) : String.format("%.3f", rate);
  }
}
