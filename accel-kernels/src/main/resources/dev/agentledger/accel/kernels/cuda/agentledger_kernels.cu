/*
 * CUDA kernels of the accel-kernels SPI: the same kernels as opencl/*.cl over the same shared
 * headers (common/), so what the PoCL tests prove about the arithmetic holds here too. Built by
 * nvcc at package time into a fatbin (sm_80, sm_90, and compute_90 PTX for newer GPUs) and loaded
 * by CudaBackend through the driver API. extern "C" keeps the kernel names unmangled.
 *
 * Per work-item costs: sha256_fixed reads msgBytes and writes 32 bytes, (msgBytes + 8) / 64 + 1
 * compressions of ~1,100 integer operations; merkle_level reads 64, writes 32, 2 compressions;
 * ed25519_verify reads 100 + len bytes, writes 1, ~4,300 field multiplications.
 */
#include "common/sha256.h"
#include "common/ed25519.h"

extern "C" __global__ void sha256_fixed(const unsigned char *msgs, unsigned int msgBytes, unsigned int count,
                                        unsigned char *digests) {
  unsigned int gid = blockIdx.x * blockDim.x + threadIdx.x;
  if (gid >= count) return;
  al_u8 out[32];
  al_sha256_global(msgs + (al_u64)gid * msgBytes, msgBytes, out);
  for (int i = 0; i < 32; i++) digests[(al_u64)gid * 32u + i] = out[i];
}

extern "C" __global__ void merkle_level(const unsigned char *nodes, unsigned int count, unsigned char *parents) {
  unsigned int gid = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned int parentsCount = (count + 1u) / 2u;
  if (gid >= parentsCount) return;
  const unsigned char *left = nodes + (al_u64)gid * 64u;
  unsigned char *out = parents + (al_u64)gid * 32u;
  if (2u * gid + 1u < count) {
    al_u8 l[32], r[32], h[32];
    for (int i = 0; i < 32; i++) {
      l[i] = left[i];
      r[i] = left[32 + i];
    }
    al_merkle_node(l, r, h);
    for (int i = 0; i < 32; i++) out[i] = h[i];
  } else {
    for (int i = 0; i < 32; i++) out[i] = left[i];
  }
}

extern "C" __global__ void ed25519_verify(const unsigned char *pubs, const unsigned char *sigs,
                                          const unsigned char *msgs, unsigned int stride, const unsigned int *lens,
                                          unsigned int count, unsigned char *verdicts) {
  unsigned int gid = blockIdx.x * blockDim.x + threadIdx.x;
  if (gid >= count) return;
  al_u8 a[32], s[64];
  for (int i = 0; i < 32; i++) a[i] = pubs[(al_u64)gid * 32u + i];
  for (int i = 0; i < 64; i++) s[i] = sigs[(al_u64)gid * 64u + i];
  verdicts[gid] = (unsigned char)ed25519_verify_zip215(a, s, msgs + (al_u64)gid * stride, lens[gid]);
}

#include "common/bn254.h"

/* BN254 G1 MSM bucket sums, one bucket per thread: see opencl/msm_bn254.cl (same header). */
extern "C" __global__ void msm_bn254_g1_buckets(const al_u64 *points, const unsigned int *entries,
                                                const unsigned int *starts, unsigned int nbuckets,
                                                al_u64 *out) {
  unsigned int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (b >= nbuckets) return;
  g1_jac acc;
  g1_set_infinity(&acc);
  unsigned int end = starts[b + 1];
  for (unsigned int k = starts[b]; k < end; k++) {
    unsigned int e = entries[k];
    g1_aff q;
    const al_u64 *p = points + (al_u64)(e >> 1) * 8u;
    for (int i = 0; i < 4; i++) {
      q.x.v[i] = p[i];
      q.y.v[i] = p[4 + i];
    }
    if (e & 1u) fp_neg(&q.y, &q.y);
    g1_add_affine(&acc, &acc, &q);
  }
  al_u64 *o = out + (al_u64)b * 12u;
  for (int i = 0; i < 4; i++) {
    o[i] = acc.x.v[i];
    o[4 + i] = acc.y.v[i];
    o[8 + i] = acc.z.v[i];
  }
}
