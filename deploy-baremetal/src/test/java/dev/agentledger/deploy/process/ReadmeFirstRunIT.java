package dev.agentledger.deploy.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The top-level README's "Your first run on the ledger" walkthrough, run as written: its shell
 * block goes to bash from the repository root against a throwaway cluster, with only the scratch
 * directory and the base port replaced (so runs do not collide) and the launcher told not to
 * rebuild (this runs after {@code package}). A new user's path from a key to a verified proof of
 * their own committed run must keep working.
 */
class ReadmeFirstRunIT {
  private static final String HEADING = "## Your first run on the ledger";
  private static final String README_DIR = "/tmp/al-first";
  private static final int README_BASE = 24600;
  private static final long TIMEOUT_S = 480;

  @TempDir Path dir;

  /** The first {@code ```sh} block after {@code heading} in {@code markdown}. */
  static String shellBlock(String markdown, String heading) {
    int at = markdown.indexOf("\n" + heading + "\n");
    assertThat(at).as("README has a section '" + heading + "'").isNotNegative();
    Matcher m = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    assertThat(m.find(at)).as("a ```sh block under '" + heading + "'").isTrue();
    return m.group(1);
  }

  @Test
  void theWalkthroughCommitsAndVerifiesTheUsersOwnRun() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "skipped: the walkthrough uses curl");
    Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    Path readme = root.resolve("README.md");
    assertThat(readme).exists();
    assertThat(root.resolve("node/target/agentledger-node.jar")).exists();
    String block = shellBlock(Files.readString(readme), HEADING);
    assertThat(block).contains(README_DIR).contains(Integer.toString(README_BASE));

    int base = freeBase();
    String script = block.replace(README_DIR, dir.resolve("al-first").toString());
    for (int offset : new int[] {0, 200, 201, 202, 203}) {
      script =
          script.replace(Integer.toString(README_BASE + offset), Integer.toString(base + offset));
    }
    // The harness around the block: stop on the first failing command, and stop every node the
    // block started even when it fails halfway.
    Path file = dir.resolve("walkthrough.sh");
    Files.writeString(
        file,
        "set -euo pipefail\n"
            + "trap 'echo \"walkthrough: $SECONDS s\"; kill $(jobs -p) 2>/dev/null || true' EXIT\n"
            + script,
        StandardCharsets.UTF_8);
    Path log = dir.resolve("walkthrough.log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", file.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("AGENTLEDGER_NO_REBUILD", "1");
    pb.environment().put("AGENTLEDGER_HEAP", "384m"); // four validators share this machine
    Process bash = pb.start();
    // About a minute on a quiet two-core machine; the limit leaves room for a loaded one (each of
    // the walkthrough's eight commands starts a JVM).
    boolean finished = bash.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
    if (!finished) {
      bash.descendants().forEach(ProcessHandle::destroyForcibly);
      bash.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(finished)
        .as("the walkthrough finished within " + TIMEOUT_S + " s:\n" + output)
        .isTrue();
    assertThat(bash.exitValue()).as(output).isZero();

    List<String> lines = output.lines().toList();
    assertThat(lines)
        .as(output)
        .anyMatch(l -> l.matches("receipt 1 [0-9a-f]{64} OK fee \\d+ commit \\d+"));
    assertThat(lines).as(output).anyMatch(l -> l.matches("\"balance\":\\d+,\"nextNonce\":\"1\""));
    assertThat(output)
        .containsPattern("walkthrough: \\d+ s")
        .contains("valid: transaction ")
        .containsPattern("certified\\s+by [34] of 4 validators");
  }

  /** A base port whose peer, client, query and metrics ports (+0, +100, +200, +300) are free. */
  private static int freeBase() throws IOException {
    SecureRandom r = new SecureRandom();
    for (int attempt = 0; attempt < 50; attempt++) {
      // below Linux's ephemeral range (32768+), where outgoing connections could take a port
      // between the probe and the bind
      int base = 10_000 + r.nextInt(22_000);
      boolean free = true;
      for (int offset = 0; offset <= 300 && free; offset += 100) {
        for (int p = base + offset; p < base + offset + 4 && free; p++) {
          try (ServerSocket s = new ServerSocket(p)) {
            s.setReuseAddress(true);
          } catch (IOException e) {
            free = false;
          }
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free port range");
  }
}
