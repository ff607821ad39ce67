/*
 * One RFC 6962 tree level (section 2.1), one parent per work-item: parent i =
 * SHA-256(0x01 || node[2i] || node[2i+1]); an odd last node is carried up unchanged, which
 * level by level gives exactly the RFC's split at the largest power of two below n.
 * Per work-item: reads 64 bytes, writes 32; two compressions (about 2,200 integer operations).
 * The host runs this once per level, ping-ponging two device buffers, to reduce a whole tree
 * without copying levels back.
 */
#include "common/sha256.h"

__kernel void merkle_level(__global const uchar *nodes, uint count, __global uchar *parents) {
  uint gid = (uint)get_global_id(0);
  uint parentsCount = (count + 1u) / 2u;
  if (gid >= parentsCount) return;
  __global const uchar *left = nodes + (ulong)gid * 64u;
  __global uchar *out = parents + (ulong)gid * 32u;
  if (2u * gid + 1u < count) {
    uchar l[32], r[32], h[32];
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
