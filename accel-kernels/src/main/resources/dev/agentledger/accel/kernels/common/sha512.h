/*
 * sha512.h: SHA-512 (FIPS 180-4 section 6.4), used for the Ed25519 challenge
 * k = SHA-512(R || A || M) (RFC 8032 section 5.1.7 step 2).
 *
 * Work per 128-byte block: 80 rounds of about 10 64-bit additions, 6 rotations and 7 logic
 * operations, plus 64 schedule steps: roughly 1,400 64-bit operations per block (on a 32-bit
 * GPU ALU each is about two instructions).
 */
#ifndef AL_SHA512_H
#define AL_SHA512_H
#include "common/al_types.h"

AL_CONSTANT al_u64 AL_SHA512_K[80] = {
    0x428a2f98d728ae22UL, 0x7137449123ef65cdUL, 0xb5c0fbcfec4d3b2fUL, 0xe9b5dba58189dbbcUL, 0x3956c25bf348b538UL,
    0x59f111f1b605d019UL, 0x923f82a4af194f9bUL, 0xab1c5ed5da6d8118UL, 0xd807aa98a3030242UL, 0x12835b0145706fbeUL,
    0x243185be4ee4b28cUL, 0x550c7dc3d5ffb4e2UL, 0x72be5d74f27b896fUL, 0x80deb1fe3b1696b1UL, 0x9bdc06a725c71235UL,
    0xc19bf174cf692694UL, 0xe49b69c19ef14ad2UL, 0xefbe4786384f25e3UL, 0x0fc19dc68b8cd5b5UL, 0x240ca1cc77ac9c65UL,
    0x2de92c6f592b0275UL, 0x4a7484aa6ea6e483UL, 0x5cb0a9dcbd41fbd4UL, 0x76f988da831153b5UL, 0x983e5152ee66dfabUL,
    0xa831c66d2db43210UL, 0xb00327c898fb213fUL, 0xbf597fc7beef0ee4UL, 0xc6e00bf33da88fc2UL, 0xd5a79147930aa725UL,
    0x06ca6351e003826fUL, 0x142929670a0e6e70UL, 0x27b70a8546d22ffcUL, 0x2e1b21385c26c926UL, 0x4d2c6dfc5ac42aedUL,
    0x53380d139d95b3dfUL, 0x650a73548baf63deUL, 0x766a0abb3c77b2a8UL, 0x81c2c92e47edaee6UL, 0x92722c851482353bUL,
    0xa2bfe8a14cf10364UL, 0xa81a664bbc423001UL, 0xc24b8b70d0f89791UL, 0xc76c51a30654be30UL, 0xd192e819d6ef5218UL,
    0xd69906245565a910UL, 0xf40e35855771202aUL, 0x106aa07032bbd1b8UL, 0x19a4c116b8d2d0c8UL, 0x1e376c085141ab53UL,
    0x2748774cdf8eeb99UL, 0x34b0bcb5e19b48a8UL, 0x391c0cb3c5c95a63UL, 0x4ed8aa4ae3418acbUL, 0x5b9cca4f7763e373UL,
    0x682e6ff3d6b2b8a3UL, 0x748f82ee5defb2fcUL, 0x78a5636f43172f60UL, 0x84c87814a1f0ab72UL, 0x8cc702081a6439ecUL,
    0x90befffa23631e28UL, 0xa4506cebde82bde9UL, 0xbef9a3f7b2c67915UL, 0xc67178f2e372532bUL, 0xca273eceea26619cUL,
    0xd186b8c721c0c207UL, 0xeada7dd6cde0eb1eUL, 0xf57d4f7fee6ed178UL, 0x06f067aa72176fbaUL, 0x0a637dc5a2c898a6UL,
    0x113f9804bef90daeUL, 0x1b710b35131c471bUL, 0x28db77f523047d84UL, 0x32caab7b40c72493UL, 0x3c9ebe0a15c9bebcUL,
    0x431d67c49c100d4cUL, 0x4cc5d4becb3e42b6UL, 0x597f299cfc657e2aUL, 0x5fcb6fab3ad6faecUL, 0x6c44198c4a475817UL};

