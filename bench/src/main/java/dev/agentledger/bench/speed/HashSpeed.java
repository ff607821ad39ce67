package dev.agentledger.bench.speed;

import dev.agentledger.hash.Sha256Engine;
import dev.agentledger.hash.Sha256Engines;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measurements behind {@code agentledger speed sha256|merkle}, in the manner of {@code openssl
 * speed}: every implementation and thread count runs in the same process, interleaved over several
 * rounds (so a noisy neighbour hurts all of them alike), and the best round of each is reported.
 *
 * <p>Workloads: {@code sha256-64B} hashes 64-byte messages; {@code merkle-node} hashes RFC 6962
 * interior nodes {@code SHA-256(0x01 || left || right)} (65-byte messages). Implementations: {@code
 * project-simd} (multi-buffer Vector API), {@code project-single} (our single-stream engine over
 * the JDK intrinsic) and the anchor {@code jdk-messagedigest} (plain {@link MessageDigest} calls:
 * {@code update}, {@code digest(out, offset, 32)}).
 */
public final class HashSpeed {
  /** Implementation names in report order. */
  public static final List<String> IMPLS =
      List.of("project-simd", "project-single", "jdk-messagedigest");

  /**
   * One line of the report: {@code opsPerSec} is hashes per second of wall time (all threads);
   * {@code opsPerCpuSec} is hashes per second of CPU time the hashing threads actually got, which
   * stays meaningful on a machine shared with other work (it is the per-core rate).
   */
  public record Result(
      String name, String impl, int threads, int batch, double opsPerSec, double opsPerCpuSec) {}

  /** Rates of one window. */
  record Rate(double wall, double cpu) {}

  /** Workloads. */
  public enum Workload {
    SHA256_64B("sha256-64B"),
    MERKLE_NODE("merkle-node");

    private final String reportName;

    Workload(String reportName) {
      this.reportName = reportName;
    }

    public String reportName() {
      return reportName;
    }
  }

  private HashSpeed() {}

  /**
   * Measures every implementation at every thread count.
   *
   * @param batch messages per call
   * @param windowMs length of one timed window
   * @param rounds interleaved rounds; the best is reported
   * @param warmUpMaxMs the longest warm-up per workload and implementation
   */
  public static List<Result> measure(
      Workload workload,
      List<Integer> threadCounts,
      int batch,
      long windowMs,
      int rounds,
      long warmUpMaxMs)
      throws InterruptedException {
    return measure(workload, threadCounts, batch, windowMs, rounds, warmUpMaxMs, step -> {});
  }

  /**
   * As {@link #measure(Workload, List, int, long, int, long)}, telling {@code progress} what starts
   * next (one short phrase per warm-up and per timed round), for a progress line.
   */
  public static List<Result> measure(
      Workload workload,
      List<Integer> threadCounts,
      int batch,
      long windowMs,
      int rounds,
      long warmUpMaxMs,
      java.util.function.Consumer<String> progress)
      throws InterruptedException {
    double[][] best = new double[threadCounts.size()][IMPLS.size()];
    double[][] bestCpu = new double[threadCounts.size()][IMPLS.size()];
    // Warm-up: every implementation single-threaded until its rate settles (the JIT compiles the
    // large vector methods late, and on a busy machine compilation itself takes seconds).
    for (Workload each : Workload.values()) {
      for (String impl : IMPLS) {
        progress.accept("warm-up " + each.reportName() + " " + impl);
        warmUp(each, impl, batch, warmUpMaxMs);
      }
    }
    for (int round = 0; round < rounds; round++) {
      progress.accept("round " + (round + 1) + " of " + rounds);
      for (int t = 0; t < threadCounts.size(); t++) {
        for (int i = 0; i < IMPLS.size(); i++) {
          Rate rate = run(workload, IMPLS.get(i), threadCounts.get(t), batch, windowMs);
          best[t][i] = Math.max(best[t][i], rate.wall());
          bestCpu[t][i] = Math.max(bestCpu[t][i], rate.cpu());
        }
      }
    }
    List<Result> results = new ArrayList<>();
    for (int t = 0; t < threadCounts.size(); t++) {
      for (int i = 0; i < IMPLS.size(); i++) {
        results.add(
            new Result(
                workload.reportName(),
                IMPLS.get(i),
                threadCounts.get(t),
                batch,
                best[t][i],
                bestCpu[t][i]));
      }
    }
    return results;
  }

