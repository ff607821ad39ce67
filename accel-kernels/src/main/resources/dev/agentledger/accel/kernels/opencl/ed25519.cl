/*
 * Ed25519 batch verification under ZIP-215, one signature per work-item.
 * Per work-item: reads 32 (A) + 64 (R || S) + 4 (length) + len (message) bytes, writes 1 byte;
 * about 3,100 field multiplications (~310,000 32x32->64 multiplies) plus SHA-512 over 64 + len
 * bytes: see common/ed25519.h for the breakdown.
 */
#include "common/ed25519.h"

__kernel void ed25519_verify(__global const uchar *pubs, __global const uchar *sigs, __global const uchar *msgs,
                             uint stride, __global const uint *lens, uint count, __global uchar *verdicts) {
  uint gid = (uint)get_global_id(0);
  if (gid >= count) return;
  uchar a[32], s[64];
  for (int i = 0; i < 32; i++) a[i] = pubs[(ulong)gid * 32u + i];
  for (int i = 0; i < 64; i++) s[i] = sigs[(ulong)gid * 64u + i];
  verdicts[gid] = (uchar)ed25519_verify_zip215(a, s, msgs + (ulong)gid * stride, lens[gid]);
}
