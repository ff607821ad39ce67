package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.node.committee.Committee.Delegation;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.Validator;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: one validator ({@code node run} in its own JVM) keeps its data directory on a
 * 16 MiB tmpfs; once the node is up the test fills the file system, and the node's next synced
 * write (the idle consensus round writes one) fails with ENOSPC. The node must stop with exit code
 * 74 and one line saying why, with no JVM crash (no SIGSEGV, no hs_err file). Needs root to mount.
 */
@Tag("root")
class DiskFullNodeTest {
  @TempDir Path dir;
  private Path mount;
  private Process node;

  @AfterEach
  void cleanUp() throws Exception {
    if (node != null && node.isAlive()) {
      node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (mount != null) {
      new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
    }
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @Test
  void aFullDiskStopsTheNodeWithExitCode74AndNoCrash() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "skipped: mounting a tmpfs needs root");
    mount = Files.createDirectories(dir.resolve("fs"));
    if (run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()) != 0) {
      mount = null;
      assumeTrue(false, "skipped: mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?)");
    }
    Path config = writeSingleValidator(dir, mount.resolve("data"));
    Path log = dir.resolve("node.log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "--add-exports",
            "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-cp",
            System.getProperty("java.class.path"),
            AgentLedgerCli.class.getName(),
            "node",
            "run",
            "--config",
            config.toString(),
            "--jit-warmup-ms",
            "0",
            "--min-free-disk-mib",
            "0")); // this test is about the failed write, not the floor
    node =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.readString(log).contains("agentledger node: validator")) {
      assertThat(node.isAlive()).as("node runs: %s", Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("node started in time").isLessThan(deadline);
      Thread.sleep(100);
    }
    fill(mount.resolve("filler"));
    assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("node stopped on the full disk").isTrue();
    String output = Files.readString(log);
    assertThat(node.exitValue()).as(output).isEqualTo(AgentLedgerCli.EXIT_STORAGE_FAILURE);
    assertThat(output.lines().filter(l -> l.contains("storage write failed")).count())
        .as(output)
        .isEqualTo(1);
    assertThat(output).contains("No space left on device");
    assertThat(output).doesNotContain("SIGSEGV").doesNotContain("A fatal error has been detected");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no JVM crash report")
          .noneMatch(name -> name.startsWith("hs_err"));
    }
  }

  /** Writes zeros to {@code file} until the file system refuses (ENOSPC). */
  private static void fill(Path file) {
    byte[] block = new byte[64 << 10];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException expected) {
      // full
    }
  }

  /** A one-validator network in {@code dir} whose data directory is {@code dataDir}. */
  static Path writeSingleValidator(Path dir, Path dataDir) throws Exception {
    Ed25519KeyPair key = TestKeys.key(0);
    String pub = HexFormat.of().formatHex(key.publicKey());
    KeyFile.write(dir.resolve("validator.key"), key);
    int[] ports = TestKeys.freePorts(4);
    Genesis genesis =
        new Genesis(
            9,
            0,
            List.of(
                new Validator(
                    "v0",
                    "v0",
                    pub,
                    10,
                    List.of(new Delegation(pub, 10)),
                    new HostPort("127.0.0.1", ports[0]),
                    new HostPort("127.0.0.1", ports[1]))),
            FeeSchedule.defaults(),
            List.of(pub),
            List.of());
    genesis.write(dir.resolve("genesis.yaml"));
    Files.writeString(
        dir.resolve("node.yaml"),
        "format: agentledger-node/v1\n"
            + "validator_id: v0\n"
            + "key_file: validator.key\n"
            + "genesis: genesis.yaml\n"
            + "data_dir: "
            + dataDir
            + "\n"
            + "peer_listen: 127.0.0.1:"
            + ports[0]
            + "\n"
            + "client_listen: 127.0.0.1:"
            + ports[1]
            + "\n"
            + "query_listen: 127.0.0.1:"
            + ports[2]
            + "\n"
            + "metrics_listen: 127.0.0.1:"
            + ports[3]
            + "\n",
        StandardCharsets.UTF_8);
    return dir.resolve("node.yaml");
  }
}
