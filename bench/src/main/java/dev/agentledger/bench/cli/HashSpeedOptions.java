package dev.agentledger.bench.cli;

import dev.agentledger.bench.speed.HashSpeed;
import dev.agentledger.hash.Sha256Engines;
import dev.agentledger.node.cli.MalformedInputException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** Options and the run shared by {@code speed sha256} and {@code speed merkle}. */
final class HashSpeedOptions {
  @Option(names = "--json", description = "one JSON object per line instead of a table")
  boolean json;

  @Option(
      names = "--seconds",
      defaultValue = "0.3",
      description = "length of one timed window (default ${DEFAULT-VALUE})")
  double seconds;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "interleaved rounds; the best is reported (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--batch",
      defaultValue = "1024",
      description = "messages per call (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--warmup",
      defaultValue = "30",
      description =
          "longest warm-up per implementation, seconds: it ends when the rate settles (default ${DEFAULT-VALUE})")
  double warmupSeconds;

  @Option(
      names = "--threads",
      split = ",",
      description = "thread counts (default: 1 and all cores)")
  List<Integer> threads;

  void run(HashSpeed.Workload workload, PrintWriter out) throws InterruptedException {
    if (seconds <= 0 || rounds < 1 || batch < 1 || warmupSeconds < 0) {
      throw new MalformedInputException(
          "--seconds, --rounds, --batch and --warmup must be positive");
    }
    List<Integer> counts = threads;
    if (counts == null || counts.isEmpty()) {
      counts =
          new ArrayList<>(
              new LinkedHashSet<>(List.of(1, Runtime.getRuntime().availableProcessors())));
    }
    for (int count : counts) {
      if (count < 1) {
        throw new MalformedInputException("--threads must be positive");
      }
    }
    List<HashSpeed.Result> results =
        HashSpeed.measure(
            workload,
            counts,
            batch,
            Math.round(seconds * 1000),
            rounds,
            Math.round(warmupSeconds * 1000));
    Map<Integer, Double> anchor = new TreeMap<>();
    for (HashSpeed.Result r : results) {
      if (r.impl().equals("jdk-messagedigest")) {
        anchor.put(r.threads(), r.opsPerCpuSec());
      }
    }
    SpeedReport report = new SpeedReport(out, json);
    for (HashSpeed.Result r : results) {
      report.row(
          r.name(),
          r.impl(),
          r.threads(),
          r.batch(),
          r.opsPerSec(),
          "ops_per_cpu_sec",
          r.opsPerCpuSec(),
          "x_anchor_cpu",
          r.opsPerCpuSec() / anchor.get(r.threads()));
    }
    if (!json) {
      int min = Sha256Engines.calibrate();
      out.println();
      out.println(
          "ops/s: hashes per second of wall time; ops_per_cpu_sec: per second of CPU time the");
      out.println(
          "hashing threads got (the per-core rate, robust on a shared machine); x_anchor_cpu:");
      out.println(
          "ratio to jdk-messagedigest at the same thread count. Adaptive engine: multi-buffer from "
              + min
              + " messages ("
              + jdk.incubator.vector.IntVector.SPECIES_PREFERRED.length()
              + " lanes).");
    }
  }
}
