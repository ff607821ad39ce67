/*
 * fe25519.h: arithmetic in GF(2^255 - 19) with ten unsigned 32-bit limbs in radix 2^25.5
 * (limb i holds 26 bits when i is even, 25 when odd; limb i has weight 2^(25i + ceil(i/2))).
 * Products are accumulated in 64-bit integers: 32x32->64 multiplies are what GPUs do well.
 *
 * Invariant ("tight"): after every operation, even limbs < 2^26 + 2^15, odd limbs < 2^25 + 2^15.
 * fe_mul: 100 32x32->64 multiplies, 10 by 19, about 130 additions and a 12-step carry chain.
 * The representation is not unique; fe_tobytes produces the canonical encoding (RFC 7748 s.5).
 */
#ifndef AL_FE25519_H
#define AL_FE25519_H
#include "common/al_types.h"

typedef struct {
  al_u32 v[10];
} fe;

#define AL_M26 0x3ffffffu
#define AL_M25 0x1ffffffu

AL_FN void fe_set(fe *h, al_u32 a0, al_u32 a1, al_u32 a2, al_u32 a3, al_u32 a4, al_u32 a5, al_u32 a6,
                  al_u32 a7, al_u32 a8, al_u32 a9) {
  h->v[0] = a0; h->v[1] = a1; h->v[2] = a2; h->v[3] = a3; h->v[4] = a4;
  h->v[5] = a5; h->v[6] = a6; h->v[7] = a7; h->v[8] = a8; h->v[9] = a9;
}

AL_FN void fe_0(fe *h) { fe_set(h, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); }
AL_FN void fe_1(fe *h) { fe_set(h, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0); }
AL_FN void fe_copy(fe *h, const fe *f) {
  for (int i = 0; i < 10; i++) h->v[i] = f->v[i];
}

/* One carry pass over 64-bit limbs, wrapping the top carry as 19 * c (2^255 = 19 mod p). */
AL_FN void fe_carry_pass(al_u64 t[10]) {
  al_u64 c;
  c = t[0] >> 26; t[0] &= AL_M26; t[1] += c;
  c = t[1] >> 25; t[1] &= AL_M25; t[2] += c;
  c = t[2] >> 26; t[2] &= AL_M26; t[3] += c;
  c = t[3] >> 25; t[3] &= AL_M25; t[4] += c;
  c = t[4] >> 26; t[4] &= AL_M26; t[5] += c;
  c = t[5] >> 25; t[5] &= AL_M25; t[6] += c;
  c = t[6] >> 26; t[6] &= AL_M26; t[7] += c;
  c = t[7] >> 25; t[7] &= AL_M25; t[8] += c;
  c = t[8] >> 26; t[8] &= AL_M26; t[9] += c;
  c = t[9] >> 25; t[9] &= AL_M25; t[0] += 19u * c;
}

/* Carries 64-bit accumulators (each < 2^62) into a tight element. */
AL_FN void fe_reduce_wide(fe *h, al_u64 t[10]) {
  fe_carry_pass(t);
  al_u64 c = t[0] >> 26; t[0] &= AL_M26; t[1] += c;
  for (int i = 0; i < 10; i++) h->v[i] = (al_u32)t[i];
}

AL_FN void fe_add(fe *h, const fe *f, const fe *g) {
  al_u64 t[10];
  for (int i = 0; i < 10; i++) t[i] = (al_u64)f->v[i] + g->v[i];
  fe_reduce_wide(h, t);
}

/* h = f - g, computed as f + 4p - g so every limb stays non-negative. */
AL_FN void fe_sub(fe *h, const fe *f, const fe *g) {
  al_u64 t[10];
  t[0] = (al_u64)f->v[0] + 0xfffffb4u - g->v[0]; /* 4 * (2^26 - 19) */
  for (int i = 1; i < 10; i++) {
    al_u64 fourp = (i & 1) ? 0x7fffffcu : 0xffffffcu; /* 4 * (2^25 - 1), 4 * (2^26 - 1) */
    t[i] = (al_u64)f->v[i] + fourp - g->v[i];
  }
  fe_reduce_wide(h, t);
}

AL_FN void fe_neg(fe *h, const fe *f) {
  fe z;
  fe_0(&z);
  fe_sub(h, &z, f);
}

/* Schoolbook product: term f_i g_j lands in limb (i + j) mod 10, doubled when i and j are both
 * odd (the half bits of radix 2^25.5), times 19 when i + j >= 10. */
AL_FN_CALL void fe_mul(fe *h, const fe *f, const fe *g) {
  al_u64 t[10];
  al_u32 g19[10];
  AL_UNROLL
  for (int i = 0; i < 10; i++) {
    t[i] = 0;
    g19[i] = 19u * g->v[i];
  }
  AL_UNROLL
  for (int i = 0; i < 10; i++) {
    al_u64 fi = f->v[i];
    AL_UNROLL
    for (int j = 0; j < 10; j++) {
      al_u64 gj = (i + j >= 10) ? (al_u64)g19[j] : (al_u64)g->v[j];
      if ((i & j & 1) != 0) gj <<= 1;
      t[(i + j) % 10] += fi * gj;
    }
  }
  fe_reduce_wide(h, t);
}

AL_FN void fe_sq(fe *h, const fe *f) { fe_mul(h, f, f); }

