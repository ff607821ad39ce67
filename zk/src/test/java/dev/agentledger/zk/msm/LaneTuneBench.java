package dev.agentledger.zk.msm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A plain timed loop (not a test): the window sums of the G1 lane MSM ({@link LaneWindows}) for
 * several window widths and batch sizes, alternated round by round in one JVM (the order rotating),
 * CPU time per run (the thread's on one thread, else the process's, in 10 ms steps), min and median
 * over the second half of the rounds. Run from the repository root after a build:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp zk/target/classes:zk/target/test-classes \
 *   dev.agentledger.zk.msm.LaneTuneBench rounds n c:groups[,c:groups...] threads
 * </pre>
 */
public final class LaneTuneBench {
  private LaneTuneBench() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[3]);
    String[] configs = args[2].split(",");
    int k = configs.length;
    int[] cs = new int[k];
    int[] gs = new int[k];
    LaneWindows.Arena[] arenas = new LaneWindows.Arena[k];
    for (int j = 0; j < k; j++) {
      String[] cg = configs[j].split(":");
      cs[j] = Integer.parseInt(cg[0]);
      gs[j] = Integer.parseInt(cg[1]);
      arenas[j] = new LaneWindows.Arena();
    }
    long[] points = TestPoints.points(Msm.Group.G1, n, 1);
    long[] scalars = TestPoints.scalars(n, 2);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] ms = new double[k][rounds];
    long sink = 0;
    for (int r = 0; r < rounds; r++) {
      // the order rotates round by round: the configuration run second in a round was about 3%
      // faster than the same one run first (two orders of the same pair, 2026-12-07)
      for (int q = 0; q < k; q++) {
        int j = (q + r) % k;
        long t0 = threads == 1 ? mx.getCurrentThreadCpuTime() : processCpuNs();
        long[] sums = LaneWindows.windowSums(points, scalars, n, cs[j], threads, gs[j], arenas[j]);
        ms[j][r] = ((threads == 1 ? mx.getCurrentThreadCpuTime() : processCpuNs()) - t0) / 1e6;
        sink += sums[0];
      }
    }
    for (int j = 0; j < k; j++) {
      double[] tail = Arrays.copyOfRange(ms[j], rounds / 2, rounds);
      Arrays.sort(tail);
      System.out.printf(
          "n=%d threads=%d c=%d groups=%d min %.1f ms median %.1f ms%n",
          n, threads, cs[j], gs[j], tail[0], tail[tail.length / 2]);
    }
    System.out.println("sink " + sink);
  }

  private static long processCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
