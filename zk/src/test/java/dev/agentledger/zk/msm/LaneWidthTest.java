package dev.agentledger.zk.msm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.zk.field.Fp29x8;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lane code on both vector widths, whichever this CPU prefers: {@link Fp29x8} picks its species
 * once (a constant the JIT folds), so each width runs {@link LaneWidthCheck} in a JVM of its own
 * with {@code -Dagentledger.zk.lanes.bits}. The width this CPU does not run natively is emulated by
 * the Vector API: slow, but the values must be the same.
 */
class LaneWidthTest {
  @ParameterizedTest
  @ValueSource(ints = {256, 512})
  void laneCodeEqualsTheScalarCodeOnEachVectorWidth(int bits) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.add("-Xss4m");
    cmd.add("-D" + Fp29x8.BITS_PROPERTY + "=" + bits);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LaneWidthCheck.class.getName());
    cmd.add(Integer.toString(bits));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("ok " + bits);
  }
}
