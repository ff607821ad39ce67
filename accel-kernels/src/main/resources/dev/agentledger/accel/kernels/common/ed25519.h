/*
 * ed25519.h: Ed25519 signature verification under the ZIP-215 rules (cofactored equation
 * [8][S]B = [8]R + [8][k]A; S < L required; non-canonical encodings of A and R accepted,
 * including y >= p and x = 0 with the sign bit set; small-order A and R accepted).
 * Curve and encodings: RFC 8032 section 5.1; point formulas: Hisil, Wong, Carter, Dawson,
 * "Twisted Edwards curves revisited" (ASIACRYPT 2008), extended coordinates with a = -1,
 * whose unified addition is complete on Ed25519.
 *
 * [S]B - [k]A is one interleaved pass (Straus) over 253 doublings: S in width-8 NAF on a
 * precomputed table of 64 odd multiples of B (common/ed25519_base_table.h, affine Niels form, in
 * constant memory; 7 fe_mul per addition), k in width-5 NAF on 8 odd multiples of A computed per
 * work-item (cached form, 8 fe_mul per addition).
 *
 * Work per signature (one work-item): 2 decompressions (each one fe_pow22523, ~265 fe_mul),
 * SHA-512 over 64 + len bytes, 512 shift-subtract steps for k mod L, 253 doublings (7 fe_mul,
 * 8 when an addition follows), about 28 base additions (7) and 42 additions of A multiples (8),
 * 8 multiples of A (~80), then 3 doublings: about 3,100 fe_mul (the plain double-and-add of
 * before took 4,300), i.e. ~310,000 32x32->64 multiplies. Bytes read: 32 (A) + 64 (R, S) + len
 * (M); written: 1.
 */
#ifndef AL_ED25519_H
#define AL_ED25519_H
#include "common/fe25519.h"
#include "common/sha512.h"
#include "common/ed25519_base_table.h"

typedef struct {
  fe X, Y, Z, T; /* extended coordinates: x = X/Z, y = Y/Z, xy = T/Z */
} ge;

AL_FN void fe_d(fe *h) {
  fe_set(h, 56195235u, 13857412u, 51736253u, 6949390u, 114729u, 24766616u, 60832955u, 30306712u,
         48412415u, 21499315u);
}
AL_FN void fe_2d(fe *h) {
  fe_set(h, 45281625u, 27714825u, 36363642u, 13898781u, 229458u, 15978800u, 54557047u, 27058993u,
         29715967u, 9444199u);
}
AL_FN void fe_sqrtm1(fe *h) {
  fe_set(h, 34513072u, 25610706u, 9377949u, 3500415u, 12389472u, 33281959u, 41962654u, 31548777u,
         326685u, 11406482u);
}

AL_FN void ge_identity(ge *r) {
  fe_0(&r->X); fe_1(&r->Y); fe_1(&r->Z); fe_0(&r->T);
}

/* The base point B of RFC 8032 section 5.1 (y = 4/5, x even). */
AL_FN void ge_base(ge *r) {
  fe_set(&r->X, 52811034u, 25909283u, 16144682u, 17082669u, 27570973u, 30858332u, 40966398u, 8378388u,
         20764389u, 8758491u);
  fe_set(&r->Y, 40265304u, 26843545u, 13421772u, 20132659u, 26843545u, 6710886u, 53687091u, 13421772u,
         40265318u, 26843545u);
  fe_1(&r->Z);
  fe_set(&r->T, 28827043u, 27438313u, 39759291u, 244362u, 8635006u, 11264893u, 19351346u, 13413597u,
         16611511u, 27139452u);
}

AL_FN void ge_neg(ge *r, const ge *p) {
  fe_neg(&r->X, &p->X);
  fe_copy(&r->Y, &p->Y);
  fe_copy(&r->Z, &p->Z);
  fe_neg(&r->T, &p->T);
}

/* add-2008-hwcd-3: 9 fe_mul; complete (valid for every pair of points, small order included). */
AL_FN_CALL void ge_add(ge *r, const ge *p, const ge *q) {
  fe a, b, c, d, e, f, g, h, t;
  fe_sub(&a, &p->Y, &p->X);
  fe_sub(&t, &q->Y, &q->X);
  fe_mul(&a, &a, &t);
  fe_add(&b, &p->Y, &p->X);
  fe_add(&t, &q->Y, &q->X);
  fe_mul(&b, &b, &t);
  fe_2d(&t);
  fe_mul(&c, &p->T, &t);
  fe_mul(&c, &c, &q->T);
  fe_mul(&d, &p->Z, &q->Z);
  fe_add(&d, &d, &d);
  fe_sub(&e, &b, &a);
  fe_sub(&f, &d, &c);
  fe_add(&g, &d, &c);
  fe_add(&h, &b, &a);
  fe_mul(&r->X, &e, &f);
  fe_mul(&r->Y, &g, &h);
  fe_mul(&r->T, &e, &h);
  fe_mul(&r->Z, &f, &g);
}

