package dev.agentledger.zk.msm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A plain timed loop (not a test): the window sums of the single-thread G1 lane MSM ({@link
 * LaneWindows}) for several window widths and batch sizes, alternated round by round in one JVM,
 * thread CPU time per run (min and median over the second half of the rounds). Run from the
 * repository root after a build:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp zk/target/classes:zk/target/test-classes \
 *   dev.agentledger.zk.msm.LaneTuneBench rounds n c:groups[,c:groups...]
 * </pre>
 */
public final class LaneTuneBench {
  private LaneTuneBench() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
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
      for (int j = 0; j < k; j++) {
        long t0 = mx.getCurrentThreadCpuTime();
        long[] sums = LaneWindows.windowSums(points, scalars, n, cs[j], 1, gs[j], arenas[j]);
        ms[j][r] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
        sink += sums[0];
      }
    }
    for (int j = 0; j < k; j++) {
      double[] tail = Arrays.copyOfRange(ms[j], rounds / 2, rounds);
      Arrays.sort(tail);
      System.out.printf(
          "n=%d c=%d groups=%d min %.1f ms median %.1f ms%n",
          n, cs[j], gs[j], tail[0], tail[tail.length / 2]);
    }
    System.out.println("sink " + sink);
  }
}
