package dev.agentledger.sig.curve25519;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Four field elements at once (Vector API, 4 x 64-bit lanes): the arithmetic of {@link Fe8} on a
 * 256-bit species, for the four independent multiplications of each step of the extended-coordinate
 * point formulas ({@link LaneChain}). Same radix (2^25.5, ten limbs of 26 and 25 bits), the same
 * input bounds (pairwise limb products below 2^54.4) and the same tight outputs; the multiplication
 * and squaring bodies are {@link Fe8}'s, generated from the same rule.
 *
 * <p>Layout: a {@code long[40]}, limb i of lane j at {@code [4 i + j]}.
 */
public final class Fe4 {
  public static final int LANES = 4;
  static final VectorSpecies<Long> S = LongVector.SPECIES_256;
  private static final LongVector M26 = LongVector.broadcast(S, (1L << 26) - 1);
  private static final LongVector M25 = LongVector.broadcast(S, (1L << 25) - 1);

  private Fe4() {}

  static long mulCount;

  static long sqCount;

  /** {four-lane multiplications, four-lane squarings} counted (with -Dagentledger.fe.count). */
  public static long[] counts() {
    return new long[] {mulCount, sqCount};
  }

  /** h = f * g, lane-wise; h may alias f or g. */
  static void mul(long[] h, long[] f, long[] g) {
    if (Fe.COUNT) {
      mulCount++;
    }
    LongVector f0 = LongVector.fromArray(S, f, 0 * LANES);
    LongVector f1 = LongVector.fromArray(S, f, 1 * LANES);
    LongVector f2 = LongVector.fromArray(S, f, 2 * LANES);
    LongVector f3 = LongVector.fromArray(S, f, 3 * LANES);
    LongVector f4 = LongVector.fromArray(S, f, 4 * LANES);
    LongVector f5 = LongVector.fromArray(S, f, 5 * LANES);
    LongVector f6 = LongVector.fromArray(S, f, 6 * LANES);
    LongVector f7 = LongVector.fromArray(S, f, 7 * LANES);
    LongVector f8 = LongVector.fromArray(S, f, 8 * LANES);
    LongVector f9 = LongVector.fromArray(S, f, 9 * LANES);
    LongVector g0 = LongVector.fromArray(S, g, 0 * LANES);
    LongVector g1 = LongVector.fromArray(S, g, 1 * LANES);
    LongVector g2 = LongVector.fromArray(S, g, 2 * LANES);
    LongVector g3 = LongVector.fromArray(S, g, 3 * LANES);
    LongVector g4 = LongVector.fromArray(S, g, 4 * LANES);
    LongVector g5 = LongVector.fromArray(S, g, 5 * LANES);
    LongVector g6 = LongVector.fromArray(S, g, 6 * LANES);
    LongVector g7 = LongVector.fromArray(S, g, 7 * LANES);
    LongVector g8 = LongVector.fromArray(S, g, 8 * LANES);
    LongVector g9 = LongVector.fromArray(S, g, 9 * LANES);
    LongVector g1x2 = g1.lanewise(VectorOperators.LSHL, 1);
    LongVector g1x38 = g1.mul(38);
    LongVector g2x19 = g2.mul(19);
    LongVector g3x2 = g3.lanewise(VectorOperators.LSHL, 1);
    LongVector g3x19 = g3.mul(19);
    LongVector g3x38 = g3.mul(38);
    LongVector g4x19 = g4.mul(19);
    LongVector g5x2 = g5.lanewise(VectorOperators.LSHL, 1);
    LongVector g5x19 = g5.mul(19);
    LongVector g5x38 = g5.mul(38);
    LongVector g6x19 = g6.mul(19);
    LongVector g7x2 = g7.lanewise(VectorOperators.LSHL, 1);
    LongVector g7x19 = g7.mul(19);
    LongVector g7x38 = g7.mul(38);
    LongVector g8x19 = g8.mul(19);
    LongVector g9x19 = g9.mul(19);
    LongVector g9x38 = g9.mul(38);
    LongVector h0 =
        f0.mul(g0)
            .add(f1.mul(g9x38))
            .add(f2.mul(g8x19))
            .add(f3.mul(g7x38))
            .add(f4.mul(g6x19))
            .add(f5.mul(g5x38))
            .add(f6.mul(g4x19))
            .add(f7.mul(g3x38))
            .add(f8.mul(g2x19))
            .add(f9.mul(g1x38));
    LongVector h1 =
        f0.mul(g1)
            .add(f1.mul(g0))
            .add(f2.mul(g9x19))
            .add(f3.mul(g8x19))
            .add(f4.mul(g7x19))
            .add(f5.mul(g6x19))
            .add(f6.mul(g5x19))
            .add(f7.mul(g4x19))
            .add(f8.mul(g3x19))
            .add(f9.mul(g2x19));
    LongVector h2 =
        f0.mul(g2)
            .add(f1.mul(g1x2))
            .add(f2.mul(g0))
            .add(f3.mul(g9x38))
            .add(f4.mul(g8x19))
            .add(f5.mul(g7x38))
            .add(f6.mul(g6x19))
            .add(f7.mul(g5x38))
            .add(f8.mul(g4x19))
            .add(f9.mul(g3x38));
    LongVector h3 =
        f0.mul(g3)
            .add(f1.mul(g2))
            .add(f2.mul(g1))
            .add(f3.mul(g0))
            .add(f4.mul(g9x19))
            .add(f5.mul(g8x19))
            .add(f6.mul(g7x19))
            .add(f7.mul(g6x19))
            .add(f8.mul(g5x19))
            .add(f9.mul(g4x19));
    LongVector h4 =
        f0.mul(g4)
            .add(f1.mul(g3x2))
            .add(f2.mul(g2))
            .add(f3.mul(g1x2))
            .add(f4.mul(g0))
            .add(f5.mul(g9x38))
            .add(f6.mul(g8x19))
            .add(f7.mul(g7x38))
            .add(f8.mul(g6x19))
            .add(f9.mul(g5x38));
    LongVector h5 =
        f0.mul(g5)
            .add(f1.mul(g4))
            .add(f2.mul(g3))
            .add(f3.mul(g2))
            .add(f4.mul(g1))
            .add(f5.mul(g0))
            .add(f6.mul(g9x19))
            .add(f7.mul(g8x19))
            .add(f8.mul(g7x19))
            .add(f9.mul(g6x19));
    LongVector h6 =
        f0.mul(g6)
            .add(f1.mul(g5x2))
            .add(f2.mul(g4))
            .add(f3.mul(g3x2))
            .add(f4.mul(g2))
            .add(f5.mul(g1x2))
            .add(f6.mul(g0))
            .add(f7.mul(g9x38))
            .add(f8.mul(g8x19))
            .add(f9.mul(g7x38));
    LongVector h7 =
        f0.mul(g7)
            .add(f1.mul(g6))
            .add(f2.mul(g5))
            .add(f3.mul(g4))
            .add(f4.mul(g3))
            .add(f5.mul(g2))
            .add(f6.mul(g1))
            .add(f7.mul(g0))
            .add(f8.mul(g9x19))
            .add(f9.mul(g8x19));
    LongVector h8 =
        f0.mul(g8)
            .add(f1.mul(g7x2))
            .add(f2.mul(g6))
            .add(f3.mul(g5x2))
            .add(f4.mul(g4))
            .add(f5.mul(g3x2))
            .add(f6.mul(g2))
            .add(f7.mul(g1x2))
            .add(f8.mul(g0))
            .add(f9.mul(g9x38));
    LongVector h9 =
        f0.mul(g9)
            .add(f1.mul(g8))
            .add(f2.mul(g7))
            .add(f3.mul(g6))
            .add(f4.mul(g5))
            .add(f5.mul(g4))
            .add(f6.mul(g3))
            .add(f7.mul(g2))
            .add(f8.mul(g1))
            .add(f9.mul(g0));
    // carry chain (limbs non-negative): 26/25-bit limbs, the carry out of limb 9 wraps as 19
    LongVector c;
    c = h0.lanewise(VectorOperators.LSHR, 26);
    h0 = h0.and(M26);
    h1 = h1.add(c);
    c = h1.lanewise(VectorOperators.LSHR, 25);
    h1 = h1.and(M25);
    h2 = h2.add(c);
    c = h2.lanewise(VectorOperators.LSHR, 26);
    h2 = h2.and(M26);
    h3 = h3.add(c);
    c = h3.lanewise(VectorOperators.LSHR, 25);
    h3 = h3.and(M25);
    h4 = h4.add(c);
    c = h4.lanewise(VectorOperators.LSHR, 26);
    h4 = h4.and(M26);
    h5 = h5.add(c);
    c = h5.lanewise(VectorOperators.LSHR, 25);
    h5 = h5.and(M25);
    h6 = h6.add(c);
    c = h6.lanewise(VectorOperators.LSHR, 26);
    h6 = h6.and(M26);
    h7 = h7.add(c);
    c = h7.lanewise(VectorOperators.LSHR, 25);
    h7 = h7.and(M25);
    h8 = h8.add(c);
    c = h8.lanewise(VectorOperators.LSHR, 26);
    h8 = h8.and(M26);
    h9 = h9.add(c);
    c = h9.lanewise(VectorOperators.LSHR, 25);
    h9 = h9.and(M25);
    h0 = h0.add(c.mul(19));
    c = h0.lanewise(VectorOperators.LSHR, 26);
    h0 = h0.and(M26);
    h1 = h1.add(c);
    h0.intoArray(h, 0 * LANES);
    h1.intoArray(h, 1 * LANES);
    h2.intoArray(h, 2 * LANES);
    h3.intoArray(h, 3 * LANES);
    h4.intoArray(h, 4 * LANES);
    h5.intoArray(h, 5 * LANES);
    h6.intoArray(h, 6 * LANES);
    h7.intoArray(h, 7 * LANES);
    h8.intoArray(h, 8 * LANES);
    h9.intoArray(h, 9 * LANES);
  }