/* dbl-2008-hwcd with a = -1: 4 squarings + 4 multiplications. */
AL_FN_CALL void ge_dbl(ge *r, const ge *p) {
  fe a, b, c, e, g, f, h, t;
  fe_sq(&a, &p->X);
  fe_sq(&b, &p->Y);
  fe_sq(&c, &p->Z);
  fe_add(&c, &c, &c);
  fe_add(&t, &p->X, &p->Y);
  fe_sq(&t, &t);
  fe_sub(&e, &t, &a);
  fe_sub(&e, &e, &b);  /* E = (X + Y)^2 - A - B = 2XY */
  fe_sub(&g, &b, &a);  /* G = D + B with D = -A */
  fe_sub(&f, &g, &c);  /* F = G - C */
  fe_add(&h, &a, &b);
  fe_neg(&h, &h);      /* H = D - B = -A - B */
  fe_mul(&r->X, &e, &f);
  fe_mul(&r->Y, &g, &h);
  fe_mul(&r->T, &e, &h);
  fe_mul(&r->Z, &f, &g);
}


/* (Y + X, Y - X, 2dXY) of an affine point (Z = 1): the base table's form. */
typedef struct {
  fe ypx, ymx, xy2d;
} ge_niels;

/* (Y + X, Y - X, 2Z, 2dT): an extended point prepared as the second operand of an addition. */
typedef struct {
  fe ypx, ymx, z2, t2d;
} ge_cached;

AL_FN void ge_to_cached(ge_cached *c, const ge *p) {
  fe d2;
  fe_add(&c->ypx, &p->Y, &p->X);
  fe_sub(&c->ymx, &p->Y, &p->X);
  fe_add(&c->z2, &p->Z, &p->Z);
  fe_2d(&d2);
  fe_mul(&c->t2d, &p->T, &d2);
}

/* r = p + q (sign > 0) or p - q (sign < 0) for a cached q: 8 fe_mul (7 without T). */
AL_FN_CALL void ge_add_cached(ge *r, const ge *p, const ge_cached *q, int sign, int with_t) {
  fe a, b, c, d, e, f, g, h;
  fe_add(&a, &p->Y, &p->X);
  fe_mul(&b, &a, sign > 0 ? &q->ypx : &q->ymx);
  fe_sub(&a, &p->Y, &p->X);
  fe_mul(&a, &a, sign > 0 ? &q->ymx : &q->ypx);
  fe_mul(&c, &p->T, &q->t2d);
  if (sign < 0) fe_neg(&c, &c);
  fe_mul(&d, &p->Z, &q->z2);
  fe_sub(&e, &b, &a);
  fe_sub(&f, &d, &c);
  fe_add(&g, &d, &c);
  fe_add(&h, &b, &a);
  fe_mul(&r->X, &e, &f);
  fe_mul(&r->Y, &g, &h);
  if (with_t) fe_mul(&r->T, &e, &h);
  fe_mul(&r->Z, &f, &g);
}

/* r = p + sign * AL_ED_BASE_ODD[index] (affine Niels): 7 fe_mul (6 without T). */
AL_FN_CALL void ge_add_base(ge *r, const ge *p, int index, int sign, int with_t) {
  fe q0, q1, q2, a, b, c, d, e, f, g, h;
  for (int i = 0; i < 10; i++) {
    q0.v[i] = AL_ED_BASE_ODD[index][i];
    q1.v[i] = AL_ED_BASE_ODD[index][10 + i];
    q2.v[i] = AL_ED_BASE_ODD[index][20 + i];
  }
  fe_add(&a, &p->Y, &p->X);
  fe_mul(&b, &a, sign > 0 ? &q0 : &q1);
  fe_sub(&a, &p->Y, &p->X);
  fe_mul(&a, &a, sign > 0 ? &q1 : &q0);
  fe_mul(&c, &p->T, &q2);
  if (sign < 0) fe_neg(&c, &c);
  fe_add(&d, &p->Z, &p->Z);
  fe_sub(&e, &b, &a);
  fe_sub(&f, &d, &c);
  fe_add(&g, &d, &c);
  fe_add(&h, &b, &a);
  fe_mul(&r->X, &e, &f);
  fe_mul(&r->Y, &g, &h);
  if (with_t) fe_mul(&r->T, &e, &h);
  fe_mul(&r->Z, &f, &g);
}

