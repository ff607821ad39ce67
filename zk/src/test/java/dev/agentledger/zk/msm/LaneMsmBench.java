package dev.agentledger.zk.msm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A plain timed loop (not a test): the single-thread G1 lane MSM of {@code n} points (default 2^16)
 * repeated in one JVM, thread CPU time per run (min and median over the second half of the rounds).
 * Run from the repository root after a build:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp zk/target/classes:zk/target/test-classes \
 *   dev.agentledger.zk.msm.LaneMsmBench [rounds] [n]
 * </pre>
 */
public final class LaneMsmBench {
  private LaneMsmBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1 << 16;
    long[] points = TestPoints.points(Msm.Group.G1, n, 1);
    long[] scalars = TestPoints.scalars(n, 2);
    long[] out = new long[12];
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] ms = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      Msm.msm(Msm.Group.G1, points, scalars, n, 1, out, true);
      ms[r] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
    }
    double[] tail = Arrays.copyOfRange(ms, rounds / 2, rounds);
    Arrays.sort(tail);
    System.out.printf(
        "n=%d rounds=%d min %.1f ms median %.1f ms (out[0]=%d)%n",
        n, rounds, tail[0], tail[tail.length / 2], out[0]);
  }
}
