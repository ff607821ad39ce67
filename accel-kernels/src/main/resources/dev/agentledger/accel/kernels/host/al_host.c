/*
 * al_host.c: the shared device arithmetic (the common headers: the same code nvcc compiles into the CUDA
 * kernels and PoCL compiles into the OpenCL kernels) built for the host by gcc as plain C, so the
 * FFM test (HostArithmeticTest) can compare it with Java references without a GPU.
 * Every function takes and returns bytes: encodings in, encodings out.
 */
#include "common/sha256.h"
#include "common/ed25519.h"

#define AL_EXPORT __attribute__((visibility("default")))

AL_EXPORT void al_host_fe_mul(const al_u8 a[32], const al_u8 b[32], al_u8 out[32]) {
  fe f, g, h;
  fe_frombytes(&f, a);
  fe_frombytes(&g, b);
  fe_mul(&h, &f, &g);
  fe_tobytes(out, &h);
}

AL_EXPORT void al_host_fe_add(const al_u8 a[32], const al_u8 b[32], al_u8 out[32]) {
  fe f, g, h;
  fe_frombytes(&f, a);
  fe_frombytes(&g, b);
  fe_add(&h, &f, &g);
  fe_tobytes(out, &h);
}

AL_EXPORT void al_host_fe_sub(const al_u8 a[32], const al_u8 b[32], al_u8 out[32]) {
  fe f, g, h;
  fe_frombytes(&f, a);
  fe_frombytes(&g, b);
  fe_sub(&h, &f, &g);
  fe_tobytes(out, &h);
}

AL_EXPORT void al_host_fe_pow22523(const al_u8 a[32], al_u8 out[32]) {
  fe f, h;
  fe_frombytes(&f, a);
  fe_pow22523(&h, &f);
  fe_tobytes(out, &h);
}

AL_EXPORT void al_host_sha256(const al_u8 *msg, al_u32 len, al_u8 out[32]) { al_sha256_global(msg, len, out); }

AL_EXPORT void al_host_merkle_node(const al_u8 left[32], const al_u8 right[32], al_u8 out[32]) {
  al_merkle_node(left, right, out);
}

/* k = SHA-512(R || A || M) mod L, little-endian 32 bytes. */
AL_EXPORT void al_host_ed25519_challenge(const al_u8 r[32], const al_u8 a[32], const al_u8 *msg, al_u32 len,
                                    al_u8 out[32]) {
  al_u8 h[64];
  al_u32 k[8];
  al_sha512_64_global(r, a, msg, len, h);
  sc_reduce512(k, h);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (al_u8)k[i]; out[4 * i + 1] = (al_u8)(k[i] >> 8);
    out[4 * i + 2] = (al_u8)(k[i] >> 16); out[4 * i + 3] = (al_u8)(k[i] >> 24);
  }
}

AL_EXPORT int al_host_ed25519_verify(const al_u8 pub[32], const al_u8 sig[64], const al_u8 *msg, al_u32 len) {
  return ed25519_verify_zip215(pub, sig, msg, len);
}

#include "common/bn254.h"

/* BN254 Fp Montgomery product on little-endian limbs (the MSM kernels' field). */
AL_EXPORT void al_host_bn254_fp_mul(const al_u64 a[4], const al_u64 b[4], al_u64 out[4]) {
  fp x, y, r;
  for (int i = 0; i < 4; i++) {
    x.v[i] = a[i];
    y.v[i] = b[i];
  }
  fp_mul(&r, &x, &y);
  for (int i = 0; i < 4; i++) out[i] = r.v[i];
}

/* BN254 G1: Jacobian p (12 limbs) plus affine q (8 limbs, zeros = infinity), Jacobian out. */
AL_EXPORT void al_host_bn254_g1_add_affine(const al_u64 p[12], const al_u64 q[8], al_u64 out[12]) {
  g1_jac a, r;
  g1_aff b;
  for (int i = 0; i < 4; i++) {
    a.x.v[i] = p[i];
    a.y.v[i] = p[4 + i];
    a.z.v[i] = p[8 + i];
    b.x.v[i] = q[i];
    b.y.v[i] = q[4 + i];
  }
  g1_add_affine(&r, &a, &b);
  for (int i = 0; i < 4; i++) {
    out[i] = r.x.v[i];
    out[4 + i] = r.y.v[i];
    out[8 + i] = r.z.v[i];
  }
}
