package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real launcher, {@code bin/agentledger}, as a user would (after {@code package}): JDK
 * selection, classpath, exit codes and stdout/stderr separation.
 */
class LauncherIT {
  private static final Path LAUNCHER =
      Path.of("..", "bin", "agentledger").toAbsolutePath().normalize();

  record Run(int status, String out, String err) {}

  static Run launch(Path stdin, String... args) throws IOException, InterruptedException {
    return launch(Map.of(), stdin, args);
  }

  static Run launch(Map<String, String> env, Path stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("AGENTLEDGER_NO_REBUILD", "1");
    builder.environment().putAll(env);
    builder.redirectInput(stdin.toFile());
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("launcher did not finish");
    }
    process.waitFor();
    Thread.sleep(50); // the stderr filter may flush just after the JVM exits
    Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  @Test
  void sha256OfFilesMatchesSha256sum(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/sha256sum")), "sha256sum is not installed");
    Random random = new Random(11);
    for (int size : new int[] {0, 3, 64, 100_000}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Path file = dir.resolve("f" + size);
      Files.write(file, data);
      Run ours = launch(file, "tool", "sha256");
      Process reference = new ProcessBuilder("sha256sum", file.toString()).start();
      String expected =
          new String(reference.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
              .split(" ")[0];
      reference.waitFor();
      assertThat(ours.status()).as(ours.err()).isZero();
      assertThat(ours.out().strip()).isEqualTo(expected);
      assertThat(ours.err()).as("stderr stays clean").isEmpty();
    }
  }

  @Test
  void garbageExitsTwoWithOneLineAndNoStackTrace(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("garbage");
    Files.write(file, new byte[] {(byte) 0xff, 0x00, 0x41, '\n'});
    Run run = launch(file, "tool", "ed25519-verify");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines().count()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).doesNotContain("Exception");
  }

  @Test
  void versionRuns(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"));
    Run run = launch(empty, "version");
    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("agentledger ").contains("java 25");
  }

  /**
   * The zk commands' AOT cache (bin/agentledger) is an optimisation only: a missing one, or a file
   * of garbage where the cache of these jars should be, leaves the output and exit status as they
   * are without it.
   */
  @Test
  void zkStartUpCacheAbsentOrDamagedChangesNothing(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"));
    Path aotDir = Files.createDirectory(dir.resolve("aot"));
    String[] verify = {
      "zk",
      "verify",
      "--vkey",
      dir.resolve("missing.json").toString(),
      "--proof",
      dir.resolve("proof.json").toString(),
      "--public",
      dir.resolve("public.json").toString()
    };
    String[] help = {"zk", "prove", "--help"};
    Map<String, String> off = Map.of("AGENTLEDGER_AOT", "0");
    Map<String, String> on = Map.of("AGENTLEDGER_AOT_DIR", aotDir.toString());
    Run verifyOff = launch(off, empty, verify);
    Run helpOff = launch(off, empty, help);
    assertThat(verifyOff.status()).isEqualTo(2);
    assertThat(verifyOff.err().strip().lines().count()).as(verifyOff.err()).isEqualTo(1);
    assertThat(helpOff.status()).isZero();
    assertThat(helpOff.out()).contains("--zkey");

    // absent (only `zk prove` records one)
    assertThat(launch(on, empty, verify)).isEqualTo(verifyOff);
    assertThat(launch(on, empty, help)).isEqualTo(helpOff);

    // damaged: random bytes under the name the launcher gives these jars' cache
    Path cache = Path.of(cacheName("agentledger_zk_aot_file", aotDir, empty));
    assertThat(cache.getParent()).isEqualTo(aotDir);
    byte[] garbage = new byte[200_000];
    new Random(5).nextBytes(garbage);
    Files.write(cache, garbage);
    assertThat(launch(on, empty, verify)).isEqualTo(verifyOff);
    assertThat(launch(on, empty, help)).isEqualTo(helpOff);
    assertThat(cache).hasBinaryContent(garbage);
  }

  /**
   * The node AOT cache is an optimisation only: {@code node run} started over a file of garbage
   * where the cache of these jars should be (the launcher then passes {@code -XX:AOTCache}) answers
   * as it does with the cache off.
   */
  @Test
  void nodeRunOverADamagedCacheChangesNothing(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"));
    Path aotDir = Files.createDirectory(dir.resolve("aot"));
    String[] bad = {"node", "run", "--config", dir.resolve("missing.yaml").toString()};
    Run off = launch(Map.of("AGENTLEDGER_AOT", "0"), empty, bad);
    assertThat(off.status()).isNotZero();
    Path cache = Path.of(cacheName("agentledger_node_aot_file", aotDir, empty));
    assertThat(cache.getParent()).isEqualTo(aotDir);
    assertThat(cache.getFileName().toString()).startsWith("node-").endsWith(".aot");
    byte[] garbage = new byte[200_000];
    new Random(6).nextBytes(garbage);
    Files.write(cache, garbage);
    Run on = launch(Map.of("AGENTLEDGER_AOT_DIR", aotDir.toString()), empty, bad);
    assertThat(on).isEqualTo(off);
    assertThat(cache).hasBinaryContent(garbage);
    assertThat(aotDir).isDirectoryNotContaining("glob:**.tmp*");
  }

  /** What {@code function} of bin/lib/env.sh prints with AGENTLEDGER_AOT_DIR={@code aotDir}. */
  private static String cacheName(String function, Path aotDir, Path stdin) throws Exception {
    ProcessBuilder name =
        new ProcessBuilder(
            "bash",
            "-c",
            "source \"$1\" && " + function,
            "-",
            LAUNCHER.resolveSibling("lib").resolve("env.sh").toString());
    name.environment().put("AGENTLEDGER_AOT_DIR", aotDir.toString());
    name.redirectInput(stdin.toFile());
    Process p = name.start();
    String file = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).isZero();
    return file;
  }
}
