/**
 * Multi-scalar multiplication by Pippenger's bucket method (Bernstein et al., "Faster batch forgery
 * identification", 2012, section 4 for the signed-digit variant): scalars split into signed c-bit
 * digits so a window needs 2^(c-1) buckets; points are added into affine buckets in batches that
 * share one inversion (Montgomery's trick), as gnark-crypto's batch-affine MSM does; each window's
 * buckets reduce by running sums. Tasks are (window, point range) pairs with private buckets, run
 * on a fixed pool.
 *
 * <p>Costs per point and window: about 6 field multiplications plus a share of one inversion per
 * batch; per bucket about 2 Jacobian additions in the reduction. For G1 (from 8192 points) the
 * batch's multiplications run on eight SIMD lanes ({@link dev.agentledger.zk.field.Fp29x8}): lane
 * {@code l} takes every eighth addition of the batch, Montgomery's trick runs along each lane and
 * one scalar inversion serves all eight. The inversion of a batch is variable time (binary extended
 * Euclid): the bucket contents are public. A window whose digits are small (the top one) spreads
 * its points over several groups of buckets so its rounds still batch many additions.
 */
package dev.agentledger.zk.msm;
