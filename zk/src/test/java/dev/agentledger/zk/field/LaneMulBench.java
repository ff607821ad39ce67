package dev.agentledger.zk.field;

import java.util.Random;

/**
 * A plain timed loop (not a test): 8-lane products per second of {@link Fp29x8#mul} and {@link
 * Fp51x8#mul}, alternated in one JVM. Run from the repository root after a build:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp zk/target/classes:zk/target/test-classes \
 *   dev.agentledger.zk.field.LaneMulBench [rounds]
 * </pre>
 *
 * Each pass runs 64 groups x 2,000 iterations of products in place, a chain per group ({@code x = x
 * * y}), so the products of one group wait on each other but groups are independent.
 */
public final class LaneMulBench {
  private LaneMulBench() {}

  private static final int GROUPS = 64;
  private static final int ITERS = 2_000;

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
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
    String only = System.getProperty("only", "");
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long[] tmp = new long[Fp51x8.SCRATCH];
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      long m0 = mx.getCurrentThreadAllocatedBytes();
      long t0 = System.nanoTime();
      for (int it = 0; it < ITERS && !only.equals("51"); it++) {
        for (int g = 0; g < GROUPS; g++) {
          int o = g * Fp29x8.GROUP;
          Fp29x8.mul(a29, o, a29, o, b29, o);
        }
      }
      long t1 = System.nanoTime();
      long m1 = mx.getCurrentThreadAllocatedBytes();
      for (int it = 0; it < ITERS && !only.equals("29"); it++) {
        for (int g = 0; g < GROUPS; g++) {
          int o = g * Fp51x8.GROUP;
          Fp51x8.mul(a51, o, a51, o, b51, o, tmp);
        }
      }
      long t2 = System.nanoTime();
      long m2 = mx.getCurrentThreadAllocatedBytes();
      sink += a29[5] + a51[7];
      double n = (double) GROUPS * ITERS;
      System.out.printf(
          "round %2d  Fp29x8.mul %6.1f ns %5.0f B  Fp51x8.mul %6.1f ns %5.0f B  per 8-lane product"
              + "  ratio %.2f%n",
          round,
          (t1 - t0) / n,
          (m1 - m0) / n,
          (t2 - t1) / n,
          (m2 - m1) / n,
          (double) (t1 - t0) / (t2 - t1));
    }
    System.out.println("sink " + sink);
  }
}