/* r = 2p computing T only when with_t (dbl-2008-hwcd, a = -1): 4 squarings + 3 or 4 fe_mul. */
AL_FN_CALL void ge_dbl_t(ge *r, const ge *p, int with_t) {
  fe a, b, c, e, g, f, h, t;
  fe_sq(&a, &p->X);
  fe_sq(&b, &p->Y);
  fe_sq(&c, &p->Z);
  fe_add(&c, &c, &c);
  fe_add(&t, &p->X, &p->Y);
  fe_sq(&t, &t);
  fe_sub(&e, &t, &a);
  fe_sub(&e, &e, &b);
  fe_sub(&g, &b, &a);
  fe_sub(&f, &g, &c);
  fe_add(&h, &a, &b);
  fe_neg(&h, &h);
  fe_mul(&r->X, &e, &f);
  fe_mul(&r->Y, &g, &h);
  if (with_t) fe_mul(&r->T, &e, &h);
  fe_mul(&r->Z, &f, &g);
}

/* Width-w NAF of a 256-bit scalar (eight little-endian words, below 2^255) into naf[0..255]:
 * non-zero digits are odd, below 2^(w-1) in absolute value, at least w - 1 zeros apart. */
AL_FN void sc_wnaf(signed char naf[256], const al_u32 s[8], int w) {
  for (int i = 0; i < 256; i++) naf[i] = 0;
  int width = 1 << w;
  int carry = 0;
  int pos = 0;
  while (pos < 256) {
    int bit = (int)((s[pos >> 5] >> (pos & 31)) & 1u);
    if (bit == carry) {
      pos++;
      continue;
    }
    /* window of w bits starting at pos, plus the carry */
    int window = carry;
    for (int j = 0; j < w && pos + j < 256; j++) {
      window += (int)((s[(pos + j) >> 5] >> ((pos + j) & 31)) & 1u) << j;
    }
    if (window & (width >> 1)) {
      naf[pos] = (signed char)(window - width);
      carry = 1;
    } else {
      naf[pos] = (signed char)window;
      carry = 0;
    }
    pos += w;
  }
}

/* r = [s]B - [k]A (variable time; s, k below 2^253): one doubling chain, width-8 NAF of s on
 * AL_ED_BASE_ODD, width-5 NAF of k on the odd multiples A, 3A, ..., 15A. */
AL_FN_CALL void ge_double_scalar_vartime(ge *r, const al_u32 s[8], const al_u32 k[8], const ge *a) {
  signed char ns[256], nk[256];
  sc_wnaf(ns, s, 8);
  sc_wnaf(nk, k, 5);
  ge_cached odd[8];
  ge acc, twice;
  ge_to_cached(&odd[0], a);
  ge_dbl_t(&twice, a, 1);
  ge_cached twice_c;
  ge_to_cached(&twice_c, &twice);
  acc = *a;
  for (int i = 1; i < 8; i++) {
    ge_add_cached(&acc, &acc, &twice_c, 1, 1);
    ge_to_cached(&odd[i], &acc);
  }
  int top = 255;
  while (top >= 0 && ns[top] == 0 && nk[top] == 0) top--;
  ge_identity(r);
  for (int i = top; i >= 0; i--) {
    int ds = ns[i], dk = nk[i];
    ge_dbl_t(r, r, ds != 0 || dk != 0 || i == 0);
    if (ds != 0) ge_add_base(r, r, (ds > 0 ? ds : -ds) >> 1, ds > 0 ? 1 : -1, dk != 0 || i == 0);
    if (dk != 0) ge_add_cached(r, r, &odd[(dk > 0 ? dk : -dk) >> 1], dk > 0 ? -1 : 1, i == 0);
  }
}
/*
 * ZIP-215 point decoding: y is read from 255 bits without a canonicality check, x is recovered
 * as sqrt((y^2 - 1) / (d y^2 + 1)) (RFC 8032 section 5.1.3 steps 2-4); a sign bit of 1 with
 * x = 0 is accepted (it denotes the same point). Returns 1 when s encodes a curve point.
 */
