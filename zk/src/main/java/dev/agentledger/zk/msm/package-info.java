/**
 * Multi-scalar multiplication by Pippenger's bucket method (Bernstein et al., "Faster batch forgery
 * identification", 2012, section 4 for the signed-digit variant): scalars split into signed c-bit
 * digits so a window needs 2^(c-1) buckets; points are added into affine buckets in batches that
 * share one inversion (Montgomery's trick), as gnark-crypto's batch-affine MSM does; each window's
 * buckets reduce by running sums. Tasks are (window, point range) pairs with private buckets, run
 * on a fixed pool.
 *
 * <p>Costs per point and window: about 6 field multiplications plus a share of one inversion per
 * batch; per bucket about 2 Jacobian additions in the reduction. G1 MSMs from 8192 points run in
 * {@link dev.agentledger.zk.field.Fp29x8} lanes ({@link dev.agentledger.zk.msm.LaneWindows}): eight
 * windows side by side, one per lane, so each point is read once per eight windows and broadcast to
 * the lanes, the buckets (packed two limbs to a long) gathered and scattered; one scalar inversion
 * serves a batch of groups in all eight lanes, and the running-sum reduction runs in the lanes as
 * well, as do a point's eight bucket lookups (one gather of the buckets' states) and the conversion
 * of the points to lane form and their signed digits (eight points at a time). Smaller G1 MSMs and
 * G2 sort each window's points by bucket and add round by round ({@link
 * dev.agentledger.zk.msm.BucketAccumulator}). Inversions are variable time (binary extended
 * Euclid): the bucket contents are public. A window whose digits are small (the top one) spreads
 * its points over several copies of each bucket (a power of two of them in the lanes) so its
 * batches still find many distinct buckets.
 *
 * <p>G1 and G2 each run their own copy of the scalar accumulator and of the curve code it calls
 * ({@link dev.agentledger.zk.msm.GroupCode}: a class loader per group defines {@code
 * BucketAccumulator} and {@code CurveOps} again from the same class files, reached through {@link
 * dev.agentledger.zk.msm.WindowAccumulator}), so the JIT compiles each group's field calls for one
 * receiver type and never throws one group's code away when the other arrives.
 */
package dev.agentledger.zk.msm;
