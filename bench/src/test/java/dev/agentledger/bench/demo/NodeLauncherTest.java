package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLauncherTest {
  @Test
  void passesOnModuleFlagsCompileCommandsAndAgentLedgerProperties() {
    List<String> args =
        List.of(
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Xmx2g",
            "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,dev.agentledger.hash.simd.*::*,0.05",
            "-XX:+UseSerialGC",
            "-Dagentledger.home=/x",
            "-Duser.language=en");

    assertThat(NodeLauncher.inheritedFlags(args))
        .containsExactly(
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,dev.agentledger.hash.simd.*::*,0.05",
            "-Dagentledger.home=/x");
  }

  @Test
  void nodeJavaOptsAreSplitAtWhiteSpace() {
    assertThat(NodeLauncher.nodeJavaOpts(null)).isEmpty();
    assertThat(NodeLauncher.nodeJavaOpts("  ")).isEmpty();
    assertThat(NodeLauncher.nodeJavaOpts(" -XX:+UseParallelGC\t -XX:CICompilerCount=2 "))
        .containsExactly("-XX:+UseParallelGC", "-XX:CICompilerCount=2");
  }
}
