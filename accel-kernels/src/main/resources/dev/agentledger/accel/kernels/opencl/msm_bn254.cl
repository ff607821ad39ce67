/*
 * BN254 G1 MSM bucket sums (the accumulation phase of Pippenger's method), one bucket per
 * work-item. The host (zk module) computes the signed digits, sorts the (point, sign) entries by
 * bucket over all windows, and reduces the bucket sums; this kernel adds each bucket's points in
 * Jacobian coordinates (madd-2007-bl, dbl-2009-l). Field elements: 4 x 64-bit limbs,
 * little-endian, Montgomery form with R = 2^256, as the zk module stores them.
 *
 * Inputs: points (n affine points, 8 ulongs each, all zeros = infinity), entries (point << 1 |
 * negate), starts (bucket b owns entries [starts[b], starts[b+1])). Output: one Jacobian point
 * (12 ulongs) per bucket.
 */
#include "common/bn254.h"

__kernel void msm_bn254_g1_buckets(__global const ulong *points, __global const uint *entries,
                                   __global const uint *starts, uint nbuckets, __global ulong *out) {
  uint b = (uint)get_global_id(0);
  if (b >= nbuckets) return;
  g1_jac acc;
  g1_set_infinity(&acc);
  uint end = starts[b + 1];
  for (uint k = starts[b]; k < end; k++) {
    uint e = entries[k];
    g1_aff q;
    __global const ulong *p = points + (ulong)(e >> 1) * 8u;
    for (int i = 0; i < 4; i++) {
      q.x.v[i] = p[i];
      q.y.v[i] = p[4 + i];
    }
    if (e & 1u) fp_neg(&q.y, &q.y);
    g1_add_affine(&acc, &acc, &q);
  }
  __global ulong *o = out + (ulong)b * 12u;
  for (int i = 0; i < 4; i++) {
    o[i] = acc.x.v[i];
    o[4 + i] = acc.y.v[i];
    o[8 + i] = acc.z.v[i];
  }
}
