package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code faults} and {@code soak} share their cluster options, each with its own defaults. */
class LocalClusterOptionsTest {
  @Test
  void eachCommandKeepsItsDefaults() {
    SoakCommand soak = new SoakCommand();
    new CommandLine(soak).parseArgs();
    assertThat(soak.cluster.basePort).isEqualTo(18500);
    assertThat(soak.cluster.validators).isEqualTo(4);
    assertThat(soak.cluster.nodeHeap).isEqualTo("512m");
    assertThat(soak.cluster.json).isFalse();
    assertThat(soak.cluster.dir).isNull();
    FaultsCommand faults = new FaultsCommand();
    new CommandLine(faults)
        .parseArgs("--base-port", "25000", "--validators", "5", "--node-heap", "1g", "--json");
    assertThat(faults.cluster.basePort).isEqualTo(25000);
    assertThat(faults.cluster.validators).isEqualTo(5);
    assertThat(faults.cluster.nodeHeap).isEqualTo("1g");
    assertThat(faults.cluster.json).isTrue();
    assertThat(new FaultsCommand().cluster.basePort).isEqualTo(19500);
  }

  @Test
  void helpNamesEachCommandsDefaults() { // help lines wrap: compared with spaces collapsed
    BenchCliTest.Result soak = BenchCliTest.run("soak", "--help");
    assertThat(soak.out().replaceAll("\\s+", " "))
        .contains("Default: soak-data/run-TIME under the project root.")
        .contains("PORT+400+10i+j. Default: 18500.")
        .contains("Heap of each validator JVM. Default: 512m.");
    BenchCliTest.Result faults = BenchCliTest.run("faults", "--help");
    assertThat(faults.out().replaceAll("\\s+", " "))
        .contains("Default: faults-data/run-TIME under the project root.")
        .contains("PORT+400+10i+j. Default: 19500.");
  }

  @Test
  void runDirIsTheGivenOneOrUnderTheCommandsData() {
    LocalClusterOptions options = new LocalClusterOptions(1);
    options.dir = Path.of("some/where");
    assertThat(options.runDir("soak")).isEqualTo(Path.of("some/where").toAbsolutePath());
    options.dir = null;
    assertThat(options.runDir("faults").getParent().getFileName().toString())
        .isEqualTo("faults-data");
    assertThat(options.runDir("faults").getFileName().toString()).startsWith("run-");
  }

  @Test
  void tooFewValidatorsExitTwoWithOneLine() {
    BenchCliTest.Result soak = BenchCliTest.run("soak", "--validators", "3");
    assertThat(soak.status()).isEqualTo(2);
    assertThat(soak.err()).contains("--validators must be at least 4: 3");
    BenchCliTest.Result faults = BenchCliTest.run("faults", "--validators", "3");
    assertThat(faults.status()).isEqualTo(2);
    assertThat(faults.err())
        .contains("--validators must be at least 4 (one fault must leave a quorum): 3");
  }
}
