package dev.agentledger.bench.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks, before anything starts, that every component the demo needs is in this build, by
 * invoking the launcher ({@code bin/agentledger ... --help}) the way the demo would. The command
 * exists only if it exits 0 and prints its own usage ({@code Usage: agentledger node run ...}):
 * picocli answers an unknown subcommand followed by {@code --help} with the top-level usage and
 * status 0. A missing component is named in the message, so nobody mistakes a partial build for a
 * cluster.
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
      Path output = Files.createTempFile("agentledger-preflight", ".txt");
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          missing.add(r.component() + " (timed out answering --help)");
          continue;
        }
        String usage = "Usage: agentledger " + String.join(" ", r.command().subList(0, r.command().size() - 1));
        if (process.exitValue() != 0 || !Files.readString(output).contains(usage)) {
          missing.add(r.component());
        }
      } finally {
        Files.deleteIfExists(output);
      }
    }
    return missing;
  }
}
