package dev.agentledger.zk.msm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Capability;
import dev.agentledger.zk.curve.CurveOps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The OpenCL MSM kernel (PoCL in CI) gives the CPU's result on the same inputs. */
class OpenClMsmTest {
  private static BackendRegistry registry;
  private static Backend opencl;

  @BeforeAll
  static void open() {
    registry = BackendRegistry.discover();
    opencl = registry.find("opencl").orElse(null);
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  private static void check(int log) {
    assumeTrue(
        opencl != null && opencl.supports(Capability.MSM_BN254_G1),
        () ->
            "no OpenCL device: "
                + (opencl == null
                    ? "backend absent"
                    : opencl.probe().reason().orElse("msm unsupported")));
    int n = 1 << log;
    long[] points = TestPoints.points(Msm.Group.G1, n, 100 + log);
    long[] scalars = TestPoints.scalars(n, 200 + log);
    if (n >= 8) {
      java.util.Arrays.fill(points, 16, 24, 0L); // an infinity point
      System.arraycopy(points, 32, points, 40, 8); // a repeated point
      System.arraycopy(scalars, 16, scalars, 20, 4);
    }
    long[] cpu = new long[12];
    Msm.msm(Msm.Group.G1, points, scalars, n, 2, cpu);
    long[] dev = BackendMsm.msm(opencl, points, scalars, n).sum();
    CurveOps g1 = Msm.Group.G1.ops();
    assertThat(g1.equal(cpu, 0, dev, 0)).as("2^%d", log).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 10, 12})
  void equalsCpu(int log) {
    check(log);
  }

  @ParameterizedTest
  @ValueSource(ints = {14, 16})
  @Tag("slow")
  void equalsCpuLarge(int log) {
    check(log);
  }
}
