package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdout contract (DESIGN.md section 10) on a host without libOpenCL: the CLI runs in a private
 * mount namespace ({@code unshare --mount}) where every {@code libOpenCL.so*} is bind-mounted over
 * by an empty file. Host backends print exactly the answer; {@code --backend opencl} prints nothing
 * on stdout and one line on stderr. Needs root (CI runs as root); elsewhere it skips with the
 * reason. In the default lane: it starts four short JVMs.
 */
class NoOpenClStdoutTest {
  private static final String KEY =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String SIGNATURE =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
          + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  @Test
  void hostBackendsPrintOnlyTheAnswer() throws Exception {
    Result root = runHidden("00\n", "tool", "merkle-root", "--backend", "cpu");
    assertThat(root.status()).as(root.err()).isZero();
    assertThat(root.out())
        .isEqualTo("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7\n");

    Result verify =
        runHidden(KEY + " " + SIGNATURE + "\n", "tool", "ed25519-verify", "--backend", "cpu-simd");
    assertThat(verify.status()).as(verify.err()).isZero();
    assertThat(verify.out()).isEqualTo("ok\n");
  }

  @Test
  void openClWithoutTheLibraryFailsWithOneLineOnStderr() throws Exception {
    for (List<String> args :
        List.of(
            List.of("tool", "merkle-root", "--backend", "opencl"),
            List.of("tool", "ed25519-verify", "--batch", "--backend", "opencl"))) {
      Result r = runHidden(KEY + " " + SIGNATURE + "\n", args.toArray(String[]::new));
      assertThat(r.out()).as(r.err()).isEmpty();
      assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("opencl").contains("libOpenCL");
      assertThat(r.status()).as(r.err()).isEqualTo(AgentLedgerCli.EXIT_FAILURE);
    }
  }

  /** Runs the CLI in a fresh JVM inside a mount namespace that hides libOpenCL. */
  private Result runHidden(String stdin, String... args) throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "skipped: hiding libOpenCL in a mount namespace needs root");
    List<String> libraries = openClLibraries();
    assumeTrue(!libraries.isEmpty(), "skipped: no libOpenCL.so* here, nothing to hide");
    Path empty = Files.createFile(dir.resolve("empty-" + System.nanoTime()));
    StringBuilder script = new StringBuilder("set -e\n");
    for (String library : libraries) {
      script.append("mount --bind ").append(empty).append(' ').append(library).append('\n');
    }
    script.append("exec \"$@\"\n");
    List<String> cmd =
        new ArrayList<>(List.of("unshare", "--mount", "sh", "-c", script.toString()));
    cmd.add("sh");
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--")) {
        cmd.add(flag);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(AgentLedgerCli.class.getName());
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process process =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    String errText =
        Files.readString(err)
            .lines()
            .filter(l -> !l.startsWith("WARNING: Using incubator modules"))
            .map(l -> l + "\n")
            .reduce("", String::concat);
    assumeTrue(
        !errText.startsWith("unshare:") && !errText.startsWith("mount:"),
        "skipped: no private mount namespace here: " + errText.strip());
    return new Result(process.exitValue(), Files.readString(out), errText);
  }

  /** The real files behind every libOpenCL.so* the dynamic loader could find. */
  private static List<String> openClLibraries() throws IOException {
    List<String> found = new ArrayList<>();
    for (String d :
        List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib")) {
      Path directory = Path.of(d);
      if (!Files.isDirectory(directory)) {
        continue;
      }
      try (var files = Files.list(directory)) {
        for (Path p :
            files.filter(f -> f.getFileName().toString().startsWith("libOpenCL.so")).toList()) {
          String real = p.toRealPath().toString();
          if (Files.isRegularFile(p) && !found.contains(real)) {
            found.add(real);
          }
        }
      }
    }
    return found;
  }
}
