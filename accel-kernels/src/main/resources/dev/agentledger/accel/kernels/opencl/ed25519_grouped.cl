/*
 * Ed25519 batch verification under ZIP-215, one group of AL_ED_GROUP consecutive signatures per
 * work-item (the batched form of ed25519.cl).
 *
 * With host-drawn random coefficients z_i (16 bytes per item, little-endian; the kernel sets bit
 * 127, so z_i is in [2^127, 2^128) and never zero), a group is
 * accepted as a whole when
 *   [8]( [sum z_i S_i mod L] B - sum [z_i k_i mod L] A_i - sum [z_i] R_i ) = identity,
 * one doubling chain shared by the group (Straus): the sum of S on the width-8 base table, each
 * z_i k_i in width-5 NAF on eight odd multiples of A_i, each z_i (128 bits, so only the low 128
 * steps add) in width-5 NAF on eight odd multiples of R_i. When an item fails its S < L check or
 * its decoding, or the group equation fails, every item of the group is verified on its own with
 * the per-signature code (ed25519_verify_zip215), so the verdicts are those of ed25519.cl. An
 * fallback counts itself in fallbacks[0]. An invalid signature passes the group equation only when its coefficient hits one value mod L
 * (probability at most 2^-127), as in the CPU's batch verifier.
 *
 * Work per signature (AL_ED_GROUP = 8): 2 decompressions (~530 fe_mul), SHA-512 over 64 + len
 * bytes, 3 reductions mod L, the odd multiples of A and R (~150), about 42 + 21 additions (8
 * each, ~510), plus an eighth of the chain's 253 doublings and ~28 base additions (~270 / 8): about
 * 1,250 fe_mul per valid signature against ~3,100 in ed25519.cl. Private memory per work-item:
 * 2 x 8 x 8 cached points (20 KB) and 2 x 8 NAFs (4 KB). Bytes read: 32 + 64 + 16 + 4 + len per
 * item; written: 1 per item.
 */
#include "common/ed25519.h"

#define AL_ED_GROUP 8

/* r = (a * z) mod L for a below 2^256 (8 words) and z below 2^128 (4 words). */
static void sc_mul128(al_u32 r[8], const al_u32 a[8], const al_u32 z[4]) {
  al_u32 w[16];
  for (int i = 0; i < 16; i++) w[i] = 0u;
  for (int i = 0; i < 8; i++) {
    al_u64 carry = 0;
    for (int j = 0; j < 4; j++) {
      al_u64 t = (al_u64)a[i] * z[j] + w[i + j] + carry;
      w[i + j] = (al_u32)t;
      carry = t >> 32;
    }
    w[i + 4] = (al_u32)carry;
  }
  al_u8 bytes[64];
  for (int i = 0; i < 16; i++) {
    bytes[4 * i] = (al_u8)w[i];
    bytes[4 * i + 1] = (al_u8)(w[i] >> 8);
    bytes[4 * i + 2] = (al_u8)(w[i] >> 16);
    bytes[4 * i + 3] = (al_u8)(w[i] >> 24);
  }
  sc_reduce512(r, bytes);
}

/* a = (a + b) mod L for a, b below L. */
static void sc_add_mod(al_u32 a[8], const al_u32 b[8]) {
  al_u64 carry = 0;
  for (int i = 0; i < 8; i++) {
    al_u64 t = (al_u64)a[i] + b[i] + carry;
    a[i] = (al_u32)t;
    carry = t >> 32;
  }
  al_u32 l[8];
  sc_L(l);
  if (sc_geq(a, l)) sc_sub(a, l); /* a + b < 2L < 2^254: no carry out of 256 bits */
}

/* table[i] = (2i + 1) p in cached form, i < 8. */
static void odd_multiples(ge_cached table[8], const ge *p) {
  ge acc, twice;
  ge_cached twice_c;
  ge_to_cached(&table[0], p);
  ge_dbl_t(&twice, p, 1);
  ge_to_cached(&twice_c, &twice);
  acc = *p;
  for (int i = 1; i < 8; i++) {
    ge_add_cached(&acc, &acc, &twice_c, 1, 1);
    ge_to_cached(&table[i], &acc);
  }
}

/* 1 when the group [first, first + n) satisfies the combined equation, 0 when it must be checked
 * item by item (a failed S < L check or decoding counts as a failed group). */