AL_FN_CALL int ge_frombytes_zip215(ge *r, const al_u8 s[32]) {
  fe y, u, v, v3, x, t, d;
  fe_frombytes(&y, s);
  int sign = s[31] >> 7;
  fe_sq(&u, &y);
  fe_d(&d);
  fe_mul(&v, &u, &d);
  fe_1(&t);
  fe_sub(&u, &u, &t);        /* u = y^2 - 1 */
  fe_add(&v, &v, &t);        /* v = d y^2 + 1 */
  fe_sq(&v3, &v);
  fe_mul(&v3, &v3, &v);      /* v^3 */
  fe_sq(&x, &v3);
  fe_mul(&x, &x, &v);        /* v^7 */
  fe_mul(&x, &x, &u);        /* u v^7 */
  fe_pow22523(&x, &x);       /* (u v^7)^((p-5)/8) */
  fe_mul(&x, &x, &v3);
  fe_mul(&x, &x, &u);        /* candidate x = u v^3 (u v^7)^((p-5)/8) */
  fe_sq(&t, &x);
  fe_mul(&t, &t, &v);        /* v x^2 */
  if (!fe_equal(&t, &u)) {
    fe nu;
    fe_neg(&nu, &u);
    if (!fe_equal(&t, &nu)) return 0;
    fe_sqrtm1(&t);
    fe_mul(&x, &x, &t);
  }
  if (fe_isodd(&x) != sign) fe_neg(&x, &x);
  fe_copy(&r->X, &x);
  fe_copy(&r->Y, &y);
  fe_1(&r->Z);
  fe_mul(&r->T, &x, &y);
  return 1;
}

/* Little-endian 256-bit scalars as eight 32-bit words. L = 2^252 + 27742317777372353535851937790883648493. */
AL_FN void sc_L(al_u32 l[8]) {
  l[0] = 0x5cf5d3edu; l[1] = 0x5812631au; l[2] = 0xa2f79cd6u; l[3] = 0x14def9deu;
  l[4] = 0u; l[5] = 0u; l[6] = 0u; l[7] = 0x10000000u;
}

/* 1 when a >= b. */
AL_FN int sc_geq(const al_u32 a[8], const al_u32 b[8]) {
  for (int i = 7; i >= 0; i--) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return 1;
}

AL_FN void sc_sub(al_u32 a[8], const al_u32 b[8]) {
  al_u64 borrow = 0;
  for (int i = 0; i < 8; i++) {
    al_u64 d = (al_u64)a[i] - b[i] - borrow;
    a[i] = (al_u32)d;
    borrow = (d >> 63) & 1u;
  }
}

/* r = (64-byte little-endian integer h) mod L, by 512 shift-and-conditional-subtract steps
 * (r < L < 2^253 stays inside 256 bits). */
AL_FN_CALL void sc_reduce512(al_u32 r[8], const al_u8 h[64]) {
  al_u32 l[8];
  sc_L(l);
  for (int i = 0; i < 8; i++) r[i] = 0;
  for (int bit = 511; bit >= 0; bit--) {
    al_u32 in = (h[bit >> 3] >> (bit & 7)) & 1u;
    for (int i = 7; i > 0; i--) r[i] = (r[i] << 1) | (r[i - 1] >> 31);
    r[0] = (r[0] << 1) | in;
    if (sc_geq(r, l)) sc_sub(r, l);
  }
}

AL_FN void sc_frombytes(al_u32 r[8], const al_u8 s[32]) {
  for (int i = 0; i < 8; i++) {
    r[i] = (al_u32)s[4 * i] | ((al_u32)s[4 * i + 1] << 8) | ((al_u32)s[4 * i + 2] << 16) |
           ((al_u32)s[4 * i + 3] << 24);
  }
}

/*
 * Verifies one signature under ZIP-215. pub: A (32 bytes); sig: R || S (64 bytes);
 * msg: len bytes in device memory. Returns 1 for valid, 0 for invalid.
 */
AL_FN int ed25519_verify_zip215(const al_u8 pub[32], const al_u8 sig[64], AL_GLOBAL const al_u8 *msg,
                                al_u32 len) {
  al_u32 s[8], l[8], k[8];
  al_u8 rb[32], sb[32], hash[64];
  for (int i = 0; i < 32; i++) {
    rb[i] = sig[i];
    sb[i] = sig[32 + i];
  }
  sc_frombytes(s, sb);
  sc_L(l);
  if (sc_geq(s, l)) return 0;               /* S must be canonical: S < L */
  ge a, r;
  if (!ge_frombytes_zip215(&a, pub)) return 0;
  if (!ge_frombytes_zip215(&r, rb)) return 0;
  al_sha512_64_global(rb, pub, msg, len, hash);
  sc_reduce512(k, hash);                    /* k = SHA-512(R || A || M) mod L */

  /* P = [S]B - [k]A: width-8 NAF of S on the base table, width-5 NAF of k on odd multiples of A. */
  ge p, t;
  ge_double_scalar_vartime(&p, s, k, &a);
  /* Q = [8](P - R) must be the identity: X = 0 and Y = Z. */
  ge nr;
  ge_neg(&nr, &r);
  ge_add(&t, &p, &nr);
  ge_dbl(&t, &t);
  ge_dbl(&t, &t);
  ge_dbl(&t, &t);
  if (!fe_iszero(&t.X)) return 0;
  return fe_equal(&t.Y, &t.Z);
}

#endif