  /**
   * Runs 200 ms windows until the JIT is done with this code: at least 8 windows, the last three
   * CPU-time rates within 5% of each other, and no compilation finished during the last two windows
   * (the big vector methods are interpreted, at a rate that can look steady, until C2 has compiled
   * them, which takes seconds on a busy machine). At most {@code maxMs}: a rate that never settles
   * is then reported as measured.
   */
  static void warmUp(Workload workload, String impl, int batch, long maxMs)
      throws InterruptedException {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
    double previous = 0;
    int agreeing = 0;
    int quiet = 0;
    long compiled = jitTimed ? jit.getTotalCompilationTime() : 0;
    long until = System.nanoTime() + maxMs * 1_000_000L;
    for (int window = 0; System.nanoTime() < until; window++) {
      double rate = run(workload, impl, 1, batch, Math.min(200, maxMs)).cpu();
      agreeing = Math.abs(rate - previous) <= 0.05 * Math.max(rate, previous) ? agreeing + 1 : 0;
      long now = jitTimed ? jit.getTotalCompilationTime() : compiled;
      quiet = now == compiled ? quiet + 1 : 0;
      compiled = now;
      if (window >= 8 && agreeing >= 2 && quiet >= 2) {
        return;
      }
      previous = rate;
    }
  }

  /** Hashes per second of {@code impl} with {@code threads} threads over one window. */
  static Rate run(Workload workload, String impl, int threads, int batch, long windowMs)
      throws InterruptedException {
    AtomicLong total = new AtomicLong();
    AtomicLong cpuNs = new AtomicLong();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    long[] elapsed = new long[1];
    List<Thread> workers = new ArrayList<>();
    long[] deadlineHolder = new long[1];
    for (int k = 0; k < threads; k++) {
      int seed = k;
      Thread worker =
          new Thread(
              () -> {
                Kernel kernel = kernel(workload, impl, batch, seed);
                try {
                  start.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                long deadline = deadlineHolder[0];
                long ops = 0;
                long cpu0 = cpu.getCurrentThreadCpuTime();
                // At least one call per window: a thread woken late on a busy machine (after the
                // deadline) still measures something, so no rate is zero and no ratio infinite.
                do {
                  kernel.run();
                  ops += batch;
                } while (System.nanoTime() < deadline);
                cpuNs.addAndGet(cpu.getCurrentThreadCpuTime() - cpu0);
                total.addAndGet(ops);
              },
              "speed-" + impl + "-" + k);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    try {
      deadlineHolder[0] = 0;
      long begin = System.nanoTime();
      deadlineHolder[0] = begin + windowMs * 1_000_000L;
      start.await();
      for (Thread worker : workers) {
        worker.join();
      }
      elapsed[0] = System.nanoTime() - begin;
    } catch (java.util.concurrent.BrokenBarrierException e) {
      throw new IllegalStateException(e);
    }
    return new Rate(total.get() * 1e9 / elapsed[0], total.get() * 1e9 / Math.max(1, cpuNs.get()));
  }

  /** One call's worth of work over private, random input. */
  private interface Kernel {
    void run();
  }

  private static Kernel kernel(Workload workload, String impl, int batch, int seed) {
    int messageBytes = 64; // sha256-64B: the message; merkle-node: the two children after 0x01
    byte[] in = new byte[batch * messageBytes];
    new Random(seed).nextBytes(in);
    byte[] out = new byte[batch * 32];
    boolean node = workload == Workload.MERKLE_NODE;
    switch (impl) {
      case "project-simd", "project-single" -> {
        Sha256Engine engine =
            impl.equals("project-simd") ? Sha256Engines.simd() : Sha256Engines.single();
        return node
            ? () -> engine.hashNodes(in, 0, batch, out, 0)
            : () -> engine.digestFixed(in, 0, 64, batch, out, 0);
      }
      case "jdk-messagedigest" -> {
        MessageDigest md;
        try {
          md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
        return () -> {
          try {
            for (int i = 0; i < batch; i++) {
              if (node) {
                md.update((byte) 1);
              }
              md.update(in, i * 64, 64);
              md.digest(out, i * 32, 32);
            }
          } catch (DigestException e) {
            throw new IllegalStateException(e);
          }
        };
      }
      default -> throw new IllegalArgumentException("unknown implementation " + impl);
    }
  }
}
