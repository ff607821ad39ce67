package dev.agentledger.bench.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/**
 * The options of a local cluster of real validator processes, shared by {@code faults} and {@code
 * soak}: committee size, ports, validator heap, the run directory, and JSON output.
 */
final class LocalClusterOptions {
  @Option(names = "--json", description = "Print the results as JSON instead of the table.")
  boolean json;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "A new or empty directory for the cluster and its logs. Default: ${COMMAND-NAME}-data/run-TIME under the project root.")
  Path dir;

  @Option(
      names = "--validators",
      paramLabel = "N",
      defaultValue = "4",
      description = "Validators (processes), at least 4. Default: ${DEFAULT-VALUE}.")
  int validators;

  @Option(
      names = "--base-port",
      paramLabel = "PORT",
      description =
          "Validator i: PORT+i peer, +100 client, +200 query, +300 metrics; the proxy of the link from i to j: PORT+400+10i+j. Default: ${DEFAULT-VALUE}.")
  int basePort;

  @Option(
      names = "--node-heap",
      paramLabel = "SIZE",
      defaultValue = "512m",
      description = "Heap of each validator JVM. Default: ${DEFAULT-VALUE}.")
  String nodeHeap;

  /** Options whose {@code --base-port} defaults to {@code defaultBasePort}. */
  LocalClusterOptions(int defaultBasePort) {
    basePort = defaultBasePort;
  }

  /**
   * The absolute run directory: {@code --dir}, else {@code COMMAND-data/run-TIME} under the project
   * root (system property {@code agentledger.home}).
   */
  Path runDir(String command) {
    Path home = Path.of(System.getProperty("agentledger.home", ".")).toAbsolutePath();
    return (dir != null
            ? dir
            : home.resolve(command + "-data")
                .resolve(
                    "run-"
                        + LocalDateTime.now()
                            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))))
        .toAbsolutePath();
  }
}
