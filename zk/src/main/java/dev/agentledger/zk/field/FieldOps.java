package dev.agentledger.zk.field;

/**
 * Arithmetic of one field on flat {@code long[]} storage, so that curve code can be written once
 * for G1 (over Fp, {@link #width()} 4) and G2 (over Fp2, width 8). Instances may hold scratch
 * space: one instance per thread.
 */
public abstract class FieldOps {
  /** Longs per element. */
  public abstract int width();

  /** {@code r = a * b}. */
  public abstract void mul(long[] r, int ro, long[] a, int ao, long[] b, int bo);

  /** {@code r = a^2}. */
  public abstract void sqr(long[] r, int ro, long[] a, int ao);

  /** {@code r = a + b}. */
  public abstract void add(long[] r, int ro, long[] a, int ao, long[] b, int bo);

  /** {@code r = a - b}. */
  public abstract void sub(long[] r, int ro, long[] a, int ao, long[] b, int bo);

  /** {@code r = -a}. */
  public abstract void neg(long[] r, int ro, long[] a, int ao);

  /** {@code r = a^-1}, zero maps to zero. */
  public abstract void inv(long[] r, int ro, long[] a, int ao);

  /**
   * {@code r = a^-1} for a public operand (variable time allowed), zero maps to zero; defaults to
   * {@link #inv}.
   */
  public void invPublic(long[] r, int ro, long[] a, int ao) {
    inv(r, ro, a, ao);
  }

  /** {@code r = 1}. */
  public abstract void setOne(long[] r, int ro);

  /** {@code r = 2a}. */
  public void dbl(long[] r, int ro, long[] a, int ao) {
    add(r, ro, a, ao, a, ao);
  }

  /** Whether {@code a == 0}. */
  public boolean isZero(long[] a, int ao) {
    int w = width();
    for (int i = 0; i < w; i++) {
      if (a[ao + i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code a == b}. */
  public boolean equal(long[] a, int ao, long[] b, int bo) {
    int w = width();
    for (int i = 0; i < w; i++) {
      if (a[ao + i] != b[bo + i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code r = 0}. */
  public void setZero(long[] r, int ro) {
    java.util.Arrays.fill(r, ro, ro + width(), 0L);
  }

  /** {@code r = a}. */
  public void copy(long[] r, int ro, long[] a, int ao) {
    System.arraycopy(a, ao, r, ro, width());
  }
}
