package dev.agentledger.zk.msm;

import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.FieldOps;
import dev.agentledger.zk.field.MontField;
import java.math.BigInteger;
import java.util.SplittableRandom;

/**
 * Deterministic pseudo-random MSM inputs for benchmarks and tests: points {@code P_i = s G + i Q}
 * (affine, normalised in batches) and scalars uniform below r, from one seed.
 */
public final class TestPoints {
  private TestPoints() {}

  /** {@code n} affine points of the group, from {@code seed}. */
  public static long[] points(Msm.Group group, int n, long seed) {
    CurveOps c = group.ops();
    FieldOps f = c.field();
    int w = c.width();
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] gen = group == Msm.Group.G1 ? Bn254Curves.G1_GENERATOR : Bn254Curves.G2_GENERATOR;
    long[] g = new long[3 * w];
    c.fromAffine(g, 0, gen, 0);
    long[] p = new long[3 * w];
    long[] q = new long[3 * w];
    c.mul(p, 0, g, 0, new BigInteger(250, new java.util.Random(rnd.nextLong())));
    c.mul(q, 0, g, 0, new BigInteger(250, new java.util.Random(rnd.nextLong())));
    long[] qa = new long[2 * w];
    c.toAffine(qa, 0, q, 0);
    long[] out = new long[n * 2 * w];
    int block = 1024;
    long[] jac = new long[block * 3 * w];
    long[] prefix = new long[block * w];
    long[] inv = new long[w];
    long[] t = new long[2 * w];
    for (int start = 0; start < n; start += block) {
      int k = Math.min(block, n - start);
      for (int j = 0; j < k; j++) {
        c.copy(jac, j * 3 * w, p, 0);
        c.addAffine(p, 0, p, 0, qa, 0);
      }
      // batch normalisation: one inversion per block
      for (int j = 0; j < k; j++) {
        int z = j * 3 * w + 2 * w;
        if (j == 0) {
          f.copy(prefix, 0, jac, z);
        } else {
          f.mul(prefix, j * w, prefix, (j - 1) * w, jac, z);
        }
      }
      f.inv(inv, 0, prefix, (k - 1) * w);
      for (int j = k - 1; j >= 0; j--) {
        int z = j * 3 * w + 2 * w;
        if (j > 0) {
          f.mul(t, 0, inv, 0, prefix, (j - 1) * w);
          f.mul(inv, 0, inv, 0, jac, z);
        } else {
          f.copy(t, 0, inv, 0);
        }
        // t0 = 1/Z; x = X/Z^2, y = Y/Z^3
        int o = (start + j) * 2 * w;
        f.sqr(t, w, t, 0);
        f.mul(out, o, jac, j * 3 * w, t, w);
        f.mul(t, w, t, w, t, 0);
        f.mul(out, o + w, jac, j * 3 * w + w, t, w);
      }
    }
    return out;
  }

  /** {@code n} canonical scalars uniform below r, from {@code seed}. */
  public static long[] scalars(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] out = new long[4 * n];
    MontField fr = Bn254.FR;
    for (int i = 0; i < n; i++) {
      do {
        out[4 * i] = rnd.nextLong();
        out[4 * i + 1] = rnd.nextLong();
        out[4 * i + 2] = rnd.nextLong();
        out[4 * i + 3] = rnd.nextLong() >>> 2;
      } while (!fr.isCanonical(out, 4 * i));
    }
    return out;
  }
}
