package dev.agentledger.sig.curve25519;

/**
 * Decompresses many point encodings (ZIP-215 rules, results identical to {@link
 * PointOps#decompress}), eight at a time: the scalar code prepares u, v and u v^7 per point, the
 * 251-squaring exponentiation (u v^7)^((p-5)/8) runs on eight lanes at once in {@link Fe8}, and the
 * scalar code finishes (square check, sqrt(-1) fix-up, sign). Without lanes ({@link Fe8#NATIVE}
 * false: no 512-bit vectors on this CPU) the exponentiation runs with the scalar formulas, two
 * points in lockstep. One instance per thread.
 */
public final class BatchDecompressor {
  private final boolean lanes;
  private final Fe s0 = new Fe();
  private final Fe s1 = new Fe();
  private final Fe s2 = new Fe();
  private final Fe s3 = new Fe();
  private final Fe s4 = new Fe();
  private final Fe s5 = new Fe();
  private final Fe pow0 = new Fe();
  private final Fe pow1 = new Fe();
  private final long[] z;
  private final long[] w;
  private final long[] t0;
  private final long[] t1;
  private final long[] t2;
  private final Fe[] u = fes();
  private final Fe[] v = fes();
  private final Fe[] v3 = fes();
  private final Fe[] lane = fes();
  private final Fe scratch = new Fe();
  private final Fe t = new Fe();

  /** With the eight-lane exponentiation where this CPU runs it natively ({@link Fe8#NATIVE}). */
  public BatchDecompressor() {
    this(Fe8.NATIVE);
  }

  /** {@code lanes}: the eight-lane exponentiation ({@link Fe8}) or the scalar one. */
  public BatchDecompressor(boolean lanes) {
    this.lanes = lanes;
    int limbs = lanes ? 10 * Fe8.LANES : 0; // the lane arrays, unused by the scalar code
    z = new long[limbs];
    w = new long[limbs];
    t0 = new long[limbs];
    t1 = new long[limbs];
    t2 = new long[limbs];
  }

  private static Fe[] fes() {
    Fe[] out = new Fe[Fe8.LANES];
    for (int i = 0; i < out.length; i++) {
      out[i] = new Fe();
    }
    return out;
  }

  /**
   * Decodes {@code encodings[i][offsets[i], +32)} into {@code out[i]} for i < count; ok[i] tells
   * whether the encoding is a point. out[i] is affine (Z = 1, T = xy) when ok[i].
   */
  public void decompress(
      byte[][] encodings, int[] offsets, int count, ExtendedPoint[] out, boolean[] ok) {
    if (!lanes) {
      decompressScalar(encodings, offsets, count, out, ok);
      return;
    }
    for (int base = 0; base < count; base += Fe8.LANES) {
      int lanes = Math.min(Fe8.LANES, count - base);
      for (int j = 0; j < lanes; j++) {
        ExtendedPoint r = out[base + j];
        r.y.fromBytes(encodings[base + j], offsets[base + j]);
        PointOps.prepareRatio(u[j], v[j], lane[j], v3[j], r.y);
        Fe8.put(z, j, lane[j], scratch);
      }
      for (int j = lanes; j < Fe8.LANES; j++) {
        Fe8.putOne(z, j);
      }
      Fe8.pow22523(w, z, t0, t1, t2);
      for (int j = 0; j < lanes; j++) {
        Fe8.get(w, j, lane[j]);
        int i = base + j;
        ok[i] =
            PointOps.finishRatio(out[i], encodings[i], offsets[i], u[j], v[j], lane[j], v3[j], t);
      }
    }
  }

  /** {@link #decompress} with the scalar exponentiation, two points in lockstep. */
  private void decompressScalar(
      byte[][] encodings, int[] offsets, int count, ExtendedPoint[] out, boolean[] ok) {
    for (int base = 0; base < count; base += 2) {
      int pair = Math.min(2, count - base);
      for (int j = 0; j < pair; j++) {
        ExtendedPoint r = out[base + j];
        r.y.fromBytes(encodings[base + j], offsets[base + j]);
        PointOps.prepareRatio(u[j], v[j], lane[j], v3[j], r.y);
      }
      if (pair == 2) {
        Fe.pow22523Pair(pow0, lane[0], pow1, lane[1], s0, s1, s2, s3, s4, s5);
      } else {
        Fe.pow22523(pow0, lane[0], s0, s1, s2);
      }
      for (int j = 0; j < pair; j++) {
        int i = base + j;
        ok[i] =
            PointOps.finishRatio(
                out[i], encodings[i], offsets[i], u[j], v[j], j == 0 ? pow0 : pow1, v3[j], t);
      }
    }
  }
}
