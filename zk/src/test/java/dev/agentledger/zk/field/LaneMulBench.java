package dev.agentledger.zk.field;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

/**
 * A plain timed loop (not a test): 8-lane products of {@link Fp29x8#mul}, {@link Fp51x8#mul} and
 * {@link Fp51x8#mulSerial}, alternated in one JVM, in thread CPU time (min and median over the
 * second half of the rounds). Run from the repository root after a build:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp zk/target/classes:zk/target/test-classes \
 *   dev.agentledger.zk.field.LaneMulBench [rounds]
 * </pre>
 *
 * Each pass runs 2,000 iterations over 64 groups, each group's product in place ({@code x = x *
 * y}): consecutive calls are on independent groups.
 */
public final class LaneMulBench {
  private LaneMulBench() {}

  private static final int GROUPS = 64;
  private static final int ITERS = 2_000;
  private static final String[] NAMES = {"Fp29x8.mul", "Fp51x8.mul", "Fp51x8.mulSerial"};

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Random rnd = new Random(1);
    long[] a29 = new long[GROUPS * Fp29x8.GROUP];
    long[] b29 = new long[GROUPS * Fp29x8.GROUP];
    long[] a51 = new long[GROUPS * Fp51x8.GROUP];
    long[] b51 = new long[GROUPS * Fp51x8.GROUP];
    for (int i = 0; i < a29.length; i++) {
      a29[i] = rnd.nextInt(1 << 20);
      b29[i] = rnd.nextInt(1 << 20);
    }
    for (int i = 0; i < a51.length; i++) {
      a51[i] = rnd.nextLong() & ((1L << 40) - 1);
      b51[i] = rnd.nextLong() & ((1L << 40) - 1);
    }
    long[] tmp = new long[Fp51x8.SCRATCH];
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int kept = rounds / 2;
    double[][] ns = new double[NAMES.length][kept];
    double n = (double) GROUPS * ITERS;
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      StringBuilder line = new StringBuilder("round " + round);
      for (int v = 0; v < NAMES.length; v++) {
        long m0 = mx.getCurrentThreadAllocatedBytes();
        long t0 = mx.getCurrentThreadCpuTime();
        for (int it = 0; it < ITERS; it++) {
          for (int g = 0; g < GROUPS; g++) {
            switch (v) {
              case 0 -> Fp29x8.mul(a29, g * Fp29x8.GROUP, a29, g * Fp29x8.GROUP, b29, g * 72);
              case 1 -> Fp51x8.mul(a51, g * 40, a51, g * 40, b51, g * 40, tmp);
              default -> Fp51x8.mulSerial(a51, g * 40, a51, g * 40, b51, g * 40, tmp);
            }
          }
        }
        long t1 = mx.getCurrentThreadCpuTime();
        long m1 = mx.getCurrentThreadAllocatedBytes();
        if (round >= rounds - kept) {
          ns[v][round - (rounds - kept)] = (t1 - t0) / n;
        }
        line.append(String.format("  %s %.1f ns %.0f B", NAMES[v], (t1 - t0) / n, (m1 - m0) / n));
      }
      sink += a29[5] + a51[7];
      System.out.println(line);
    }
    for (int v = 0; v < NAMES.length; v++) {
      Arrays.sort(ns[v]);
      System.out.printf(
          "%s: min %.1f, median %.1f ns per 8-lane product (thread CPU time)%n",
          NAMES[v], ns[v][0], ns[v][kept / 2]);
    }
    System.out.println("sink " + sink);
  }
}
