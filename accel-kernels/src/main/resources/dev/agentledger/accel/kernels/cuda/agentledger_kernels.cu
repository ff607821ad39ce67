/*
 * CUDA kernels of the accel-kernels SPI: the same kernels as opencl/*.cl over the same shared
 * headers (common/), so what the PoCL tests prove about the arithmetic holds here too. Built by
 * nvcc at package time into a fatbin (sm_80, sm_90, and compute_90 PTX for newer GPUs) and loaded
 * by CudaBackend through the driver API. extern "C" keeps the kernel names unmangled.
 *
 * Per work-item costs: sha256_fixed reads msgBytes and writes 32 bytes, (msgBytes + 8) / 64 + 1
 * compressions of ~1,100 integer operations; merkle_level reads 64, writes 32, 2 compressions;
 * merkle_levels reads 32 * 2^levels bytes per block and writes 32 (2^levels - 1 node hashes);
 * ed25519_verify reads 100 + len bytes, writes 1, ~3,100 field multiplications.
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

/* Several RFC 6962 levels per launch (see opencl/merkle.cl merkle_levels): block b reduces the
 * aligned 2^levels nodes starting at b * 2^levels to their ancestor; levels <= 8 (a block of 128
 * threads holds 256 nodes, 8 KiB of shared memory). */
#define AL_MERKLE_FUSED_NODES 256

extern "C" __global__ void merkle_levels(const unsigned char *nodes, unsigned int count, unsigned int levels,
                                         unsigned char *out) {
  __shared__ al_u8 buf[AL_MERKLE_FUSED_NODES * 32];
  unsigned int lid = threadIdx.x;
  unsigned int size = blockDim.x;
  unsigned int block = 1u << levels;
  al_u64 base = (al_u64)blockIdx.x * block;
  for (unsigned int j = lid; j < block; j += size) {
    if (base + j < count) {
      for (int i = 0; i < 32; i++) buf[j * 32u + i] = nodes[(base + j) * 32u + i];
    }
  }
  __syncthreads();
  al_u64 n = count;
  unsigned int width = block;
  for (unsigned int step = 0; step < levels; step++) {
    unsigned int parents = width / 2u;
    al_u8 h[32];
    int write = 0;
    if (lid < parents) {
      al_u64 left = base + 2u * lid;
      if (left + 1u < n) {
        al_u8 l[32], r[32];
        for (int i = 0; i < 32; i++) {
          l[i] = buf[2u * lid * 32u + i];
          r[i] = buf[(2u * lid + 1u) * 32u + i];
        }
        al_merkle_node(l, r, h);
        write = 1;
      } else if (left < n) {
        for (int i = 0; i < 32; i++) h[i] = buf[2u * lid * 32u + i];
        write = 1;
      }
    }
    __syncthreads();
    if (write) {
      for (int i = 0; i < 32; i++) buf[lid * 32u + i] = h[i];
    }
    __syncthreads();
    n = (n + 1u) / 2u;
    base /= 2u;
    width = parents;
  }
  if (lid == 0 && base < n) {
    for (int i = 0; i < 32; i++) out[base * 32u + i] = buf[i];
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
