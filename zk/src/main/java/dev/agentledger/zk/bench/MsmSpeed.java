package dev.agentledger.zk.bench;

import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.msm.Msm;
import dev.agentledger.zk.msm.TestPoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code agentledger speed msm}: BN254 G1 MSM of this project against ffjavascript (snarkjs's WASM
 * engine, run through {@code node}) on the same points and scalars in the same run. The results are
 * compared, so a wrong sum is reported, not timed.
 *
 * <p>Sizes: {@code A..B} is a range of powers of two ({@code 2^10..2^20} or {@code 10..20}); a
 * comma list holds powers ({@code 2^k}, or a bare number up to 64) or plain sizes (a bare number
 * above 64, such as {@code 65536}).
 */
public final class MsmSpeed {
  /** One measurement. */
  public record Result(String impl, int size, int threads, double ms, boolean matches) {}

  private MsmSpeed() {}

  /** Parses the {@code --sizes} argument (see the class comment). */
  public static List<Integer> parseSizes(String spec) {
    List<Integer> out = new ArrayList<>();
    String s = spec.replace(" ", "");
    int dots = s.indexOf("..");
    if (dots >= 0) {
      int a = power(s.substring(0, dots));
      int b = power(s.substring(dots + 2));
      if (a > b) {
        throw new IllegalArgumentException("--sizes: empty range " + spec);
      }
      for (int k = a; k <= b; k++) {
        out.add(1 << k);
      }
      return out;
    }
    for (String part : s.split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.startsWith("2^")) {
        out.add(1 << power(part));
      } else {
        long v = parse(part);
        if (v <= 64) {
          out.add(1 << power(part));
        } else if (v > (1 << 26)) {
          throw new IllegalArgumentException("--sizes: " + part + " is above 2^26");
        } else {
          out.add((int) v);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--sizes: no size given");
    }
    return out;
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--sizes: '" + s + "' is not a number");
    }
  }

  private static int power(String s) {
    String t = s.startsWith("2^") ? s.substring(2) : s;
    long k = parse(t);
    if (k < 0 || k > 26) {
      throw new IllegalArgumentException("--sizes: power " + t + " is outside 0..26");
    }
    return (int) k;
  }

  /**
   * Runs the benchmark for every size and thread count, printing text or JSON lines to {@code out}.
   * {@code nodeModules} is the npm directory of ffjavascript, or null to skip it.
   */
  public static List<Result> run(
      List<Integer> sizes,
      List<Integer> threads,
      boolean json,
      boolean cpuTime,
      Path npmDir,
      PrintWriter out)
      throws IOException, InterruptedException {
    List<Result> results = new ArrayList<>();
    for (int n : sizes) {
      long[] points = TestPoints.points(Msm.Group.G1, n, 1);
      long[] scalars = TestPoints.scalars(n, 2);
      CurveOps g1 = Msm.Group.G1.ops();
      for (int t : threads) {
        long[] r = new long[12];
        warmUp(points, scalars, n, t, r);
        int runs = runs(n);
        double[] each = new double[runs];
        for (int k = 0; k < runs; k++) {
          long c0 = ProcessCpu.nanos();
          long t0 = System.nanoTime();
          Msm.msm(Msm.Group.G1, points, scalars, n, t, r);
          each[k] = cpuTime ? (ProcessCpu.nanos() - c0) / 1e6 : (System.nanoTime() - t0) / 1e6;
        }
        double ms = median(each);
        long[] aff = new long[8];
        g1.toAffine(aff, 0, r, 0);
        String x = Bn254.FP.toBigInteger(aff, 0).toString();
        String y = Bn254.FP.toBigInteger(aff, 4).toString();
        Result ours = new Result("project", n, t, ms, true);
        Result theirs = null;
        if (npmDir != null) {
          theirs = ffjavascript(npmDir, points, scalars, n, t, x, y, cpuTime, runs);
        }
        results.add(ours);
        print(out, json, ours, theirs);
        if (theirs != null) {
          results.add(theirs);
          print(out, json, theirs, ours);
        }
        out.flush();
      }
    }
    return results;
  }

  /**
   * Warm-up runs on a prefix of at most {@code 2^16} points until the JIT has settled: at least
   * four, then until two runs in a row during which no compilation finished (at most {@link
   * #WARMUP_MAX_RUNS} runs or {@link #WARMUP_MAX_NS}). On a loaded machine the compiler threads get
   * little CPU, and a fixed count of runs left the measured run in the JIT's first tiers, timing
   * the compiler.
   */
  private static void warmUp(long[] points, long[] scalars, int n, int t, long[] r) {
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    int m = Math.min(n, 1 << 16);
    long start = System.nanoTime();
    int quiet = 0;
    for (int k = 0; k < WARMUP_MAX_RUNS; k++) {
      long before = timed ? jit.getTotalCompilationTime() : 0;
      Msm.msm(Msm.Group.G1, points, scalars, m, t, r);
      quiet = timed && jit.getTotalCompilationTime() == before ? quiet + 1 : 0;
      if (k >= 3 && (quiet >= 2 || !timed || System.nanoTime() - start > WARMUP_MAX_NS)) {
        return;
      }
    }
  }

