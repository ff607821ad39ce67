package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code node run} refuses before it starts anything. */
class NodeRunChecksTest {
  @TempDir Path dir;

  @Test
  void aKeyFileReadableByOthersIsRefusedWithTheFix() throws Exception {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "skipped: no POSIX file modes here");
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    Path key = dir.resolve("validator.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    DataPathCommandsTest.Result result =
        DataPathCommandsTest.run(
            "node", "run", "--config", config.toString(), "--jit-warmup-ms", "0");
    assertThat(result.status()).isEqualTo(AgentLedgerCli.EXIT_MALFORMED);
    assertThat(result.err().lines().count()).as(result.err()).isEqualTo(1);
    assertThat(result.err())
        .contains("key file " + key)
        .contains("rw-r--r--")
        .contains("chmod 600 " + key);
    assertThat(dir.resolve("data")).as("nothing was started").doesNotExist();
  }

  @Test
  void agentCoresOutsideTheProcessesCpusAreRefusedNamingTheRole() throws Exception {
    assumeTrue(
        dev.agentledger.node.runtime.ThreadAffinity.linux().isPresent(),
        "skipped: sched_setaffinity is Linux's");
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    Files.writeString(
        config, "agent_cores:\n  primary: 8000\n", java.nio.file.StandardOpenOption.APPEND);
    DataPathCommandsTest.Result result =
        DataPathCommandsTest.run(
            "node", "run", "--config", config.toString(), "--jit-warmup-ms", "0");
    assertThat(result.status()).isEqualTo(AgentLedgerCli.EXIT_MALFORMED);
    assertThat(result.err().lines().count()).as(result.err()).isEqualTo(1);
    assertThat(result.err())
        .contains("agent_cores.primary: CPU 8000 is not one this process may run on");
    assertThat(dir.resolve("data")).as("nothing was started").doesNotExist();
  }

  @Test
  void theThreadingFlagOverridesTheConfigurationsThreading() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    Files.writeString(
        config,
        "threading: dedicated\nagent_cores:\n  primary: 0\n",
        java.nio.file.StandardOpenOption.APPEND);
    DataPathCommandsTest.Result result =
        DataPathCommandsTest.run(
            "node",
            "run",
            "--config",
            config.toString(),
            "--jit-warmup-ms",
            "0",
            "--threading",
            "shared");
    assertThat(result.status()).isEqualTo(AgentLedgerCli.EXIT_MALFORMED);
    assertThat(result.err())
        .contains("agent_cores pins agents only under threading dedicated (threading is shared)");
    assertThat(dir.resolve("data")).as("nothing was started").doesNotExist();
  }

  @Test
  void badExecutionBacklogBoundsAreRefusedNamingTheFlag() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    String[][] cases = {
      {"--max-execution-backlog", "1", "--max-execution-backlog must be at least 2"},
      {"--backlog-heap-percent", "5", "--backlog-heap-percent must be 11..100"},
      {"--backlog-heap-percent", "101", "--backlog-heap-percent must be 11..100"},
      {"--state-retain-heap-percent", "0", "--state-retain-heap-percent must be 1..50"},
      {"--state-retain-heap-percent", "51", "--state-retain-heap-percent must be 1..50"},
      {"--admission-delay-ms", "600001", "--admission-delay-ms must be 0..600000"},
      {"--held-expiry-ms", "0", "--held-expiry-ms must be 1..3600000"},
      {"--held-expiry-ms", "3600001", "--held-expiry-ms must be 1..3600000"}
    };
    for (String[] c : cases) {
      DataPathCommandsTest.Result result =
          DataPathCommandsTest.run(
              "node", "run", "--config", config.toString(), "--jit-warmup-ms", "0", c[0], c[1]);
      assertThat(result.status()).as(result.err()).isEqualTo(AgentLedgerCli.EXIT_MALFORMED);
      assertThat(result.err().lines().count()).as(result.err()).isEqualTo(1);
      assertThat(result.err()).contains(c[2]);
    }
    assertThat(dir.resolve("data")).as("nothing was started").doesNotExist();
  }

  @Test
  void rateLimitsAreOnByDefault() {
    NodeRunCommand command = new NodeRunCommand();
    new picocli.CommandLine(command).parseArgs("--config", "node.yaml");
    dev.agentledger.node.mempool.core.MempoolConfig mempool = command.mempoolConfig();
    assertThat(mempool.perAgentRatePerSec()).isEqualTo(1000);
    assertThat(mempool.perAgentBurst()).isEqualTo(2000);
    assertThat(mempool.perConnectionRatePerSec()).isEqualTo(50_000);
    assertThat(mempool.perConnectionBurst()).isEqualTo(100_000);
    assertThat(mempool.perAddressRatePerSec()).isEqualTo(100_000);
    assertThat(mempool.perAddressBurst()).isEqualTo(200_000);
    new picocli.CommandLine(command).parseArgs("--config", "node.yaml", "--agent-rate", "0");
    assertThat(command.mempoolConfig().perAgentRatePerSec()).as("0 turns it off").isZero();
    new picocli.CommandLine(command)
        .parseArgs("--config", "node.yaml", "--ip-rate", "0", "--ip-burst", "5");
    assertThat(command.mempoolConfig().perAddressRatePerSec()).as("0 turns it off").isZero();
    assertThat(command.mempoolConfig().perAddressBurst()).isEqualTo(5);
  }
}
