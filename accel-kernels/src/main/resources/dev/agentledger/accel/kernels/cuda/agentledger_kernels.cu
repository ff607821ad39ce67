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
