package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  @Test
  void validatorsGetTwoMallocArenasUnlessTheEnvironmentSetsThem() {
    assertThat(NodeLauncher.nodeEnvironment(Map.of("PATH", "/bin")))
        .containsExactly(Map.entry("MALLOC_ARENA_MAX", "2"));
    assertThat(NodeLauncher.nodeEnvironment(Map.of("MALLOC_ARENA_MAX", "8"))).isEmpty();
  }

  @Test
  void directMemoryIsAQuarterOfTheHeapAndAtLeast256Mib() {
    assertThat(NodeLauncher.maxDirectMib("1g")).isEqualTo(768);
    assertThat(NodeLauncher.maxDirectMib("4g")).isEqualTo(3072);
    assertThat(NodeLauncher.maxDirectMib("2048m")).isEqualTo(1536);
    assertThat(NodeLauncher.maxDirectMib("nonsense")).isEqualTo(256);
    assertThat(NodeLauncher.sizeMib("3145728k")).isEqualTo(3072);
    assertThat(NodeLauncher.sizeMib(String.valueOf(8L << 30))).isEqualTo(8192);
  }

  @Test
  void nodeRunBoundsDirectMemoryAndPutsJvmFlagsBeforeTheNodeArguments() {
    List<String> command =
        NodeLauncher.nodeRun(
            Path.of("/x/node.yaml"),
            "2g",
            List.of("-XX:NativeMemoryTracking=summary"),
            List.of("--verify-threads=1"));
    assertThat(command)
        .contains(
            "-Xmx2g", "-XX:MaxDirectMemorySize=1536m", "-Djdk.nio.maxCachedBufferSize=262144");
    int nmt = command.indexOf("-XX:NativeMemoryTracking=summary");
    assertThat(nmt).isGreaterThan(command.indexOf("-XX:MaxDirectMemorySize=1536m"));
    assertThat(nmt).isLessThan(command.indexOf(NodeLauncher.MAIN));
    assertThat(command.subList(command.size() - 5, command.size()))
        .containsExactly("node", "run", "--config", "/x/node.yaml", "--verify-threads=1");
  }
}
