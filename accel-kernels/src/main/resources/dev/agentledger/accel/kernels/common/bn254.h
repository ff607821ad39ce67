/*
 * BN254 base field and G1 arithmetic for the OpenCL and CUDA MSM kernels: Montgomery form on four
 * 64-bit limbs (CIOS multiplication), Jacobian coordinates with a = 0. Mirrors the CPU reference
 * in the zk module (dev.agentledger.zk.field.MontField, dev.agentledger.zk.curve.CurveOps).
 */
#ifndef AL_BN254_H
#define AL_BN254_H

#include "common/al_types.h"

#if defined(__OPENCL_VERSION__)
#define AL_MULHI64(a, b) mul_hi((a), (b))
#elif defined(__CUDACC__)
#define AL_MULHI64(a, b) __umul64hi((a), (b))
#else
#define AL_MULHI64(a, b) ((al_u64)(((unsigned __int128)(a) * (b)) >> 64))
#endif

#if defined(__OPENCL_VERSION__)
#define AL_U64(x) x##UL
#else
#define AL_U64(x) x##ULL
#endif

typedef struct { al_u64 v[4]; } fp;
typedef struct { fp x, y; } g1_aff;
typedef struct { fp x, y, z; } g1_jac;

#define BN254_P0 AL_U64(0x3c208c16d87cfd47)
#define BN254_P1 AL_U64(0x97816a916871ca8d)
#define BN254_P2 AL_U64(0xb85045b68181585d)
#define BN254_P3 AL_U64(0x30644e72e131a029)
#define BN254_INV AL_U64(0x87d20782e4866389)
/* R mod p: Montgomery one */
#define BN254_ONE0 AL_U64(0xd35d438dc58f0d9d)
#define BN254_ONE1 AL_U64(0x0a78eb28f5c70b3d)
#define BN254_ONE2 AL_U64(0x666ea36f7879462c)
#define BN254_ONE3 AL_U64(0x0e0a77c19a07df2f)

AL_FN int fp_is_zero(const fp *a) { return (a->v[0] | a->v[1] | a->v[2] | a->v[3]) == 0; }

AL_FN int fp_eq(const fp *a, const fp *b) {
  return a->v[0] == b->v[0] && a->v[1] == b->v[1] && a->v[2] == b->v[2] && a->v[3] == b->v[3];
}

/* r = t - p if t >= p (t < 2p) */
AL_FN void fp_reduce_once(fp *r, al_u64 t0, al_u64 t1, al_u64 t2, al_u64 t3) {
  const al_u64 p[4] = {BN254_P0, BN254_P1, BN254_P2, BN254_P3};
  al_u64 t[4] = {t0, t1, t2, t3};
  al_u64 d[4];
  al_u64 borrow = 0;
  for (int i = 0; i < 4; i++) {
    al_u64 s = t[i] - p[i];
    al_u64 b1 = t[i] < p[i];
    al_u64 s2 = s - borrow;
    al_u64 b2 = s < borrow;
    d[i] = s2;
    borrow = b1 | b2;
  }
  for (int i = 0; i < 4; i++) r->v[i] = borrow ? t[i] : d[i];
}

AL_FN void fp_add(fp *r, const fp *a, const fp *b) {
  al_u64 s[4];
  al_u64 c = 0;
  for (int i = 0; i < 4; i++) {
    al_u64 x = a->v[i] + b->v[i];
    al_u64 c1 = x < a->v[i];
    al_u64 y = x + c;
    al_u64 c2 = y < x;
    s[i] = y;
    c = c1 | c2;
  }
  fp_reduce_once(r, s[0], s[1], s[2], s[3]);
}

AL_FN void fp_sub(fp *r, const fp *a, const fp *b) {
  const al_u64 p[4] = {BN254_P0, BN254_P1, BN254_P2, BN254_P3};
  al_u64 d[4];
  al_u64 borrow = 0;
  for (int i = 0; i < 4; i++) {
    al_u64 x = a->v[i] - b->v[i];
    al_u64 b1 = a->v[i] < b->v[i];
    al_u64 y = x - borrow;
    al_u64 b2 = x < borrow;
    d[i] = y;
    borrow = b1 | b2;
  }
  al_u64 c = 0;
  for (int i = 0; i < 4; i++) {
    al_u64 add = borrow ? p[i] : 0;
    al_u64 x = d[i] + add;
    al_u64 c1 = x < d[i];
    al_u64 y = x + c;
    al_u64 c2 = y < x;
    r->v[i] = y;
    c = c1 | c2;
  }
}

AL_FN void fp_neg(fp *r, const fp *a) {
  fp z = {{0, 0, 0, 0}};
  fp_sub(r, &z, a);
}