  private static final int WARMUP_MAX_RUNS = 40;

  /**
   * Timed runs per size, the same on both sides: five up to 2^16 points, three up to 2^18, one
   * above (one 2^20 ffjavascript run takes tens of seconds). The time printed is their median, so
   * one run slowed by the machine's other tenants neither flatters nor hides either side.
   */
  static int runs(int n) {
    return n <= 1 << 16 ? 5 : n <= 1 << 18 ? 3 : 1;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  private static final long WARMUP_MAX_NS = 60_000_000_000L;

  private static void print(PrintWriter out, boolean json, Result r, Result other) {
    if (json) {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "{\"name\":\"msm-bn254-g1\",\"impl\":\"%s\",\"size\":%d,\"threads\":%d,\"ms\":%.3f,"
                  + "\"runs\":%d",
              r.impl(),
              r.size(),
              r.threads(),
              r.ms(),
              runs(r.size())));
      if (r.impl().equals("ffjavascript")) {
        b.append(",\"matches_project\":").append(r.matches());
        b.append(String.format(Locale.ROOT, ",\"project_speedup\":%.2f", r.ms() / other.ms()));
      }
      b.append('}');
      out.println(b);
    } else {
      String extra = "";
      if (r.impl().equals("ffjavascript")) {
        extra =
            String.format(
                Locale.ROOT,
                "  (project %.1fx faster%s)",
                r.ms() / other.ms(),
                r.matches() ? "" : ", RESULTS DIFFER");
      }
      out.printf(
          Locale.ROOT,
          "msm-bn254-g1  %-12s  n=%-8d threads=%-3d %10.1f ms%s%n",
          r.impl(),
          r.size(),
          r.threads(),
          r.ms(),
          extra);
    }
  }

  private static Result ffjavascript(
      Path npmDir,
      long[] points,
      long[] scalars,
      int n,
      int threads,
      String x,
      String y,
      boolean cpuTime,
      int runs)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile("msm-", ".bin");
    try {
      ByteBuffer b = ByteBuffer.allocate(4 + n * 96).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(n);
      for (int i = 0; i < 8 * n; i++) {
        b.putLong(points[i]);
      }
      for (int i = 0; i < 4 * n; i++) {
        b.putLong(scalars[i]);
      }
      Files.write(file, b.array());
      Process p =
          new ProcessBuilder(
                  "node",
                  npmDir.resolve("ffjs-msm.mjs").toString(),
                  file.toString(),
                  Integer.toString(threads),
                  Integer.toString(runs))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("ffjavascript run failed (exit " + p.exitValue() + ")");
      }
      double ms = Double.parseDouble(field(line, cpuTime ? "cpu_ms" : "ms"));
      int th = (int) Double.parseDouble(field(line, "threads"));
      boolean same = x.equals(field(line, "x")) && y.equals(field(line, "y"));
      return new Result("ffjavascript", n, th, ms, same);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static String field(String json, String key) {
    int i = json.indexOf("\"" + key + "\":");
    if (i < 0) {
      throw new IllegalStateException("ffjavascript output lacks " + key + ": " + json);
    }
    int s = i + key.length() + 3;
    if (json.charAt(s) == '"') {
      return json.substring(s + 1, json.indexOf('"', s + 1));
    }
    int e = s;
    while (e < json.length() && ",}".indexOf(json.charAt(e)) < 0) {
      e++;
    }
    return json.substring(s, e);
  }

  /**
   * The npm directory with ffjavascript, installed by {@code zk/scripts/npm-setup.sh} under the
   * project home ({@code -Dagentledger.home}, else the working directory); null, with the reason on
   * {@code err}, when node/npm or the scripts are absent.
   */
  public static Path npmDir(PrintWriter err) {
    Path home = Path.of(System.getProperty("agentledger.home", "")).toAbsolutePath();
    Path script = home.resolve("zk/scripts/npm-setup.sh");
    if (!Files.isRegularFile(script)) {
      err.println("ffjavascript: " + script + " not found; no ffjavascript run, no ratio");
      err.flush();
      return null;
    }
    try {
      Process p =
          new ProcessBuilder("bash", script.toString())
              .redirectErrorStream(false)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
      String msg = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        err.println(
            "ffjavascript: not available ("
                + (msg.isEmpty() ? "npm setup failed" : msg)
                + "); no ratio printed");
        err.flush();
        return null;
      }
    } catch (IOException e) {
      err.println("ffjavascript: cannot run npm-setup.sh (" + e.getMessage() + "); no ratio");
      err.flush();
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    return home.resolve("zk/npm");
  }

  /** Quick run: {@code MsmSpeed SIZES THREADS [npmDir]}. */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = parseSizes(args[0]);
    List<Integer> threads = new ArrayList<>();
    for (String t : args[1].split(",")) {
      threads.add(Integer.parseInt(t));
    }
    Path npm = args.length > 2 ? Path.of(args[2]) : null;
    run(sizes, threads, false, false, npm, new PrintWriter(System.out, true));
  }
}