static int group_equation(__global const uchar *pubs, __global const uchar *sigs, __global const uchar *msgs,
                          uint stride, __global const uint *lens, __global const uchar *coeffs, uint first,
                          uint n) {
  signed char naf_a[AL_ED_GROUP][256], naf_r[AL_ED_GROUP][256], naf_s[256];
  ge_cached odd_a[AL_ED_GROUP][8], odd_r[AL_ED_GROUP][8];
  al_u32 ssum[8], l[8];
  sc_L(l);
  for (int i = 0; i < 8; i++) ssum[i] = 0u;
  for (uint j = 0; j < n; j++) {
    uint item = first + j;
    al_u8 a[32], rb[32], sb[32], hash[64];
    for (int i = 0; i < 32; i++) {
      a[i] = pubs[(ulong)item * 32u + i];
      rb[i] = sigs[(ulong)item * 64u + i];
      sb[i] = sigs[(ulong)item * 64u + 32u + i];
    }
    al_u32 s[8], k[8], z[8], t[8];
    sc_frombytes(s, sb);
    if (sc_geq(s, l)) return 0;
    ge pa, pr;
    if (!ge_frombytes_zip215(&pa, a)) return 0;
    if (!ge_frombytes_zip215(&pr, rb)) return 0;
    al_sha512_64_global(rb, a, msgs + (ulong)item * stride, lens[item], hash);
    sc_reduce512(k, hash);
    for (int i = 0; i < 4; i++) {
      uint o = item * 16u + 4u * (uint)i;
      z[i] = (al_u32)coeffs[o] | ((al_u32)coeffs[o + 1] << 8) | ((al_u32)coeffs[o + 2] << 16) |
             ((al_u32)coeffs[o + 3] << 24);
      z[i + 4] = 0u;
    }
    z[3] |= 0x80000000u; /* z in [2^127, 2^128): never zero, whatever the host sent */
    sc_mul128(t, s, z);
    sc_add_mod(ssum, t);
    sc_mul128(t, k, z);
    sc_wnaf(naf_a[j], t, 5);
    sc_wnaf(naf_r[j], z, 5);
    odd_multiples(odd_a[j], &pa);
    odd_multiples(odd_r[j], &pr);
  }
  sc_wnaf(naf_s, ssum, 8);
  ge p;
  ge_identity(&p);
  for (int i = 255; i >= 0; i--) {
    ge_dbl_t(&p, &p, 1);
    int ds = naf_s[i];
    if (ds != 0) ge_add_base(&p, &p, (ds > 0 ? ds : -ds) >> 1, ds > 0 ? 1 : -1, 1);
    for (uint j = 0; j < n; j++) {
      int da = naf_a[j][i];
      if (da != 0) ge_add_cached(&p, &p, &odd_a[j][(da > 0 ? da : -da) >> 1], da > 0 ? -1 : 1, 1);
      int dr = naf_r[j][i];
      if (dr != 0) ge_add_cached(&p, &p, &odd_r[j][(dr > 0 ? dr : -dr) >> 1], dr > 0 ? -1 : 1, 1);
    }
  }
  ge_dbl(&p, &p);
  ge_dbl(&p, &p);
  ge_dbl(&p, &p);
  return fe_iszero(&p.X) && fe_equal(&p.Y, &p.Z);
}

__kernel void ed25519_verify_grouped(__global const uchar *pubs, __global const uchar *sigs,
                                     __global const uchar *msgs, uint stride, __global const uint *lens,
                                     __global const uchar *coeffs, uint count, __global uchar *verdicts,
                                     __global uint *fallbacks) {
  uint first = (uint)get_global_id(0) * AL_ED_GROUP;
  if (first >= count) return;
  uint n = min((uint)AL_ED_GROUP, count - first);
  if (group_equation(pubs, sigs, msgs, stride, lens, coeffs, first, n)) {
    for (uint j = 0; j < n; j++) verdicts[first + j] = 1;
    return;
  }
  atomic_inc(fallbacks);
  for (uint j = 0; j < n; j++) {
    uint item = first + j;
    uchar a[32], s[64];
    for (int i = 0; i < 32; i++) a[i] = pubs[(ulong)item * 32u + i];
    for (int i = 0; i < 64; i++) s[i] = sigs[(ulong)item * 64u + i];
    verdicts[item] = (uchar)ed25519_verify_zip215(a, s, msgs + (ulong)item * stride, lens[item]);
  }
}
