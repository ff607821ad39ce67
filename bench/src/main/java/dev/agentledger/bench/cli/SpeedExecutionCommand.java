package dev.agentledger.bench.cli;

import dev.agentledger.bench.speed.ExecutionSpeed;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentledger speed execution}: see {@link ExecutionSpeed}. */
@Command(
    name = "execution",
    mixinStandardHelpOptions = true,
    description =
        "Execution CPU, wall time, allocation and hashes per transaction on the real executor and"
            + " state, beside a RocksDB floor writing the same keys and values (same run).")
public final class SpeedExecutionCommand implements Callable<Integer> {
  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Option(
      names = "--commit-size",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Transactions per commit (default ${DEFAULT-VALUE}).")
  int commitSize;

  @Option(
      names = "--accounts",
      defaultValue = "1000000",
      description = "Accounts the state holds before the run (default ${DEFAULT-VALUE}).")
  int accounts;

  @Option(
      names = "--store",
      defaultValue = "rocksdb",
      description = "memory or rocksdb (default ${DEFAULT-VALUE}).")
  String store;

  @Option(
      names = "--commits",
      defaultValue = "100",
      description = "Measured commits (default ${DEFAULT-VALUE}).")
  int commits;

  @Option(
      names = "--warmup-commits",
      paramLabel = "N",
      defaultValue = "100",
      description =
          "Commits executed before measuring, enough for the JIT to compile the Vector API code on a"
              + " busy 2-core machine (default ${DEFAULT-VALUE}).")
  int warmupCommits;

  @Option(
      names = "--stage",
      description =
          "Add a row for the node's whole execution stage (executor, commit record, query store,"
              + " event log, commit signature) on the same commits.")
  boolean stage;

  @Option(
      names = "--state-cache-mb",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "MiB of the state's pages held in memory, the rest paged out to RocksDB (rocksdb store"
              + " only; 0: all in memory; default ${DEFAULT-VALUE}).")
  long stateCacheMb;

  @Override
  public Integer call() throws Exception {
    if (!store.equals("memory") && !store.equals("rocksdb")) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--store must be memory or rocksdb: " + store);
    }
    if (stateCacheMb < 0 || stateCacheMb > 0 && !store.equals("rocksdb")) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--state-cache-mb must be 0, or positive with --store rocksdb: " + stateCacheMb);
    }
    ExecutionSpeed.Options defaults = ExecutionSpeed.Options.defaults();
    ExecutionSpeed.run(
        new ExecutionSpeed.Options(
            commitSize,
            accounts,
            store.equals("rocksdb"),
            warmupCommits,
            commits,
            defaults.tasks(),
            defaults.seed(),
            stage,
            stateCacheMb),
        json,
        System.out);
    return 0;
  }
}
