/**
 * Multi-scalar multiplication by Pippenger's bucket method (Bernstein et al., "Faster batch forgery
 * identification", 2012, section 4 for the signed-digit variant): scalars split into signed c-bit
 * digits so a window needs 2^(c-1) buckets; points are added into affine buckets in batches that
 * share one inversion (Montgomery's trick), as gnark-crypto's batch-affine MSM does; each window's
 * buckets reduce by running sums. Tasks are (window, point range) pairs with private buckets, run
 * on a fixed pool.
 *
 * <p>Costs per point and window: about 6 field multiplications plus a share of one inversion per
 * batch; per bucket about 2 Jacobian additions in the reduction.
 */
package dev.agentledger.zk.msm;
