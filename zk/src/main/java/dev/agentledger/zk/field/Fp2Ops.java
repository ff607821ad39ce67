package dev.agentledger.zk.field;

/**
 * {@code Fp2 = Fp[u] / (u^2 + 1)} on flat storage (width 8: {@code c0} then {@code c1}), the field
 * of G2's coordinates. Holds scratch space: one instance per thread.
 */
public final class Fp2Ops extends FieldOps {
  private static final MontField F = Bn254.FP;
  private final long[] t = new long[16];

  @Override
  public int width() {
    return 8;
  }

  @Override
  public void mul(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    // Karatsuba: 3 Fp multiplications
    long[] t = this.t;
    F.mul(t, 0, a, ao, b, bo); // a0 b0
    F.mul(t, 4, a, ao + 4, b, bo + 4); // a1 b1
    F.add(t, 8, a, ao, a, ao + 4);
    F.add(t, 12, b, bo, b, bo + 4);
    F.mul(t, 8, t, 8, t, 12); // (a0 + a1)(b0 + b1)
    F.sub(t, 8, t, 8, t, 0);
    F.sub(r, ro + 4, t, 8, t, 4);
    F.sub(r, ro, t, 0, t, 4);
  }

  @Override
  public void sqr(long[] r, int ro, long[] a, int ao) {
    // (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u
    long[] t = this.t;
    F.add(t, 0, a, ao, a, ao + 4);
    F.sub(t, 4, a, ao, a, ao + 4);
    F.mul(t, 8, a, ao, a, ao + 4);
    F.mul(r, ro, t, 0, t, 4);
    F.add(r, ro + 4, t, 8, t, 8);
  }

  @Override
  public void add(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    F.add(r, ro, a, ao, b, bo);
    F.add(r, ro + 4, a, ao + 4, b, bo + 4);
  }

  @Override
  public void sub(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    F.sub(r, ro, a, ao, b, bo);
    F.sub(r, ro + 4, a, ao + 4, b, bo + 4);
  }

  @Override
  public void neg(long[] r, int ro, long[] a, int ao) {
    F.neg(r, ro, a, ao);
    F.neg(r, ro + 4, a, ao + 4);
  }

  @Override
  public void inv(long[] r, int ro, long[] a, int ao) {
    // 1 / (a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2)
    long[] t = this.t;
    F.mul(t, 0, a, ao, a, ao);
    F.mul(t, 4, a, ao + 4, a, ao + 4);
    F.add(t, 0, t, 0, t, 4);
    F.inv(t, 0, t, 0);
    F.mul(r, ro, a, ao, t, 0);
    F.mul(t, 4, a, ao + 4, t, 0);
    F.neg(r, ro + 4, t, 4);
  }

  @Override
  public void invPublic(long[] r, int ro, long[] a, int ao) {
    long[] t = this.t;
    F.mul(t, 0, a, ao, a, ao);
    F.mul(t, 4, a, ao + 4, a, ao + 4);
    F.add(t, 0, t, 0, t, 4);
    F.invPublic(t, 0, t, 0);
    F.mul(r, ro, a, ao, t, 0);
    F.mul(t, 4, a, ao + 4, t, 0);
    F.neg(r, ro + 4, t, 4);
  }

  @Override
  public void setOne(long[] r, int ro) {
    F.setOne(r, ro);
    MontField.setZero(r, ro + 4);
  }
}
