package dev.agentledger.bench.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks, before anything starts, that every component the demo needs is in this build, by
 * invoking the launcher ({@code bin/agentledger ... --help}) the way the demo would. A missing
 * component is named in the message, so nobody mistakes a partial build for a cluster.
 */
public final class DemoPreflight {
  /** One required command and the branch that provides it. */
  public record Requirement(List<String> command, String component) {}

  public static final List<Requirement> REQUIREMENTS =
      List.of(
          new Requirement(List.of("cluster", "init", "--help"), "'agentledger cluster init' (config model and keys/genesis, branch deploy)"),
          new Requirement(List.of("node", "run", "--help"), "'agentledger node run' (storage, transport, ingress, mempool, workers, branch nodedata)"));

  private DemoPreflight() {}

  /** The launcher script under the project root. */
  public static Path launcher(Path home) {
    return home.resolve("bin/agentledger");
  }

  /** Names of missing components (empty when all are present). */
  public static List<String> missing(Path home) throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    Path launcher = launcher(home);
    if (!Files.isExecutable(launcher)) {
      missing.add("the launcher " + launcher);
      return missing;
    }
    for (Requirement r : REQUIREMENTS) {
      List<String> command = new ArrayList<>();
      command.add(launcher.toString());
      command.addAll(r.command());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        missing.add(r.component() + " (timed out answering --help)");
      } else if (process.exitValue() != 0) {
        missing.add(r.component());
      }
    }
    return missing;
  }
}