  /** h = f^2, lane-wise; h may alias f. */
  static void sq(long[] h, long[] f) {
    if (Fe.COUNT) {
      sqCount++;
    }
    LongVector f0 = LongVector.fromArray(S, f, 0 * LANES);
    LongVector f1 = LongVector.fromArray(S, f, 1 * LANES);
    LongVector f2 = LongVector.fromArray(S, f, 2 * LANES);
    LongVector f3 = LongVector.fromArray(S, f, 3 * LANES);
    LongVector f4 = LongVector.fromArray(S, f, 4 * LANES);
    LongVector f5 = LongVector.fromArray(S, f, 5 * LANES);
    LongVector f6 = LongVector.fromArray(S, f, 6 * LANES);
    LongVector f7 = LongVector.fromArray(S, f, 7 * LANES);
    LongVector f8 = LongVector.fromArray(S, f, 8 * LANES);
    LongVector f9 = LongVector.fromArray(S, f, 9 * LANES);
    LongVector f1x2 = f1.lanewise(VectorOperators.LSHL, 1);
    LongVector f2x2 = f2.lanewise(VectorOperators.LSHL, 1);
    LongVector f3x2 = f3.lanewise(VectorOperators.LSHL, 1);
    LongVector f3x4 = f3.lanewise(VectorOperators.LSHL, 2);
    LongVector f4x2 = f4.lanewise(VectorOperators.LSHL, 1);
    LongVector f5x2 = f5.lanewise(VectorOperators.LSHL, 1);
    LongVector f5x4 = f5.lanewise(VectorOperators.LSHL, 2);
    LongVector f5x38 = f5.mul(38);
    LongVector f6x2 = f6.lanewise(VectorOperators.LSHL, 1);
    LongVector f6x19 = f6.mul(19);
    LongVector f6x38 = f6.mul(38);
    LongVector f7x2 = f7.lanewise(VectorOperators.LSHL, 1);
    LongVector f7x4 = f7.lanewise(VectorOperators.LSHL, 2);
    LongVector f7x38 = f7.mul(38);
    LongVector f7x76 = f7.mul(76);
    LongVector f8x2 = f8.lanewise(VectorOperators.LSHL, 1);
    LongVector f8x19 = f8.mul(19);
    LongVector f8x38 = f8.mul(38);
    LongVector f9x2 = f9.lanewise(VectorOperators.LSHL, 1);
    LongVector f9x38 = f9.mul(38);
    LongVector f9x76 = f9.mul(76);
    LongVector h0 =
        f0.mul(f0)
            .add(f1.mul(f9x76))
            .add(f2.mul(f8x38))
            .add(f3.mul(f7x76))
            .add(f4.mul(f6x38))
            .add(f5.mul(f5x38));
    LongVector h1 =
        f0.mul(f1x2).add(f2.mul(f9x38)).add(f3.mul(f8x38)).add(f4.mul(f7x38)).add(f5.mul(f6x38));
    LongVector h2 =
        f0.mul(f2x2)
            .add(f1.mul(f1x2))
            .add(f3.mul(f9x76))
            .add(f4.mul(f8x38))
            .add(f5.mul(f7x76))
            .add(f6.mul(f6x19));
    LongVector h3 =
        f0.mul(f3x2).add(f1.mul(f2x2)).add(f4.mul(f9x38)).add(f5.mul(f8x38)).add(f6.mul(f7x38));
    LongVector h4 =
        f0.mul(f4x2)
            .add(f1.mul(f3x4))
            .add(f2.mul(f2))
            .add(f5.mul(f9x76))
            .add(f6.mul(f8x38))
            .add(f7.mul(f7x38));
    LongVector h5 =
        f0.mul(f5x2).add(f1.mul(f4x2)).add(f2.mul(f3x2)).add(f6.mul(f9x38)).add(f7.mul(f8x38));
    LongVector h6 =
        f0.mul(f6x2)
            .add(f1.mul(f5x4))
            .add(f2.mul(f4x2))
            .add(f3.mul(f3x2))
            .add(f7.mul(f9x76))
            .add(f8.mul(f8x19));
    LongVector h7 =
        f0.mul(f7x2).add(f1.mul(f6x2)).add(f2.mul(f5x2)).add(f3.mul(f4x2)).add(f8.mul(f9x38));
    LongVector h8 =
        f0.mul(f8x2)
            .add(f1.mul(f7x4))
            .add(f2.mul(f6x2))
            .add(f3.mul(f5x4))
            .add(f4.mul(f4))
            .add(f9.mul(f9x38));
    LongVector h9 =
        f0.mul(f9x2).add(f1.mul(f8x2)).add(f2.mul(f7x2)).add(f3.mul(f6x2)).add(f4.mul(f5x2));
    // carry chain (limbs non-negative): 26/25-bit limbs, the carry out of limb 9 wraps as 19
    LongVector c;
    c = h0.lanewise(VectorOperators.LSHR, 26);
    h0 = h0.and(M26);
    h1 = h1.add(c);
    c = h1.lanewise(VectorOperators.LSHR, 25);
    h1 = h1.and(M25);
    h2 = h2.add(c);
    c = h2.lanewise(VectorOperators.LSHR, 26);
    h2 = h2.and(M26);
    h3 = h3.add(c);
    c = h3.lanewise(VectorOperators.LSHR, 25);
    h3 = h3.and(M25);
    h4 = h4.add(c);
    c = h4.lanewise(VectorOperators.LSHR, 26);
    h4 = h4.and(M26);
    h5 = h5.add(c);
    c = h5.lanewise(VectorOperators.LSHR, 25);
    h5 = h5.and(M25);
    h6 = h6.add(c);
    c = h6.lanewise(VectorOperators.LSHR, 26);
    h6 = h6.and(M26);
    h7 = h7.add(c);
    c = h7.lanewise(VectorOperators.LSHR, 25);
    h7 = h7.and(M25);
    h8 = h8.add(c);
    c = h8.lanewise(VectorOperators.LSHR, 26);
    h8 = h8.and(M26);
    h9 = h9.add(c);
    c = h9.lanewise(VectorOperators.LSHR, 25);
    h9 = h9.and(M25);
    h0 = h0.add(c.mul(19));
    c = h0.lanewise(VectorOperators.LSHR, 26);
    h0 = h0.and(M26);
    h1 = h1.add(c);
    h0.intoArray(h, 0 * LANES);
    h1.intoArray(h, 1 * LANES);
    h2.intoArray(h, 2 * LANES);
    h3.intoArray(h, 3 * LANES);
    h4.intoArray(h, 4 * LANES);
    h5.intoArray(h, 5 * LANES);
    h6.intoArray(h, 6 * LANES);
    h7.intoArray(h, 7 * LANES);
    h8.intoArray(h, 8 * LANES);
    h9.intoArray(h, 9 * LANES);
  }

