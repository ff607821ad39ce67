/*
 * ed25519.h: Ed25519 signature verification under the ZIP-215 rules (cofactored equation
 * [8][S]B = [8]R + [8][k]A; S < L required; non-canonical encodings of A and R accepted,
 * including y >= p and x = 0 with the sign bit set; small-order A and R accepted).
 * Curve and encodings: RFC 8032 section 5.1; point formulas: Hisil, Wong, Carter, Dawson,
 * "Twisted Edwards curves revisited" (ASIACRYPT 2008), extended coordinates with a = -1,
 * whose unified addition is complete on Ed25519.
 *
 * Work per signature (one work-item): 2 decompressions (each one fe_pow22523, ~265 fe_mul),
 * SHA-512 over 64 + len bytes, 512 shift-subtract steps for k mod L, 256 doublings (8 fe_mul
 * each) and on average 192 additions (9 fe_mul each), then 3 doublings: about 4,300 fe_mul,
 * i.e. ~430,000 32x32->64 multiplies. Bytes read: 32 (A) + 64 (R, S) + len (M); written: 1.
 */
#ifndef AL_ED25519_H
#define AL_ED25519_H
#include "common/fe25519.h"
#include "common/sha512.h"

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

  /* P = [S]B + [k](-A), joint double-and-add over 253 bits (Straus/Shamir). */
  ge b, na, bna, p, t;
  ge_base(&b);
  ge_neg(&na, &a);
  ge_add(&bna, &b, &na);
  ge_identity(&p);
  for (int i = 252; i >= 0; i--) {
    ge_dbl(&p, &p);
    int bs = (s[i >> 5] >> (i & 31)) & 1;
    int bk = (k[i >> 5] >> (i & 31)) & 1;
    if (bs && bk) {
      ge_add(&t, &p, &bna); p = t;
    } else if (bs) {
      ge_add(&t, &p, &b); p = t;
    } else if (bk) {
      ge_add(&t, &p, &na); p = t;
    }
  }
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
