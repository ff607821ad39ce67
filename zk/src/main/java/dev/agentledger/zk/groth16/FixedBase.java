package dev.agentledger.zk.groth16;

import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.FieldOps;
import java.util.function.Supplier;

/**
 * Fixed-base windowed scalar multiplication: for a base {@code G} and window {@code c}, a table of
 * the affine points {@code d 2^(c j) G} ({@code 1 <= d < 2^c}, one row per window {@code j}), so
 * that {@code k G} is one mixed addition per non-zero window digit of {@code k}. Variable time: for
 * the development setup only, never for secrets that must stay secret.
 */
final class FixedBase {
  private static final int SCALAR_BITS = 254;
  private final int c;
  private final int windows;
  private final int row;
  private final int aff;
  private final long[] table;

  /** The table of {@code base} (affine) for a window of {@code c} bits. */
  FixedBase(Supplier<CurveOps> curves, long[] base, int c) {
    this.c = c;
    this.windows = (SCALAR_BITS + c - 1) / c;
    this.row = (1 << c) - 1;
    CurveOps ops = curves.get();
    this.aff = ops.affineSize();
    int jac = ops.jacobianSize();
    long[] rowJac = new long[row * jac];
    long[] b = base.clone();
    table = new long[windows * row * aff];
    long[] next = new long[jac];
    for (int j = 0; j < windows; j++) {
      ops.fromAffine(rowJac, 0, b, 0);
      for (int d = 1; d < row; d++) {
        ops.addAffine(rowJac, d * jac, rowJac, (d - 1) * jac, b, 0);
      }
      ops.addAffine(next, 0, rowJac, (row - 1) * jac, b, 0);
      toAffine(ops, rowJac, row, table, j * row * aff);
      ops.toAffine(b, 0, next, 0);
    }
  }

  /** The window minimising the additions for {@code count} multiplications plus the table. */
  static int window(long count) {
    int best = 2;
    double bestCost = Double.MAX_VALUE;
    for (int c = 2; c <= 14; c++) {
      double cost = ((SCALAR_BITS + c - 1) / c) * ((double) count + (1 << c));
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    return best;
  }

  /** {@code r = k G} (Jacobian at {@code ro}) for the canonical scalar limbs at {@code k[ko]}. */
  void mul(CurveOps ops, long[] r, int ro, long[] k, int ko) {
    ops.setInfinity(r, ro);
    for (int j = 0; j < windows; j++) {
      int bit = j * c;
      int limb = bit >>> 6;
      int sh = bit & 63;
      long v = k[ko + limb] >>> sh;
      if (sh + c > 64 && limb < 3) {
        v |= k[ko + limb + 1] << (64 - sh);
      }
      int d = (int) (v & row);
      if (d != 0) {
        ops.addAffine(r, ro, r, ro, table, (j * row + d - 1) * aff);
      }
    }
  }

  /**
   * Converts {@code count} Jacobian points of {@code jac} (from offset 0) to affine at {@code
   * out[oo]} with one field inversion (Montgomery's trick); infinity becomes zeros.
   */
  static void toAffine(CurveOps ops, long[] jac, int count, long[] out, int oo) {
    FieldOps f = ops.field();
    int w = f.width();
    int js = ops.jacobianSize();
    long[] prefix = new long[count * w];
    long[] acc = new long[w];
    f.setOne(acc, 0);
    for (int i = 0; i < count; i++) {
      if (!ops.isInfinity(jac, i * js)) {
        f.mul(acc, 0, acc, 0, jac, i * js + 2 * w);
      }
      System.arraycopy(acc, 0, prefix, i * w, w);
    }
    long[] inv = new long[w];
    f.inv(inv, 0, acc, 0);
    long[] zi = new long[w];
    long[] zi2 = new long[w];
    for (int i = count - 1; i >= 0; i--) {
      int p = i * js;
      int o = oo + i * 2 * w;
      if (ops.isInfinity(jac, p)) {
        f.setZero(out, o);
        f.setZero(out, o + w);
        continue;
      }
      if (i == 0) {
        System.arraycopy(inv, 0, zi, 0, w);
      } else {
        f.mul(zi, 0, inv, 0, prefix, (i - 1) * w);
      }
      f.mul(inv, 0, inv, 0, jac, p + 2 * w);
      f.sqr(zi2, 0, zi, 0);
      f.mul(out, o, jac, p, zi2, 0);
      f.mul(zi2, 0, zi2, 0, zi, 0);
      f.mul(out, o + w, jac, p + w, zi2, 0);
    }
  }
}
