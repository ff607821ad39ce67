package dev.agentledger.zk.field;

/** {@link FieldOps} of a {@link MontField} (width 4); stateless. */
public final class FpOps extends FieldOps {
  private final MontField f;

  /** Operations of the given field. */
  public FpOps(MontField f) {
    this.f = f;
  }

  /** The underlying field. */
  public MontField field() {
    return f;
  }

  @Override
  public int width() {
    return 4;
  }

  @Override
  public void mul(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    f.mul(r, ro, a, ao, b, bo);
  }

  @Override
  public void sqr(long[] r, int ro, long[] a, int ao) {
    f.mul(r, ro, a, ao, a, ao);
  }

  @Override
  public void add(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    f.add(r, ro, a, ao, b, bo);
  }

  @Override
  public void sub(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    f.sub(r, ro, a, ao, b, bo);
  }

  @Override
  public void neg(long[] r, int ro, long[] a, int ao) {
    f.neg(r, ro, a, ao);
  }

  @Override
  public void inv(long[] r, int ro, long[] a, int ao) {
    f.inv(r, ro, a, ao);
  }

  @Override
  public void invPublic(long[] r, int ro, long[] a, int ao) {
    f.invPublic(r, ro, a, ao);
  }

  @Override
  public void setOne(long[] r, int ro) {
    f.setOne(r, ro);
  }

  @Override
  public boolean isZero(long[] a, int ao) {
    return f.isZero(a, ao);
  }

  @Override
  public boolean equal(long[] a, int ao, long[] b, int bo) {
    return f.equal(a, ao, b, bo);
  }

  @Override
  public void copy(long[] r, int ro, long[] a, int ao) {
    MontField.copy(r, ro, a, ao);
  }

  @Override
  public void setZero(long[] r, int ro) {
    MontField.setZero(r, ro);
  }
}
