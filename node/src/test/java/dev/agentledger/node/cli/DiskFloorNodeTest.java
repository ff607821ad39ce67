package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.storage.DiskSpace;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code node run} stops with exit code 74 when its data directory's free space falls under the
 * floor, before any write fails (real RocksDB). The free space is injected, so the test needs no
 * full disk. The restart after space is freed runs in {@code agentledger faults --scenarios
 * disk-full} on real processes.
 */
class DiskFloorNodeTest {
  @TempDir Path dir;

  private record Run(CompletableFuture<Integer> status, StringWriter out, StringWriter err) {}

  /** Starts {@code node run} on its own thread, reading free space from {@code free}. */
  private static Run start(AtomicLong free, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AgentLedgerCli.commandLine(new ByteArrayInputStream(new byte[0]));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    NodeRunCommand run =
        (NodeRunCommand) cli.getSubcommands().get("node").getSubcommands().get("run").getCommand();
    run.freeSpace = d -> free.get();
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cli.execute(args));
    return new Run(status, out, err);
  }

  private static String text(StringWriter w) {
    return w.toString(); // a StringBuffer underneath: safe to read while the node writes
  }

  @Test
  void freeSpaceUnderTheFloorStopsWithExitCode74() throws Exception {
    Path data = dir.resolve("data");
    Path config = DiskFullNodeTest.writeSingleValidator(dir, data);
    AtomicLong free = new AtomicLong(1L << 40);
    String[] args = {
      "node", "run", "--config", config.toString(), "--jit-warmup-ms", "0", "--duration-s", "60"
    };
    Run first = start(free, args);
    while (!text(first.out()).contains("agentledger node: validator")) {
      assertThat(first.status()).as("node runs: %s", text(first.err())).isNotDone();
      Thread.sleep(50);
    }
    free.set(DiskSpace.STOP_FLOOR_MIN_BYTES - 1);
    int status = first.status().get(60, TimeUnit.SECONDS);
    String err = text(first.err());
    assertThat(status).as(err).isEqualTo(AgentLedgerCli.EXIT_STORAGE_FAILURE);
    assertThat(err.lines().filter(l -> l.contains("disk nearly full")).count())
        .as(err)
        .isEqualTo(1);
    assertThat(err)
        .contains((DiskSpace.STOP_FLOOR_MIN_BYTES - 1) + " bytes free in " + data)
        .contains("exit code 74");
    assertThat(text(first.out())).contains("agentledger node: stopping");

    assertThat(data).as("the store stayed").isNotEmptyDirectory();
  }

  @Test
  void theFloorIsConfigurableAndZeroTurnsItOff() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    AtomicLong free = new AtomicLong(0);
    Run off =
        start(
            free,
            "node",
            "run",
            "--config",
            config.toString(),
            "--jit-warmup-ms",
            "0",
            "--duration-s",
            "1",
            "--min-free-disk-mib",
            "0");
    assertThat(off.status().get(120, TimeUnit.SECONDS)).as(text(off.err())).isZero();

    NodeRunCommand command = new NodeRunCommand();
    new CommandLine(command).parseArgs("--config", "node.yaml", "--min-free-disk-mib", "5");
    assertThat(command.stopFloorBytes(dir)).isEqualTo(5L << 20);
    command = new NodeRunCommand();
    new CommandLine(command).parseArgs("--config", "node.yaml");
    assertThat(command.stopFloorBytes(dir))
        .isEqualTo(DiskSpace.defaultStopFloorBytes(DiskSpace.totalBytes(dir)));
    assertThat(DiskSpace.defaultStopFloorBytes(-1)).isEqualTo(64L << 20);
    assertThat(DiskSpace.defaultStopFloorBytes(256L << 20)).isEqualTo(64L << 20);
    assertThat(DiskSpace.defaultStopFloorBytes(20L << 30)).isEqualTo((20L << 30) / 100);
    assertThat(DiskSpace.defaultStopFloorBytes(1L << 40)).isEqualTo(512L << 20);

    // The configuration's min_free_disk_mib sets the floor; the flag overrides it.
    Files.writeString(config, "min_free_disk_mib: 5\n", StandardOpenOption.APPEND);
    free.set((5L << 20) - 1);
    Run fromFile =
        start(
            free,
            "node",
            "run",
            "--config",
            config.toString(),
            "--jit-warmup-ms",
            "0",
            "--duration-s",
            "60");
    assertThat(fromFile.status().get(120, TimeUnit.SECONDS))
        .as(text(fromFile.err()))
        .isEqualTo(AgentLedgerCli.EXIT_STORAGE_FAILURE);
    assertThat(text(fromFile.err())).contains("under the floor of " + (5L << 20) + " bytes");
    Run flagWins =
        start(
            free,
            "node",
            "run",
            "--config",
            config.toString(),
            "--jit-warmup-ms",
            "0",
            "--duration-s",
            "1",
            "--min-free-disk-mib",
            "4");
    assertThat(flagWins.status().get(120, TimeUnit.SECONDS)).as(text(flagWins.err())).isZero();
    Path badConfig = dir.resolve("bad.yaml");
    Files.writeString(
        badConfig,
        Files.readString(config).replace("min_free_disk_mib: 5", "min_free_disk_mib: -5"));
    DataPathCommandsTest.Result bad =
        DataPathCommandsTest.run("node", "run", "--config", badConfig.toString());
    assertThat(bad.status()).isEqualTo(AgentLedgerCli.EXIT_MALFORMED);
    assertThat(bad.err().strip().lines().count()).as(bad.err()).isEqualTo(1);
    assertThat(bad.err()).contains("min_free_disk_mib: -5 is out of range");

    DataPathCommandsTest.Result negative =
        DataPathCommandsTest.run(
            "node", "run", "--config", config.toString(), "--min-free-disk-mib", "-1");
    assertThat(negative.status()).isEqualTo(AgentLedgerCli.EXIT_MALFORMED);
    assertThat(negative.err()).contains("--min-free-disk-mib must be between 0 and");
  }
}
