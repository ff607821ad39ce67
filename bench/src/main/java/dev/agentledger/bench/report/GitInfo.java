package dev.agentledger.bench.report;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The source the numbers came from: {@code git rev-parse HEAD} and whether the tree had local
 * changes, in the project root ({@code agentledger.home}, set by the launcher, or the current
 * directory). {@code unknown} outside a git checkout.
 */
public record GitInfo(String commit, boolean dirty) {
  public static GitInfo collect() {
    Path home = Path.of(System.getProperty("agentledger.home", "."));
    String commit = run(home, "git", "rev-parse", "HEAD");
    if (commit == null || commit.isEmpty()) {
      return new GitInfo("unknown", false);
    }
    String status = run(home, "git", "status", "--porcelain", "--untracked-files=no");
    return new GitInfo(commit, status != null && !status.isEmpty());
  }

  private static String run(Path dir, String... command) {
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes()).strip();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
