package dev.agentledger.zk.msm;

/**
 * The bucket accumulation of one window ({@link BucketAccumulator}) as {@link Msm} calls it. Public
 * because each group's copy of the accumulator is defined by a class loader of its own ({@link
 * GroupCode}), in a package of that loader; not meant for use outside this package.
 */
public interface WindowAccumulator {
  /**
   * Accumulates {@code digits[digitBase + i]} times {@code points[i]} for {@code i} in {@code
   * [from, to)} and adds {@code sum_b b * bucket_b} into the Jacobian point {@code out}.
   */
  void window(long[] points, int[] digits, int digitBase, int from, int to, long[] out, int oo);
}
