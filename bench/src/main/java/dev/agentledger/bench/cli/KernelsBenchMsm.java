package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.msm.BackendMsm;
import dev.agentledger.zk.msm.Msm;
import dev.agentledger.zk.msm.TestPoints;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code kernels bench --kernel msm}: BN254 G1 MSM with the bucket accumulation on a device ({@link
 * BackendMsm}: digits, sorting and the bucket reduction on the host) against the CPU Pippenger
 * ({@link Msm}, all cores) on the same points and scalars, each warmed until its rate settles.
 * Upload / kernel / download are the device's times of the bucket launch; wall is the whole MSM,
 * host work included. The two sums are compared on every size.
 */
final class KernelsBenchMsm {
  private KernelsBenchMsm() {}

  /** One implementation's timed runs at one size. */
  private record Timed(
      long uploadNs,
      long kernelNs,
      long downloadNs,
      long wallNs,
      long wallNsP99,
      double warmupSeconds,
      boolean settled) {}

  static int run(
      PrintWriter out,
      Backend backend,
      String label,
      List<Integer> sizes,
      int repeat,
      double warmupMaxSeconds,
      boolean json)
      throws Exception {
    int threads = Runtime.getRuntime().availableProcessors();
    if (!json) {
      out.printf("kernel msm on backend %s, %s%n", backend.name(), label);
      out.printf(
          "BN254 G1 MSM, random points and scalars; median of %d runs per size after warming each"
              + " implementation until its rate settles (at most %.0f s); cpu = Pippenger on %d"
              + " threads%n",
          repeat, warmupMaxSeconds, threads);
      out.printf(
          "%10s %11s %11s %11s %11s %11s %12s %8s%n",
          "size",
          "upload ms",
          "kernel ms",
          "download ms",
          "wall ms",
          "cpu ms",
          "wall p99 ms",
          "equal");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    int crossover = -1;
    CurveOps g1 = Msm.Group.G1.ops();
    for (int n : sizes) {
      long[] points = TestPoints.points(Msm.Group.G1, n, 7 + n);
      long[] scalars = TestPoints.scalars(n, 11 + n);
      long[][] dev = new long[1][];
      long[] cpu = new long[12];
      Timed d =
          measure(
              () -> {
                BackendMsm.Result r = BackendMsm.msm(backend, points, scalars, n);
                dev[0] = r.sum();
                return r.timing();
              },
              repeat,
              warmupMaxSeconds);
      Timed c =
          measure(
              () -> {
                Msm.msm(Msm.Group.G1, points, scalars, n, threads, cpu);
                return null;
              },
              repeat,
              warmupMaxSeconds);
      boolean equal = g1.equal(cpu, 0, dev[0], 0);
      if (crossover < 0 && d.wallNs() < c.wallNs()) {
        crossover = n;
      } else if (d.wallNs() >= c.wallNs()) {
        crossover = -1;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("size", n);
      row.put("uploadNs", d.uploadNs());
      row.put("kernelNs", d.kernelNs());
      row.put("downloadNs", d.downloadNs());
      row.put("wallNs", d.wallNs());
      row.put("wallNsP99", d.wallNsP99());
      row.put("cpuWallNs", c.wallNs());
      row.put("cpuWallNsP99", c.wallNsP99());
      row.put("warmupSeconds", d.warmupSeconds());
      row.put("warmupSettled", d.settled());
      row.put("cpuWarmupSeconds", c.warmupSeconds());
      row.put("cpuWarmupSettled", c.settled());
      row.put("equal", equal);
      rows.add(row);
      if (!json) {
        out.printf(
            Locale.ROOT,
            "%10d %11.3f %11.3f %11.3f %11.3f %11.3f %12.3f %8s%s%n",
            n,
            d.uploadNs() / 1e6,
            d.kernelNs() / 1e6,
            d.downloadNs() / 1e6,
            d.wallNs() / 1e6,
            c.wallNs() / 1e6,
            d.wallNsP99() / 1e6,
            equal ? "yes" : "NO",
            d.settled() && c.settled() ? "" : "  (rate not settled within --warmup-max-s)");
        out.flush();
      }
      if (!equal) {
        out.println("kernels bench: the device MSM differs from the CPU MSM at size " + n);
        return 1;
      }
    }
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("kernel", "msm");
      result.put("backend", backend.name());
      result.put("label", label);
      result.put("cpuThreads", threads);
      result.put("repeat", repeat);
      result.put("statistic", "median of repeat runs; p99 by nearest rank");
      result.put("rows", rows);
      result.put("crossoverSize", crossover);
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    } else {
      out.println(
          crossover < 0
              ? "crossover: "
                  + backend.name()
                  + " never beat the CPU MSM (wall time, host work and copies included) at the"
                  + " sizes measured"
              : "crossover: "
                  + backend.name()
                  + " beats the CPU MSM (wall time) from size "
                  + crossover
                  + " on");
    }
    return 0;
  }

  private static Timed measure(Supplier<LaunchTiming> run, int repeat, double warmupMaxSeconds) {
    long start = System.nanoTime();
    boolean settled =
        KernelsBenchCommand.warmUntilSettled(
            () -> {
              run.get();
              return 1;
            },
            warmupMaxSeconds);
    double warmup = (System.nanoTime() - start) / 1e9;
    long[] up = new long[repeat];
    long[] k = new long[repeat];
    long[] down = new long[repeat];
    long[] wall = new long[repeat];
    for (int i = 0; i < repeat; i++) {
      long t0 = System.nanoTime();
      LaunchTiming t = run.get();
      wall[i] = System.nanoTime() - t0;
      if (t != null) {
        up[i] = t.uploadNs();
        k[i] = t.kernelNs();
        down[i] = t.downloadNs();
      }
    }
    return new Timed(
        KernelsBenchCommand.median(up),
        KernelsBenchCommand.median(k),
        KernelsBenchCommand.median(down),
        KernelsBenchCommand.median(wall),
        KernelsBenchCommand.p99(wall),
        warmup,
        settled);
  }
}
