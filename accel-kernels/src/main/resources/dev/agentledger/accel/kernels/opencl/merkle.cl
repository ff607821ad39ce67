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

/*
 * Several RFC 6962 levels per launch: work-group g reduces the aligned block of 2^levels nodes
 * starting at node g * 2^levels of a level of `count` nodes to its ancestor `levels` levels up
 * (node g of that level), in local memory with a barrier between levels. Each level applies the
 * same rule as merkle_level with the level's global node count, so an odd last node is carried
 * up exactly as level-by-level launches carry it. levels <= 7: a work-group of 64 work-items holds
 * 128 nodes (4 KiB of local memory). Per work-group: reads 32 * 2^levels bytes, writes 32;
 * 2^levels - 1 node hashes of two compressions each (fewer in the last, partial block).
 */
#define AL_MERKLE_FUSED_NODES 128

__kernel void merkle_levels(__global const uchar *nodes, uint count, uint levels, __global uchar *out) {
  __local uchar buf[AL_MERKLE_FUSED_NODES * 32];
  uint lid = (uint)get_local_id(0);
  uint size = (uint)get_local_size(0);
  uint block = 1u << levels;
  ulong base = (ulong)get_group_id(0) * block;
  for (uint j = lid; j < block; j += size) {
    if (base + j < count) {
      for (int i = 0; i < 32; i++) buf[j * 32u + i] = nodes[(base + j) * 32u + i];
    }
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  ulong n = count;
  uint width = block;
  for (uint step = 0; step < levels; step++) {
    uint parents = width / 2u;
    uchar h[32];
    int write = 0;
    if (lid < parents) {
      ulong left = base + 2u * lid;
      if (left + 1u < n) {
        uchar l[32], r[32];
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
    barrier(CLK_LOCAL_MEM_FENCE);
    if (write) {
      for (int i = 0; i < 32; i++) buf[lid * 32u + i] = h[i];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    n = (n + 1u) / 2u;
    base /= 2u;
    width = parents;
  }
  if (lid == 0 && base < n) {
    for (int i = 0; i < 32; i++) out[base * 32u + i] = buf[i];
  }
}