  /**
   * One parallel carry step (every limb at once, the carry out of limb 9 wraps as 19): limbs below
   * 2^40 become tight (below 2^26 + 19 * 2^15).
   */
  static void carry(long[] h) {
    LongVector h0 = LongVector.fromArray(S, h, 0);
    LongVector h1 = LongVector.fromArray(S, h, LANES);
    LongVector h2 = LongVector.fromArray(S, h, 2 * LANES);
    LongVector h3 = LongVector.fromArray(S, h, 3 * LANES);
    LongVector h4 = LongVector.fromArray(S, h, 4 * LANES);
    LongVector h5 = LongVector.fromArray(S, h, 5 * LANES);
    LongVector h6 = LongVector.fromArray(S, h, 6 * LANES);
    LongVector h7 = LongVector.fromArray(S, h, 7 * LANES);
    LongVector h8 = LongVector.fromArray(S, h, 8 * LANES);
    LongVector h9 = LongVector.fromArray(S, h, 9 * LANES);
    LongVector c0 = h0.lanewise(VectorOperators.LSHR, 26);
    LongVector c1 = h1.lanewise(VectorOperators.LSHR, 25);
    LongVector c2 = h2.lanewise(VectorOperators.LSHR, 26);
    LongVector c3 = h3.lanewise(VectorOperators.LSHR, 25);
    LongVector c4 = h4.lanewise(VectorOperators.LSHR, 26);
    LongVector c5 = h5.lanewise(VectorOperators.LSHR, 25);
    LongVector c6 = h6.lanewise(VectorOperators.LSHR, 26);
    LongVector c7 = h7.lanewise(VectorOperators.LSHR, 25);
    LongVector c8 = h8.lanewise(VectorOperators.LSHR, 26);
    LongVector c9 = h9.lanewise(VectorOperators.LSHR, 25);
    h0.and(M26).add(c9.mul(19)).intoArray(h, 0);
    h1.and(M25).add(c0).intoArray(h, LANES);
    h2.and(M26).add(c1).intoArray(h, 2 * LANES);
    h3.and(M25).add(c2).intoArray(h, 3 * LANES);
    h4.and(M26).add(c3).intoArray(h, 4 * LANES);
    h5.and(M25).add(c4).intoArray(h, 5 * LANES);
    h6.and(M26).add(c5).intoArray(h, 6 * LANES);
    h7.and(M25).add(c6).intoArray(h, 7 * LANES);
    h8.and(M26).add(c7).intoArray(h, 8 * LANES);
    h9.and(M25).add(c8).intoArray(h, 9 * LANES);
  }

