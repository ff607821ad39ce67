package dev.agentledger.zk.msm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.MontField;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MsmTest {
  private static long[] naive(Msm.Group group, long[] points, long[] scalars, int n) {
    CurveOps c = group.ops();
    int w = c.width();
    long[] acc = new long[3 * w];
    long[] p = new long[3 * w];
    long[] t = new long[3 * w];
    c.setInfinity(acc, 0);
    for (int i = 0; i < n; i++) {
      c.fromAffine(p, 0, points, i * 2 * w);
      c.mulPublic(t, 0, p, 0, MontField.fromLimbs(scalars, 4 * i));
      c.add(acc, 0, acc, 0, t, 0);
    }
    return acc;
  }

  @ParameterizedTest
  @CsvSource({
    "G1,1,1",
    "G1,2,1",
    "G1,37,1",
    "G1,300,2",
    "G1,1200,1",
    "G1,1200,3",
    "G1,2100,2",
    "G1,9000,1",
    "G1,8200,2",
    "G2,1,1",
    "G2,50,1",
    "G2,300,2"
  })
  void equalsNaiveSumIncludingEdgeCases(Msm.Group group, int n, int threads) {
    long[] points = TestPoints.points(group, n, 11 + n);
    long[] scalars = TestPoints.scalars(n, 5 + n);
    int aw = group.ops().affineSize();
    // edge cases: an infinity point, a repeated point, a negated point, zero and small scalars
    if (n >= 37) {
      java.util.Arrays.fill(points, 3 * aw, 4 * aw, 0L);
      System.arraycopy(points, 5 * aw, points, 6 * aw, aw);
      System.arraycopy(scalars, 20, scalars, 24, 4);
      System.arraycopy(points, 7 * aw, points, 8 * aw, aw);
      group.ops().field().neg(points, 8 * aw + aw / 2, points, 8 * aw + aw / 2);
      System.arraycopy(scalars, 28, scalars, 32, 4);
      java.util.Arrays.fill(scalars, 36, 40, 0L);
      java.util.Arrays.fill(scalars, 40, 44, 0L);
      scalars[40] = 1;
    }
    long[] got = new long[3 * group.ops().width()];
    Msm.msm(group, points, scalars, n, threads, got);
    long[] want = naive(group, points, scalars, n);
    assertThat(group.ops().equal(got, 0, want, 0)).isTrue();
  }
}
