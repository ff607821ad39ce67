/*
 * SHA-256 of fixed-size messages, one message per work-item (FIPS 180-4).
 * Per work-item: reads msgBytes bytes, writes 32 bytes; (msgBytes + 8) / 64 + 1 compressions of
 * about 1,100 32-bit integer operations each (see common/sha256.h).
 */
#include "common/sha256.h"

__kernel void sha256_fixed(__global const uchar *msgs, uint msgBytes, uint count, __global uchar *digests) {
  uint gid = (uint)get_global_id(0);
  if (gid >= count) return;
  uchar out[32];
  al_sha256_global(msgs + (ulong)gid * msgBytes, msgBytes, out);
  for (int i = 0; i < 32; i++) digests[(ulong)gid * 32u + i] = out[i];
}