  /** Stores f (any limbs) into lane j of v. */
  static void put(long[] v, int lane, Fe f, Fe scratch) {
    scratch.set(f);
    Fe.canonical(scratch);
    putLimb(v, lane, 0, scratch.l0);
    putLimb(v, lane, 1, scratch.l1);
    putLimb(v, lane, 2, scratch.l2);
    putLimb(v, lane, 3, scratch.l3);
    putLimb(v, lane, 4, scratch.l4);
  }

  /** Splits a 51-bit limb k into limbs 2k (26 bits) and 2k + 1 (25 bits). */
  private static void putLimb(long[] v, int lane, int k, long limb) {
    v[(2 * k) * LANES + lane] = limb & ((1L << 26) - 1);
    v[(2 * k + 1) * LANES + lane] = limb >>> 26;
  }

  /** Loads lane j of v into f (tight). */
  static void get(long[] v, int lane, Fe f) {
    f.l0 = v[lane] + (v[LANES + lane] << 26);
    f.l1 = v[2 * LANES + lane] + (v[3 * LANES + lane] << 26);
    f.l2 = v[4 * LANES + lane] + (v[5 * LANES + lane] << 26);
    f.l3 = v[6 * LANES + lane] + (v[7 * LANES + lane] << 26);
    f.l4 = v[8 * LANES + lane] + (v[9 * LANES + lane] << 26);
    Fe.weakReduce(f);
  }
}