/* (hi, lo) = a * b + c + d, never overflowing 128 bits */
AL_FN al_u64 mac(al_u64 a, al_u64 b, al_u64 c, al_u64 d, al_u64 *hi) {
  al_u64 lo = a * b;
  al_u64 h = AL_MULHI64(a, b);
  al_u64 s = lo + c;
  h += s < lo;
  al_u64 s2 = s + d;
  h += s2 < s;
  *hi = h;
  return s2;
}

/* CIOS Montgomery multiplication, no-final-carry form (p's top limb < 2^63 - 1) */
AL_FN_CALL void fp_mul(fp *r, const fp *a, const fp *b) {
  const al_u64 p[4] = {BN254_P0, BN254_P1, BN254_P2, BN254_P3};
  al_u64 t[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    al_u64 A, C, m;
    t[0] = mac(a->v[0], b->v[i], t[0], 0, &A);
    m = t[0] * BN254_INV;
    mac(m, p[0], t[0], 0, &C);
    for (int j = 1; j < 4; j++) {
      t[j] = mac(a->v[j], b->v[i], t[j], A, &A);
      t[j - 1] = mac(m, p[j], t[j], C, &C);
    }
    t[3] = C + A;
  }
  fp_reduce_once(r, t[0], t[1], t[2], t[3]);
}

AL_FN void fp_sqr(fp *r, const fp *a) { fp_mul(r, a, a); }

AL_FN void fp_dbl(fp *r, const fp *a) { fp_add(r, a, a); }

AL_FN void fp_set_one(fp *r) {
  r->v[0] = BN254_ONE0;
  r->v[1] = BN254_ONE1;
  r->v[2] = BN254_ONE2;
  r->v[3] = BN254_ONE3;
}

AL_FN void g1_set_infinity(g1_jac *r) {
  fp_set_one(&r->x);
  fp_set_one(&r->y);
  for (int i = 0; i < 4; i++) r->z.v[i] = 0;
}

/* r = 2p, dbl-2009-l */
AL_FN void g1_dbl(g1_jac *r, const g1_jac *p) {
  if (fp_is_zero(&p->z)) {
    *r = *p;
    return;
  }
  fp a, b, c, d, e, f, z3, t;
  fp_sqr(&a, &p->x);
  fp_sqr(&b, &p->y);
  fp_sqr(&c, &b);
  fp_add(&d, &p->x, &b);
  fp_sqr(&d, &d);
  fp_sub(&d, &d, &a);
  fp_sub(&d, &d, &c);
  fp_dbl(&d, &d);
  fp_dbl(&e, &a);
  fp_add(&e, &e, &a);
  fp_sqr(&f, &e);
  fp_mul(&z3, &p->y, &p->z);
  fp_dbl(&z3, &z3);
  fp_sub(&t, &f, &d);
  fp_sub(&r->x, &t, &d);
  fp_sub(&d, &d, &r->x);
  fp_mul(&d, &d, &e);
  fp_dbl(&c, &c);
  fp_dbl(&c, &c);
  fp_dbl(&c, &c);
  fp_sub(&r->y, &d, &c);
  r->z = z3;
}

/* r = p + q with q affine (madd-2007-bl); q all zeros is infinity */
AL_FN void g1_add_affine(g1_jac *r, const g1_jac *p, const g1_aff *q) {
  if (fp_is_zero(&q->x) && fp_is_zero(&q->y)) {
    *r = *p;
    return;
  }
  if (fp_is_zero(&p->z)) {
    r->x = q->x;
    r->y = q->y;
    fp_set_one(&r->z);
    return;
  }
  fp z1z1, u2, s2, h, hh, i, j, rr, v, z3, y1j, t;
  fp_sqr(&z1z1, &p->z);
  fp_mul(&u2, &q->x, &z1z1);
  fp_mul(&s2, &q->y, &p->z);
  fp_mul(&s2, &s2, &z1z1);
  fp_sub(&h, &u2, &p->x);
  fp_sub(&rr, &s2, &p->y);
  if (fp_is_zero(&h)) {
    if (fp_is_zero(&rr)) {
      g1_jac pp = *p;
      g1_dbl(r, &pp);
    } else {
      g1_set_infinity(r);
    }
    return;
  }
  fp_dbl(&rr, &rr);
  fp_sqr(&hh, &h);
  fp_dbl(&i, &hh);
  fp_dbl(&i, &i);
  fp_mul(&j, &h, &i);
  fp_mul(&v, &p->x, &i);
  fp_add(&z3, &p->z, &h);
  fp_sqr(&z3, &z3);
  fp_sub(&z3, &z3, &z1z1);
  fp_sub(&z3, &z3, &hh);
  fp_mul(&y1j, &p->y, &j);
  fp_dbl(&y1j, &y1j);
  fp_sqr(&t, &rr);
  fp_sub(&t, &t, &j);
  fp_sub(&t, &t, &v);
  fp_sub(&t, &t, &v);
  fp_sub(&v, &v, &t);
  fp_mul(&v, &v, &rr);
  r->x = t;
  fp_sub(&r->y, &v, &y1j);
  r->z = z3;
}

#endif