AL_FN al_u64 al_ror64(al_u64 x, al_u32 n) { return (x >> n) | (x << (64u - n)); }

AL_FN void al_sha512_init(al_u64 h[8]) {
  h[0] = 0x6a09e667f3bcc908UL; h[1] = 0xbb67ae8584caa73bUL; h[2] = 0x3c6ef372fe94f82bUL;
  h[3] = 0xa54ff53a5f1d36f1UL; h[4] = 0x510e527fade682d1UL; h[5] = 0x9b05688c2b3e6c1fUL;
  h[6] = 0x1f83d9abfb41bd6bUL; h[7] = 0x5be0cd19137e2179UL;
}

/* Compresses one block given as 16 big-endian 64-bit words; w is the schedule window. */
AL_FN_CALL void al_sha512_block(al_u64 h[8], al_u64 w[16]) {
  al_u64 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 80; i++) {
    al_u64 wi;
    if (i < 16) {
      wi = w[i];
    } else {
      al_u64 w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
      al_u64 s0 = al_ror64(w15, 1) ^ al_ror64(w15, 8) ^ (w15 >> 7);
      al_u64 s1 = al_ror64(w2, 19) ^ al_ror64(w2, 61) ^ (w2 >> 6);
      wi = w[i & 15] + s0 + w[(i - 7) & 15] + s1;
      w[i & 15] = wi;
    }
    al_u64 S1 = al_ror64(e, 14) ^ al_ror64(e, 18) ^ al_ror64(e, 41);
    al_u64 ch = (e & f) ^ (~e & g);
    al_u64 t1 = k + S1 + ch + AL_SHA512_K[i] + wi;
    al_u64 S0 = al_ror64(a, 28) ^ al_ror64(a, 34) ^ al_ror64(a, 39);
    al_u64 maj = (a & b) ^ (a & c) ^ (b & c);
    al_u64 t2 = S0 + maj;
    k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

/*
 * SHA-512 of p1 (32 bytes) || p2 (32 bytes) || msg (len bytes, device memory) into out[64].
 * This is exactly the Ed25519 challenge input R || A || M.
 */
AL_FN void al_sha512_64_global(const al_u8 p1[32], const al_u8 p2[32], AL_GLOBAL const al_u8 *msg,
                               al_u32 len, al_u8 out[64]) {
  al_u64 h[8];
  al_u64 w[16];
  al_sha512_init(h);
  al_u32 total = 64u + len;
  al_u32 blocks = (total + 16u) / 128u + 1u;
  al_u64 bits = (al_u64)total * 8u;
  for (al_u32 b = 0; b < blocks; b++) {
    for (int j = 0; j < 16; j++) {
      al_u64 word = 0;
      for (int m = 0; m < 8; m++) {
        al_u32 pos = b * 128u + (al_u32)(8 * j + m);
        al_u64 byte;
        if (pos < 32u) {
          byte = p1[pos];
        } else if (pos < 64u) {
          byte = p2[pos - 32u];
        } else if (pos < total) {
          byte = msg[pos - 64u];
        } else if (pos == total) {
          byte = 0x80u;
        } else if (b == blocks - 1u && j == 15) {
          byte = (bits >> (8 * (7 - m))) & 0xffu; /* low 64 bits of the 128-bit length */
        } else {
          byte = 0u;
        }
        word = (word << 8) | byte;
      }
      w[j] = word;
    }
    al_sha512_block(h, w);
  }
  for (int i = 0; i < 8; i++) {
    for (int m = 0; m < 8; m++) out[8 * i + m] = (al_u8)(h[i] >> (8 * (7 - m)));
  }
}

#endif
