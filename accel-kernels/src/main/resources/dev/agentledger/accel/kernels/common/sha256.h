/*
 * sha256.h: SHA-256 (FIPS 180-4 section 6.2) and the RFC 6962 Merkle node hash.
 *
 * Work per 64-byte block: 64 rounds, each about 10 32-bit additions, 6 rotations and 7 logic
 * operations, plus 48 message-schedule steps (4 additions, 4 rotations/shifts each): roughly
 * 1,100 integer operations per block, no memory traffic besides the block itself.
 */
#ifndef AL_SHA256_H
#define AL_SHA256_H
#include "common/al_types.h"

AL_CONSTANT al_u32 AL_SHA256_K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u};

AL_FN al_u32 al_ror32(al_u32 x, al_u32 n) { return (x >> n) | (x << (32u - n)); }

AL_FN void al_sha256_init(al_u32 h[8]) {
  h[0] = 0x6a09e667u; h[1] = 0xbb67ae85u; h[2] = 0x3c6ef372u; h[3] = 0xa54ff53au;
  h[4] = 0x510e527fu; h[5] = 0x9b05688cu; h[6] = 0x1f83d9abu; h[7] = 0x5be0cd19u;
}

/* Compresses one block given as 16 big-endian words; w is used as the schedule window. */
AL_FN_CALL void al_sha256_block(al_u32 h[8], al_u32 w[16]) {
  al_u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++) {
    al_u32 wi;
    if (i < 16) {
      wi = w[i];
    } else {
      al_u32 w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
      al_u32 s0 = al_ror32(w15, 7) ^ al_ror32(w15, 18) ^ (w15 >> 3);
      al_u32 s1 = al_ror32(w2, 17) ^ al_ror32(w2, 19) ^ (w2 >> 10);
      wi = w[i & 15] + s0 + w[(i - 7) & 15] + s1;
      w[i & 15] = wi;
    }
    al_u32 S1 = al_ror32(e, 6) ^ al_ror32(e, 11) ^ al_ror32(e, 25);
    al_u32 ch = (e & f) ^ (~e & g);
    al_u32 t1 = k + S1 + ch + AL_SHA256_K[i] + wi;
    al_u32 S0 = al_ror32(a, 2) ^ al_ror32(a, 13) ^ al_ror32(a, 22);
    al_u32 maj = (a & b) ^ (a & c) ^ (b & c);
    al_u32 t2 = S0 + maj;
    k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

AL_FN void al_sha256_out(const al_u32 h[8], al_u8 out[32]) {
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (al_u8)(h[i] >> 24); out[4 * i + 1] = (al_u8)(h[i] >> 16);
    out[4 * i + 2] = (al_u8)(h[i] >> 8); out[4 * i + 3] = (al_u8)h[i];
  }
}

/*
 * SHA-256 of len bytes at msg (device/global memory). Bytes per work-item: len read, 32 written;
 * blocks: floor((len + 8) / 64) + 1.
 */
AL_FN void al_sha256_global(AL_GLOBAL const al_u8 *msg, al_u32 len, al_u8 out[32]) {
  al_u32 h[8];
  al_u32 w[16];
  al_sha256_init(h);
  al_u32 blocks = (len + 8u) / 64u + 1u;
  al_u64 bits = (al_u64)len * 8u;
  for (al_u32 b = 0; b < blocks; b++) {
    for (int j = 0; j < 16; j++) {
      al_u32 word = 0;
      for (int m = 0; m < 4; m++) {
        al_u32 pos = b * 64u + (al_u32)(4 * j + m);
        al_u32 byte;
        if (pos < len) {
          byte = msg[pos];
        } else if (pos == len) {
          byte = 0x80u;
        } else if (b == blocks - 1u && j >= 14) {
          byte = (al_u32)(bits >> (8 * (7 - (4 * (j - 14) + m)))) & 0xffu;
        } else {
          byte = 0u;
        }
        word = (word << 8) | byte;
      }
      w[j] = word;
    }
    al_sha256_block(h, w);
  }
  al_sha256_out(h, out);
}

/*
 * RFC 6962 section 2.1 interior node: SHA-256(0x01 || left || right), 65 bytes, two blocks.
 * Bytes per node: 64 read, 32 written; about 2,200 integer operations.
 */
AL_FN void al_merkle_node(const al_u8 left[32], const al_u8 right[32], al_u8 out[32]) {
  al_u32 h[8];
  al_u32 w[16];
  al_sha256_init(h);
  /* block 0: 0x01, left[0..31], right[0..30] */
  for (int j = 0; j < 16; j++) {
    al_u32 word = 0;
    for (int m = 0; m < 4; m++) {
      int pos = 4 * j + m;
      al_u32 byte = pos == 0 ? 0x01u : (pos <= 32 ? left[pos - 1] : right[pos - 33]);
      word = (word << 8) | byte;
    }
    w[j] = word;
  }
  al_sha256_block(h, w);
  /* block 1: right[31], 0x80, zeros, length 520 bits */
  w[0] = ((al_u32)right[31] << 24) | 0x00800000u;
  for (int j = 1; j < 15; j++) w[j] = 0u;
  w[15] = 520u;
  al_sha256_block(h, w);
  al_sha256_out(h, out);
}

#endif