AL_FN void fe_sqn(fe *h, const fe *f, int n) {
  fe_sq(h, f);
  for (int i = 1; i < n; i++) fe_sq(h, h);
}

/* Reads 255 little-endian bits (bit 255 ignored). Values in [p, 2^255) are accepted as is and
 * simply represent their residue: this is what ZIP-215's non-canonical encodings need. */
AL_FN void fe_frombytes(fe *h, const al_u8 s[32]) {
  al_u32 w[9];
  for (int i = 0; i < 8; i++) {
    w[i] = (al_u32)s[4 * i] | ((al_u32)s[4 * i + 1] << 8) | ((al_u32)s[4 * i + 2] << 16) |
           ((al_u32)s[4 * i + 3] << 24);
  }
  w[8] = 0;
  int pos = 0;
  for (int i = 0; i < 10; i++) {
    int width = (i & 1) ? 25 : 26;
    al_u64 pair = ((al_u64)w[(pos >> 5) + 1] << 32) | w[pos >> 5];
    h->v[i] = (al_u32)(pair >> (pos & 31)) & ((1u << width) - 1u);
    pos += width;
  }
}

/* Canonical 32-byte little-endian encoding of the residue in [0, p). */
AL_FN_CALL void fe_tobytes(al_u8 s[32], const fe *f) {
  al_u64 t[10];
  for (int i = 0; i < 10; i++) t[i] = f->v[i];
  /* Three passes leave every limb within its width and the value in [0, 2^255). */
  fe_carry_pass(t);
  fe_carry_pass(t);
  fe_carry_pass(t);
  /* If value + 19 >= 2^255 the value is >= p: keep value + 19 - 2^255. */
  al_u64 u[10];
  for (int i = 0; i < 10; i++) u[i] = t[i];
  u[0] += 19u;
  al_u64 c = 0;
  for (int i = 0; i < 10; i++) {
    int width = (i & 1) ? 25 : 26;
    u[i] += c;
    c = u[i] >> width;
    u[i] &= (1u << width) - 1u;
  }
  if (c != 0) {
    for (int i = 0; i < 10; i++) t[i] = u[i];
  }
  al_u32 w[9];
  for (int i = 0; i < 9; i++) w[i] = 0;
  int pos = 0;
  for (int i = 0; i < 10; i++) {
    int width = (i & 1) ? 25 : 26;
    al_u64 shifted = t[i] << (pos & 31);
    w[pos >> 5] |= (al_u32)shifted;
    w[(pos >> 5) + 1] |= (al_u32)(shifted >> 32);
    pos += width;
  }
  for (int i = 0; i < 8; i++) {
    s[4 * i] = (al_u8)w[i]; s[4 * i + 1] = (al_u8)(w[i] >> 8);
    s[4 * i + 2] = (al_u8)(w[i] >> 16); s[4 * i + 3] = (al_u8)(w[i] >> 24);
  }
}

AL_FN int fe_iszero(const fe *f) {
  al_u8 s[32];
  fe_tobytes(s, f);
  al_u32 acc = 0;
  for (int i = 0; i < 32; i++) acc |= s[i];
  return acc == 0;
}

/* "Negative" per RFC 8032 section 5.1.3: the canonical encoding is odd. */
AL_FN int fe_isodd(const fe *f) {
  al_u8 s[32];
  fe_tobytes(s, f);
  return s[0] & 1;
}

AL_FN int fe_equal(const fe *f, const fe *g) {
  fe d;
  fe_sub(&d, f, g);
  return fe_iszero(&d);
}

/* z^((p - 5) / 8) = z^(2^252 - 3): 251 squarings and 11 multiplications. */
AL_FN_CALL void fe_pow22523(fe *out, const fe *z) {
  fe t0, t1, t2;
  fe_sq(&t0, z);               /* z^2 */
  fe_sqn(&t1, &t0, 2);         /* z^8 */
  fe_mul(&t1, z, &t1);         /* z^9 */
  fe_mul(&t0, &t0, &t1);       /* z^11 */
  fe_sq(&t0, &t0);             /* z^22 */
  fe_mul(&t0, &t1, &t0);       /* z^31 = z^(2^5 - 1) */
  fe_sqn(&t1, &t0, 5);
  fe_mul(&t0, &t1, &t0);       /* z^(2^10 - 1) */
  fe_sqn(&t1, &t0, 10);
  fe_mul(&t1, &t1, &t0);       /* z^(2^20 - 1) */
  fe_sqn(&t2, &t1, 20);
  fe_mul(&t1, &t2, &t1);       /* z^(2^40 - 1) */
  fe_sqn(&t1, &t1, 10);
  fe_mul(&t0, &t1, &t0);       /* z^(2^50 - 1) */
  fe_sqn(&t1, &t0, 50);
  fe_mul(&t1, &t1, &t0);       /* z^(2^100 - 1) */
  fe_sqn(&t2, &t1, 100);
  fe_mul(&t1, &t2, &t1);       /* z^(2^200 - 1) */
  fe_sqn(&t1, &t1, 50);
  fe_mul(&t0, &t1, &t0);       /* z^(2^250 - 1) */
  fe_sqn(&t0, &t0, 2);         /* z^(2^252 - 4) */
  fe_mul(out, &t0, z);         /* z^(2^252 - 3) */
}

#endif
