package dev.agentledger.zk.msm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.zk.curve.CurveOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GroupCodeTest {
  @ParameterizedTest
  @EnumSource(Msm.Group.class)
  void eachGroupRunsItsOwnCopyOfTheAccumulatorAndCurveCode(Msm.Group group) throws Exception {
    assertThat(GroupCode.separate()).isTrue();
    WindowAccumulator acc = GroupCode.accumulator(group, 8, 8);
    Class<?> c = acc.getClass();
    assertThat(c.getName()).isEqualTo(BucketAccumulator.class.getName());
    assertThat(c).isNotSameAs(BucketAccumulator.class);
    assertThat(c.getClassLoader().getName()).isEqualTo("zk-msm-" + group.name().toLowerCase());
    Class<?> curve = c.getDeclaredField("curve").getType();
    assertThat(curve.getName()).isEqualTo(CurveOps.class.getName());
    assertThat(curve).isNotSameAs(CurveOps.class);
    assertThat(curve.getClassLoader()).isSameAs(c.getClassLoader());
    // another accumulator of the same group shares its code; the other group's does not
    assertThat(GroupCode.accumulator(group, 8, 8).getClass()).isSameAs(c);
    Msm.Group other = group == Msm.Group.G1 ? Msm.Group.G2 : Msm.Group.G1;
    assertThat(GroupCode.accumulator(other, 8, 8).getClass()).isNotSameAs(c);
  }

  @ParameterizedTest
  @EnumSource(Msm.Group.class)
  void theGroupsCopyGivesTheWindowSumsOfTheSharedClass(Msm.Group group) {
    int n = 700;
    int c = 6;
    int windows = SignedDigits.windows(254, c);
    long[] points = TestPoints.points(group, n, 17);
    long[] scalars = TestPoints.scalars(n, 19);
    int[] digits = new int[windows * n];
    SignedDigits.compute(scalars, n, c, windows, 0, n, digits);
    CurveOps g = group.ops();
    int js = g.jacobianSize();
    WindowAccumulator own = GroupCode.accumulator(group, 1 << (c - 1), 16);
    BucketAccumulator shared = new BucketAccumulator(group.ops(), 1 << (c - 1), 16);
    for (int win = 0; win < windows; win++) {
      long[] a = new long[js];
      long[] b = new long[js];
      g.setInfinity(a, 0);
      g.setInfinity(b, 0);
      own.window(points, digits, win * n, 0, n, a, 0);
      shared.window(points, digits, win * n, 0, n, b, 0);
      assertThat(g.equal(a, 0, b, 0)).as("window %d", win).isTrue();
    }
  }
}
