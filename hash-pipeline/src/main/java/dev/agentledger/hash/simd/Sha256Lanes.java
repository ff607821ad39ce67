package dev.agentledger.hash.simd;

import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.OR;
import static jdk.incubator.vector.VectorOperators.ROR;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SHA-256 compression function (FIPS 180-4 section 6.2.2) on {@link #LANES} independent
 * messages at once, one message per lane of an {@link IntVector} of the preferred species (16 lanes
 * with AVX-512, 8 with AVX2).
 *
 * <p>Layout: every array here is word-major ("transposed"): word {@code t} of all lanes is the
 * contiguous run {@code [t * LANES, (t + 1) * LANES)}, so each load and store is one plain vector
 * access, never a gather. The working variables and, for rounds 16..63, the 16-word schedule window
 * live in vector registers; only the state goes through memory between the pieces of a block (three
 * methods, each small enough for C2 to compile quickly and without spilling much).
 *
 * <p>Operations per compression with AVX-512 (C2 fuses three-input logic into {@code vpternlogd}
 * and constant rotations into {@code vprord}): a round is Sigma1 and Sigma0 (3 rotations + 1
 * ternary logic each), Ch and Maj (1 ternary logic each) and 7 additions: 17; a schedule word is
 * sigma0 and sigma1 (2 rotations + 1 shift + 1 ternary logic each) and 3 additions: 11. Per block:
 * 64 x 17 + 48 x 11 + 8 feed-forward additions = 1624 vector operations for 16 messages (672 of
 * them rotations or shifts), plus 80 loads of {@code W} and {@code K} rows. An RFC 6962 node (two
 * blocks) is about 203 vector operations per message.
 */
final class Sha256Lanes {
  static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;

  /** Messages hashed at once. */
  static final int LANES = S.length();

  static final int[] K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  };

  static final int[] IV = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  };

  /** K broadcast word-major: K[t] repeated LANES times at [t * LANES]. */
  static final int[] K_LANES = broadcastRows(K);

  /** The initial hash value broadcast word-major. */
  static final int[] IV_LANES = broadcastRows(IV);

  private Sha256Lanes() {}

  static int[] broadcastRows(int[] values) {
    int[] rows = new int[values.length * LANES];
    for (int t = 0; t < values.length; t++) {
      java.util.Arrays.fill(rows, t * LANES, (t + 1) * LANES, values[t]);
    }
    return rows;
  }

  /**
   * Rounds 16..63 of a block with the message schedule computed on the fly: {@code w} holds the
   * block's 16 message words, {@code vars} the working variables after round 15 (updated in place,
   * no feed-forward). The 16-word schedule window and the 8 working variables stay in vector
   * registers; per iteration 8 schedule words and 8 rounds, then the window slides by 8.
   */
  static void roundsScheduled(int[] w, int[] vars) {
    final int l = LANES;
    IntVector a = IntVector.fromArray(S, vars, 0 * l);
    IntVector b = IntVector.fromArray(S, vars, 1 * l);
    IntVector c = IntVector.fromArray(S, vars, 2 * l);
    IntVector d = IntVector.fromArray(S, vars, 3 * l);
    IntVector e = IntVector.fromArray(S, vars, 4 * l);
    IntVector f = IntVector.fromArray(S, vars, 5 * l);
    IntVector g = IntVector.fromArray(S, vars, 6 * l);
    IntVector h = IntVector.fromArray(S, vars, 7 * l);
    IntVector w0 = IntVector.fromArray(S, w, 0 * l);
    IntVector w1 = IntVector.fromArray(S, w, 1 * l);
    IntVector w2 = IntVector.fromArray(S, w, 2 * l);
    IntVector w3 = IntVector.fromArray(S, w, 3 * l);
    IntVector w4 = IntVector.fromArray(S, w, 4 * l);
    IntVector w5 = IntVector.fromArray(S, w, 5 * l);
    IntVector w6 = IntVector.fromArray(S, w, 6 * l);
    IntVector w7 = IntVector.fromArray(S, w, 7 * l);
    IntVector w8 = IntVector.fromArray(S, w, 8 * l);
    IntVector w9 = IntVector.fromArray(S, w, 9 * l);
    IntVector w10 = IntVector.fromArray(S, w, 10 * l);
    IntVector w11 = IntVector.fromArray(S, w, 11 * l);
    IntVector w12 = IntVector.fromArray(S, w, 12 * l);
    IntVector w13 = IntVector.fromArray(S, w, 13 * l);
    IntVector w14 = IntVector.fromArray(S, w, 14 * l);
    IntVector w15 = IntVector.fromArray(S, w, 15 * l);
    IntVector t1;
    for (int t = 16; t < 64; t += 8) {
      // round t + 0: schedule word, then the round
      IntVector n0 =
          w0.add(
                  w14.lanewise(ROR, 17)
                      .lanewise(XOR, w14.lanewise(ROR, 19))
                      .lanewise(XOR, w14.lanewise(LSHR, 10)))
              .add(w9)
              .add(
                  w1.lanewise(ROR, 7)
                      .lanewise(XOR, w1.lanewise(ROR, 18))
                      .lanewise(XOR, w1.lanewise(LSHR, 3)));
      t1 =
          h.add(n0)
              .add(IntVector.fromArray(S, K_LANES, (t + 0) * l))
              .add(f.lanewise(XOR, g).lanewise(AND, e).lanewise(XOR, g))
              .add(
                  e.lanewise(ROR, 6)
                      .lanewise(XOR, e.lanewise(ROR, 11))
                      .lanewise(XOR, e.lanewise(ROR, 25)));
      d = d.add(t1);
      h =
          t1.add(
              a.lanewise(ROR, 2)
                  .lanewise(XOR, a.lanewise(ROR, 13))
                  .lanewise(XOR, a.lanewise(ROR, 22))
                  .add(a.lanewise(AND, b).lanewise(OR, a.lanewise(OR, b).lanewise(AND, c))));
      // round t + 1: schedule word, then the round
      IntVector n1 =
          w1.add(
                  w15.lanewise(ROR, 17)
                      .lanewise(XOR, w15.lanewise(ROR, 19))
                      .lanewise(XOR, w15.lanewise(LSHR, 10)))
              .add(w10)
              .add(
                  w2.lanewise(ROR, 7)
                      .lanewise(XOR, w2.lanewise(ROR, 18))
                      .lanewise(XOR, w2.lanewise(LSHR, 3)));
      t1 =
          g.add(n1)
              .add(IntVector.fromArray(S, K_LANES, (t + 1) * l))
              .add(e.lanewise(XOR, f).lanewise(AND, d).lanewise(XOR, f))
              .add(
                  d.lanewise(ROR, 6)
                      .lanewise(XOR, d.lanewise(ROR, 11))
                      .lanewise(XOR, d.lanewise(ROR, 25)));
      c = c.add(t1);
      g =
          t1.add(
              h.lanewise(ROR, 2)
                  .lanewise(XOR, h.lanewise(ROR, 13))
                  .lanewise(XOR, h.lanewise(ROR, 22))
                  .add(h.lanewise(AND, a).lanewise(OR, h.lanewise(OR, a).lanewise(AND, b))));
      // round t + 2: schedule word, then the round
      IntVector n2 =
          w2.add(
                  n0.lanewise(ROR, 17)
                      .lanewise(XOR, n0.lanewise(ROR, 19))
                      .lanewise(XOR, n0.lanewise(LSHR, 10)))
              .add(w11)
              .add(
                  w3.lanewise(ROR, 7)
                      .lanewise(XOR, w3.lanewise(ROR, 18))
                      .lanewise(XOR, w3.lanewise(LSHR, 3)));
      t1 =
          f.add(n2)
              .add(IntVector.fromArray(S, K_LANES, (t + 2) * l))
              .add(d.lanewise(XOR, e).lanewise(AND, c).lanewise(XOR, e))
              .add(
                  c.lanewise(ROR, 6)
                      .lanewise(XOR, c.lanewise(ROR, 11))
                      .lanewise(XOR, c.lanewise(ROR, 25)));
      b = b.add(t1);
      f =
          t1.add(
              g.lanewise(ROR, 2)
                  .lanewise(XOR, g.lanewise(ROR, 13))
                  .lanewise(XOR, g.lanewise(ROR, 22))
                  .add(g.lanewise(AND, h).lanewise(OR, g.lanewise(OR, h).lanewise(AND, a))));
      // round t + 3: schedule word, then the round
      IntVector n3 =
          w3.add(
                  n1.lanewise(ROR, 17)
                      .lanewise(XOR, n1.lanewise(ROR, 19))
                      .lanewise(XOR, n1.lanewise(LSHR, 10)))
              .add(w12)
              .add(
                  w4.lanewise(ROR, 7)
                      .lanewise(XOR, w4.lanewise(ROR, 18))
                      .lanewise(XOR, w4.lanewise(LSHR, 3)));
      t1 =
          e.add(n3)
              .add(IntVector.fromArray(S, K_LANES, (t + 3) * l))
              .add(c.lanewise(XOR, d).lanewise(AND, b).lanewise(XOR, d))
              .add(
                  b.lanewise(ROR, 6)
                      .lanewise(XOR, b.lanewise(ROR, 11))
                      .lanewise(XOR, b.lanewise(ROR, 25)));
      a = a.add(t1);
      e =
          t1.add(
              f.lanewise(ROR, 2)
                  .lanewise(XOR, f.lanewise(ROR, 13))
                  .lanewise(XOR, f.lanewise(ROR, 22))
                  .add(f.lanewise(AND, g).lanewise(OR, f.lanewise(OR, g).lanewise(AND, h))));
      // round t + 4: schedule word, then the round
      IntVector n4 =
          w4.add(
                  n2.lanewise(ROR, 17)
                      .lanewise(XOR, n2.lanewise(ROR, 19))
                      .lanewise(XOR, n2.lanewise(LSHR, 10)))
              .add(w13)
              .add(
                  w5.lanewise(ROR, 7)
                      .lanewise(XOR, w5.lanewise(ROR, 18))
                      .lanewise(XOR, w5.lanewise(LSHR, 3)));
      t1 =
          d.add(n4)
              .add(IntVector.fromArray(S, K_LANES, (t + 4) * l))
              .add(b.lanewise(XOR, c).lanewise(AND, a).lanewise(XOR, c))
              .add(
                  a.lanewise(ROR, 6)
                      .lanewise(XOR, a.lanewise(ROR, 11))
                      .lanewise(XOR, a.lanewise(ROR, 25)));
      h = h.add(t1);
      d =
          t1.add(
              e.lanewise(ROR, 2)
                  .lanewise(XOR, e.lanewise(ROR, 13))
                  .lanewise(XOR, e.lanewise(ROR, 22))
                  .add(e.lanewise(AND, f).lanewise(OR, e.lanewise(OR, f).lanewise(AND, g))));
      // round t + 5: schedule word, then the round
      IntVector n5 =
          w5.add(
                  n3.lanewise(ROR, 17)
                      .lanewise(XOR, n3.lanewise(ROR, 19))
                      .lanewise(XOR, n3.lanewise(LSHR, 10)))
              .add(w14)
              .add(
                  w6.lanewise(ROR, 7)
                      .lanewise(XOR, w6.lanewise(ROR, 18))
                      .lanewise(XOR, w6.lanewise(LSHR, 3)));
      t1 =
          c.add(n5)
              .add(IntVector.fromArray(S, K_LANES, (t + 5) * l))
              .add(a.lanewise(XOR, b).lanewise(AND, h).lanewise(XOR, b))
              .add(
                  h.lanewise(ROR, 6)
                      .lanewise(XOR, h.lanewise(ROR, 11))
                      .lanewise(XOR, h.lanewise(ROR, 25)));
      g = g.add(t1);
      c =
          t1.add(
              d.lanewise(ROR, 2)
                  .lanewise(XOR, d.lanewise(ROR, 13))
                  .lanewise(XOR, d.lanewise(ROR, 22))
                  .add(d.lanewise(AND, e).lanewise(OR, d.lanewise(OR, e).lanewise(AND, f))));
      // round t + 6: schedule word, then the round
      IntVector n6 =
          w6.add(
                  n4.lanewise(ROR, 17)
                      .lanewise(XOR, n4.lanewise(ROR, 19))
                      .lanewise(XOR, n4.lanewise(LSHR, 10)))
              .add(w15)
              .add(
                  w7.lanewise(ROR, 7)
                      .lanewise(XOR, w7.lanewise(ROR, 18))
                      .lanewise(XOR, w7.lanewise(LSHR, 3)));
      t1 =
          b.add(n6)
              .add(IntVector.fromArray(S, K_LANES, (t + 6) * l))
              .add(h.lanewise(XOR, a).lanewise(AND, g).lanewise(XOR, a))
              .add(
                  g.lanewise(ROR, 6)
                      .lanewise(XOR, g.lanewise(ROR, 11))
                      .lanewise(XOR, g.lanewise(ROR, 25)));
      f = f.add(t1);
      b =
          t1.add(
              c.lanewise(ROR, 2)
                  .lanewise(XOR, c.lanewise(ROR, 13))
                  .lanewise(XOR, c.lanewise(ROR, 22))
                  .add(c.lanewise(AND, d).lanewise(OR, c.lanewise(OR, d).lanewise(AND, e))));
      // round t + 7: schedule word, then the round
      IntVector n7 =
          w7.add(
                  n5.lanewise(ROR, 17)
                      .lanewise(XOR, n5.lanewise(ROR, 19))
                      .lanewise(XOR, n5.lanewise(LSHR, 10)))
              .add(n0)
              .add(
                  w8.lanewise(ROR, 7)
                      .lanewise(XOR, w8.lanewise(ROR, 18))
                      .lanewise(XOR, w8.lanewise(LSHR, 3)));
      t1 =
          a.add(n7)
              .add(IntVector.fromArray(S, K_LANES, (t + 7) * l))
              .add(g.lanewise(XOR, h).lanewise(AND, f).lanewise(XOR, h))
              .add(
                  f.lanewise(ROR, 6)
                      .lanewise(XOR, f.lanewise(ROR, 11))
                      .lanewise(XOR, f.lanewise(ROR, 25)));
      e = e.add(t1);
      a =
          t1.add(
              b.lanewise(ROR, 2)
                  .lanewise(XOR, b.lanewise(ROR, 13))
                  .lanewise(XOR, b.lanewise(ROR, 22))
                  .add(b.lanewise(AND, c).lanewise(OR, b.lanewise(OR, c).lanewise(AND, d))));
      // slide the window by eight words
      w0 = w8;
      w1 = w9;
      w2 = w10;
      w3 = w11;
      w4 = w12;
      w5 = w13;
      w6 = w14;
      w7 = w15;
      w8 = n0;
      w9 = n1;
      w10 = n2;
      w11 = n3;
      w12 = n4;
      w13 = n5;
      w14 = n6;
      w15 = n7;
    }
    a.intoArray(vars, 0 * l);
    b.intoArray(vars, 1 * l);
    c.intoArray(vars, 2 * l);
    d.intoArray(vars, 3 * l);
    e.intoArray(vars, 4 * l);
    f.intoArray(vars, 5 * l);
    g.intoArray(vars, 6 * l);
    h.intoArray(vars, 7 * l);
  }

  /**
   * Rounds {@code [from, to)} with {@code K[t] + W[t]} taken from {@code kw} (word-major), on the
   * working variables in {@code vars} (updated in place, no feed-forward).
   */
  static void roundsKw(int[] kw, int from, int to, int[] vars) {
    final int l = LANES;
    IntVector a = IntVector.fromArray(S, vars, 0);
    IntVector b = IntVector.fromArray(S, vars, l);
    IntVector c = IntVector.fromArray(S, vars, 2 * l);
    IntVector d = IntVector.fromArray(S, vars, 3 * l);
    IntVector e = IntVector.fromArray(S, vars, 4 * l);
    IntVector f = IntVector.fromArray(S, vars, 5 * l);
    IntVector g = IntVector.fromArray(S, vars, 6 * l);
    IntVector h = IntVector.fromArray(S, vars, 7 * l);
    IntVector t1;
    IntVector s0;
    IntVector s1;
    IntVector ch;
    IntVector maj;
    // Eight rounds per iteration, the roles of the variables rotating by one each round. Written
    // out in full (no helper methods): a helper that C2 does not inline boxes its vectors.
    for (int o = from * l; o < to * l; o += 8 * l) {
      // round t + 0
      s1 = e.lanewise(ROR, 6).lanewise(XOR, e.lanewise(ROR, 11)).lanewise(XOR, e.lanewise(ROR, 25));
      ch = f.lanewise(XOR, g).lanewise(AND, e).lanewise(XOR, g);
      t1 = h.add(IntVector.fromArray(S, kw, o + 0 * l)).add(ch).add(s1);
      s0 = a.lanewise(ROR, 2).lanewise(XOR, a.lanewise(ROR, 13)).lanewise(XOR, a.lanewise(ROR, 22));
      maj = a.lanewise(AND, b).lanewise(OR, a.lanewise(OR, b).lanewise(AND, c));
      d = d.add(t1);
      h = t1.add(s0).add(maj);
      // round t + 1
      s1 = d.lanewise(ROR, 6).lanewise(XOR, d.lanewise(ROR, 11)).lanewise(XOR, d.lanewise(ROR, 25));
      ch = e.lanewise(XOR, f).lanewise(AND, d).lanewise(XOR, f);
      t1 = g.add(IntVector.fromArray(S, kw, o + 1 * l)).add(ch).add(s1);
      s0 = h.lanewise(ROR, 2).lanewise(XOR, h.lanewise(ROR, 13)).lanewise(XOR, h.lanewise(ROR, 22));
      maj = h.lanewise(AND, a).lanewise(OR, h.lanewise(OR, a).lanewise(AND, b));
      c = c.add(t1);
      g = t1.add(s0).add(maj);
      // round t + 2
      s1 = c.lanewise(ROR, 6).lanewise(XOR, c.lanewise(ROR, 11)).lanewise(XOR, c.lanewise(ROR, 25));
      ch = d.lanewise(XOR, e).lanewise(AND, c).lanewise(XOR, e);
      t1 = f.add(IntVector.fromArray(S, kw, o + 2 * l)).add(ch).add(s1);
      s0 = g.lanewise(ROR, 2).lanewise(XOR, g.lanewise(ROR, 13)).lanewise(XOR, g.lanewise(ROR, 22));
      maj = g.lanewise(AND, h).lanewise(OR, g.lanewise(OR, h).lanewise(AND, a));
      b = b.add(t1);
      f = t1.add(s0).add(maj);
      // round t + 3
      s1 = b.lanewise(ROR, 6).lanewise(XOR, b.lanewise(ROR, 11)).lanewise(XOR, b.lanewise(ROR, 25));
      ch = c.lanewise(XOR, d).lanewise(AND, b).lanewise(XOR, d);
      t1 = e.add(IntVector.fromArray(S, kw, o + 3 * l)).add(ch).add(s1);
      s0 = f.lanewise(ROR, 2).lanewise(XOR, f.lanewise(ROR, 13)).lanewise(XOR, f.lanewise(ROR, 22));
      maj = f.lanewise(AND, g).lanewise(OR, f.lanewise(OR, g).lanewise(AND, h));
      a = a.add(t1);
      e = t1.add(s0).add(maj);
      // round t + 4
      s1 = a.lanewise(ROR, 6).lanewise(XOR, a.lanewise(ROR, 11)).lanewise(XOR, a.lanewise(ROR, 25));
      ch = b.lanewise(XOR, c).lanewise(AND, a).lanewise(XOR, c);
      t1 = d.add(IntVector.fromArray(S, kw, o + 4 * l)).add(ch).add(s1);
      s0 = e.lanewise(ROR, 2).lanewise(XOR, e.lanewise(ROR, 13)).lanewise(XOR, e.lanewise(ROR, 22));
      maj = e.lanewise(AND, f).lanewise(OR, e.lanewise(OR, f).lanewise(AND, g));
      h = h.add(t1);
      d = t1.add(s0).add(maj);
      // round t + 5
      s1 = h.lanewise(ROR, 6).lanewise(XOR, h.lanewise(ROR, 11)).lanewise(XOR, h.lanewise(ROR, 25));
      ch = a.lanewise(XOR, b).lanewise(AND, h).lanewise(XOR, b);
      t1 = c.add(IntVector.fromArray(S, kw, o + 5 * l)).add(ch).add(s1);
      s0 = d.lanewise(ROR, 2).lanewise(XOR, d.lanewise(ROR, 13)).lanewise(XOR, d.lanewise(ROR, 22));
      maj = d.lanewise(AND, e).lanewise(OR, d.lanewise(OR, e).lanewise(AND, f));
      g = g.add(t1);
      c = t1.add(s0).add(maj);
      // round t + 6
      s1 = g.lanewise(ROR, 6).lanewise(XOR, g.lanewise(ROR, 11)).lanewise(XOR, g.lanewise(ROR, 25));
      ch = h.lanewise(XOR, a).lanewise(AND, g).lanewise(XOR, a);
      t1 = b.add(IntVector.fromArray(S, kw, o + 6 * l)).add(ch).add(s1);
      s0 = c.lanewise(ROR, 2).lanewise(XOR, c.lanewise(ROR, 13)).lanewise(XOR, c.lanewise(ROR, 22));
      maj = c.lanewise(AND, d).lanewise(OR, c.lanewise(OR, d).lanewise(AND, e));
      f = f.add(t1);
      b = t1.add(s0).add(maj);
      // round t + 7
      s1 = f.lanewise(ROR, 6).lanewise(XOR, f.lanewise(ROR, 11)).lanewise(XOR, f.lanewise(ROR, 25));
      ch = g.lanewise(XOR, h).lanewise(AND, f).lanewise(XOR, h);
      t1 = a.add(IntVector.fromArray(S, kw, o + 7 * l)).add(ch).add(s1);
      s0 = b.lanewise(ROR, 2).lanewise(XOR, b.lanewise(ROR, 13)).lanewise(XOR, b.lanewise(ROR, 22));
      maj = b.lanewise(AND, c).lanewise(OR, b.lanewise(OR, c).lanewise(AND, d));
      e = e.add(t1);
      a = t1.add(s0).add(maj);
    }
    a.intoArray(vars, 0 * l);
    b.intoArray(vars, 1 * l);
    c.intoArray(vars, 2 * l);
    d.intoArray(vars, 3 * l);
    e.intoArray(vars, 4 * l);
    f.intoArray(vars, 5 * l);
    g.intoArray(vars, 6 * l);
    h.intoArray(vars, 7 * l);
  }

  /**
   * Rounds 0..15 of a block straight from its message words {@code w} (word-major), adding {@code
   * K[t]} on the way, on the working variables in {@code vars} (updated in place).
   */
  static void roundsFirst16(int[] w, int[] vars) {
    final int l = LANES;
    IntVector a = IntVector.fromArray(S, vars, 0);
    IntVector b = IntVector.fromArray(S, vars, l);
    IntVector c = IntVector.fromArray(S, vars, 2 * l);
    IntVector d = IntVector.fromArray(S, vars, 3 * l);
    IntVector e = IntVector.fromArray(S, vars, 4 * l);
    IntVector f = IntVector.fromArray(S, vars, 5 * l);
    IntVector g = IntVector.fromArray(S, vars, 6 * l);
    IntVector h = IntVector.fromArray(S, vars, 7 * l);
    IntVector t1;
    IntVector s0;
    IntVector s1;
    IntVector ch;
    IntVector maj;
    // Eight rounds per iteration, the roles of the variables rotating by one each round. Written
    // out in full (no helper methods): a helper that C2 does not inline boxes its vectors.
    for (int o = 0; o < 16 * l; o += 8 * l) {
      // round t + 0
      s1 = e.lanewise(ROR, 6).lanewise(XOR, e.lanewise(ROR, 11)).lanewise(XOR, e.lanewise(ROR, 25));
      ch = f.lanewise(XOR, g).lanewise(AND, e).lanewise(XOR, g);
      t1 =
          h.add(IntVector.fromArray(S, w, o + 0 * l))
              .add(IntVector.fromArray(S, K_LANES, o + 0 * l))
              .add(ch)
              .add(s1);
      s0 = a.lanewise(ROR, 2).lanewise(XOR, a.lanewise(ROR, 13)).lanewise(XOR, a.lanewise(ROR, 22));
      maj = a.lanewise(AND, b).lanewise(OR, a.lanewise(OR, b).lanewise(AND, c));
      d = d.add(t1);
      h = t1.add(s0).add(maj);
      // round t + 1
      s1 = d.lanewise(ROR, 6).lanewise(XOR, d.lanewise(ROR, 11)).lanewise(XOR, d.lanewise(ROR, 25));
      ch = e.lanewise(XOR, f).lanewise(AND, d).lanewise(XOR, f);
      t1 =
          g.add(IntVector.fromArray(S, w, o + 1 * l))
              .add(IntVector.fromArray(S, K_LANES, o + 1 * l))
              .add(ch)
              .add(s1);
      s0 = h.lanewise(ROR, 2).lanewise(XOR, h.lanewise(ROR, 13)).lanewise(XOR, h.lanewise(ROR, 22));
      maj = h.lanewise(AND, a).lanewise(OR, h.lanewise(OR, a).lanewise(AND, b));
      c = c.add(t1);
      g = t1.add(s0).add(maj);
      // round t + 2
      s1 = c.lanewise(ROR, 6).lanewise(XOR, c.lanewise(ROR, 11)).lanewise(XOR, c.lanewise(ROR, 25));
      ch = d.lanewise(XOR, e).lanewise(AND, c).lanewise(XOR, e);
      t1 =
          f.add(IntVector.fromArray(S, w, o + 2 * l))
              .add(IntVector.fromArray(S, K_LANES, o + 2 * l))
              .add(ch)
              .add(s1);
      s0 = g.lanewise(ROR, 2).lanewise(XOR, g.lanewise(ROR, 13)).lanewise(XOR, g.lanewise(ROR, 22));
      maj = g.lanewise(AND, h).lanewise(OR, g.lanewise(OR, h).lanewise(AND, a));
      b = b.add(t1);
      f = t1.add(s0).add(maj);
      // round t + 3
      s1 = b.lanewise(ROR, 6).lanewise(XOR, b.lanewise(ROR, 11)).lanewise(XOR, b.lanewise(ROR, 25));
      ch = c.lanewise(XOR, d).lanewise(AND, b).lanewise(XOR, d);
      t1 =
          e.add(IntVector.fromArray(S, w, o + 3 * l))
              .add(IntVector.fromArray(S, K_LANES, o + 3 * l))
              .add(ch)
              .add(s1);
      s0 = f.lanewise(ROR, 2).lanewise(XOR, f.lanewise(ROR, 13)).lanewise(XOR, f.lanewise(ROR, 22));
      maj = f.lanewise(AND, g).lanewise(OR, f.lanewise(OR, g).lanewise(AND, h));
      a = a.add(t1);
      e = t1.add(s0).add(maj);
      // round t + 4
      s1 = a.lanewise(ROR, 6).lanewise(XOR, a.lanewise(ROR, 11)).lanewise(XOR, a.lanewise(ROR, 25));
      ch = b.lanewise(XOR, c).lanewise(AND, a).lanewise(XOR, c);
      t1 =
          d.add(IntVector.fromArray(S, w, o + 4 * l))
              .add(IntVector.fromArray(S, K_LANES, o + 4 * l))
              .add(ch)
              .add(s1);
      s0 = e.lanewise(ROR, 2).lanewise(XOR, e.lanewise(ROR, 13)).lanewise(XOR, e.lanewise(ROR, 22));
      maj = e.lanewise(AND, f).lanewise(OR, e.lanewise(OR, f).lanewise(AND, g));
      h = h.add(t1);
      d = t1.add(s0).add(maj);
      // round t + 5
      s1 = h.lanewise(ROR, 6).lanewise(XOR, h.lanewise(ROR, 11)).lanewise(XOR, h.lanewise(ROR, 25));
      ch = a.lanewise(XOR, b).lanewise(AND, h).lanewise(XOR, b);
      t1 =
          c.add(IntVector.fromArray(S, w, o + 5 * l))
              .add(IntVector.fromArray(S, K_LANES, o + 5 * l))
              .add(ch)
              .add(s1);
      s0 = d.lanewise(ROR, 2).lanewise(XOR, d.lanewise(ROR, 13)).lanewise(XOR, d.lanewise(ROR, 22));
      maj = d.lanewise(AND, e).lanewise(OR, d.lanewise(OR, e).lanewise(AND, f));
      g = g.add(t1);
      c = t1.add(s0).add(maj);
      // round t + 6
      s1 = g.lanewise(ROR, 6).lanewise(XOR, g.lanewise(ROR, 11)).lanewise(XOR, g.lanewise(ROR, 25));
      ch = h.lanewise(XOR, a).lanewise(AND, g).lanewise(XOR, a);
      t1 =
          b.add(IntVector.fromArray(S, w, o + 6 * l))
              .add(IntVector.fromArray(S, K_LANES, o + 6 * l))
              .add(ch)
              .add(s1);
      s0 = c.lanewise(ROR, 2).lanewise(XOR, c.lanewise(ROR, 13)).lanewise(XOR, c.lanewise(ROR, 22));
      maj = c.lanewise(AND, d).lanewise(OR, c.lanewise(OR, d).lanewise(AND, e));
      f = f.add(t1);
      b = t1.add(s0).add(maj);
      // round t + 7
      s1 = f.lanewise(ROR, 6).lanewise(XOR, f.lanewise(ROR, 11)).lanewise(XOR, f.lanewise(ROR, 25));
      ch = g.lanewise(XOR, h).lanewise(AND, f).lanewise(XOR, h);
      t1 =
          a.add(IntVector.fromArray(S, w, o + 7 * l))
              .add(IntVector.fromArray(S, K_LANES, o + 7 * l))
              .add(ch)
              .add(s1);
      s0 = b.lanewise(ROR, 2).lanewise(XOR, b.lanewise(ROR, 13)).lanewise(XOR, b.lanewise(ROR, 22));
      maj = b.lanewise(AND, c).lanewise(OR, b.lanewise(OR, c).lanewise(AND, d));
      e = e.add(t1);
      a = t1.add(s0).add(maj);
    }
    a.intoArray(vars, 0 * l);
    b.intoArray(vars, 1 * l);
    c.intoArray(vars, 2 * l);
    d.intoArray(vars, 3 * l);
    e.intoArray(vars, 4 * l);
    f.intoArray(vars, 5 * l);
    g.intoArray(vars, 6 * l);
    h.intoArray(vars, 7 * l);
  }

  /** {@code state += vars}, word-major: the feed-forward that ends a block. */
  static void feedForward(int[] vars, int[] state) {
    final int l = LANES;
    for (int o = 0; o < 8 * l; o += l) {
      IntVector.fromArray(S, state, o).add(IntVector.fromArray(S, vars, o)).intoArray(state, o);
    }
  }

  /**
   * One block whose 16 message words are all data, {@code w} word-major: {@code state +=
   * compress(state, w)}. Rounds 0..15 read the message words, rounds 16..63 compute the schedule in
   * registers ({@link #roundsScheduled}): nothing but the state is stored. {@code vars} is scratch.
   */
  static void compress(int[] w, int[] vars, int[] state) {
    System.arraycopy(state, 0, vars, 0, 8 * LANES);
    roundsFirst16(w, vars);
    roundsScheduled(w, vars);
    feedForward(vars, state);
  }

  /**
   * One block whose whole {@code K + W} is known ({@code kw}, 64 rows): {@code state += rounds}.
   */
  static void compressKw(int[] kw, int[] vars, int[] state) {
    System.arraycopy(state, 0, vars, 0, 8 * LANES);
    roundsKw(kw, 0, 64, vars);
    feedForward(vars, state);
  }
}
