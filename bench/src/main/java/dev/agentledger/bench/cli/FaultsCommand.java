package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.bench.faults.FaultSuite;
import dev.agentledger.bench.faults.core.FaultKind;
import dev.agentledger.bench.faults.core.FaultPlan;
import dev.agentledger.bench.faults.core.FaultStep;
import dev.agentledger.bench.faults.core.ResultsTable;
import dev.agentledger.bench.faults.core.ScenarioResult;
import dev.agentledger.node.cli.MalformedInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger faults}: the fault-injection suite against a local cluster of real validator
 * processes. Prints progress, then the results table (or JSON), and exits 1 when any check failed.
 */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description = {
      "Run fault scenarios against a local cluster of real validator processes under load.",
      "Starts the validators (cluster init + node run) behind userspace peer proxies and runs each"
          + " scenario under honest load from the load generator: kill -9 of one and of two"
          + " validators, a partition, a relay that replays and forges peer traffic, connection"
          + " floods, overload, and a full disk (root only). Each checks no fork, nothing accepted"
          + " lost, proofs verified, and commits during and after the fault; prints a results"
          + " table and exits 1 on any failed check. Stops every process it started."
    })
public final class FaultsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LocalClusterOptions cluster = new LocalClusterOptions(19500);

  @Option(
      names = "--scenarios",
      paramLabel = "LIST",
      defaultValue = "all",
      description =
          "Comma-separated scenarios: kill-one, kill-two, partition (at the link proxies), partition-netns (at the IP level, a network namespace; root), relay, flood, overload, disk-full, all (those eight), or heap (a validator with a small heap under overload). Default: ${DEFAULT-VALUE}.")
  String scenarios;

  @Option(
      names = "--duration-s",
      paramLabel = "SECONDS",
      description =
          "Load per scenario: a third before, a third during, a third after the fault. Default: ${DEFAULT-VALUE}.")
  double durationSeconds = 30;

  @Option(
      names = "--warmup-s",
      paramLabel = "SECONDS",
      description =
          "Honest load before the first scenario, so that it meets a cluster that already commits (0: none). Default: ${DEFAULT-VALUE}.")
  double warmupSeconds = 20;

  @Option(
      names = "--random-minutes",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Instead of each scenario once, a seeded random schedule of them for about N minutes of load (0: off). Default: ${DEFAULT-VALUE}.")
  double randomMinutes;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the random schedule, proof samples and signed runs. Default: random.")
  Long seed;

  @Option(
      names = "--rate",
      paramLabel = "TPS",
      defaultValue = "100",
      description = "Offered rate of the honest load. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--overload-tps",
      paramLabel = "TPS",
      defaultValue = "20000",
      description = "Offered rate during the overload. Default: ${DEFAULT-VALUE}.")
  double overloadTps;

  @Option(
      names = "--overload-s",
      paramLabel = "SECONDS",
      description = "How long the overload lasts. Default: ${DEFAULT-VALUE}.")
  double overloadSeconds = 3;

  @Option(
      names = "--flood-connections",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "Connections the flood opens to each of the client and HTTP ports. Default: ${DEFAULT-VALUE}.")
  int floodConnections;

  @Option(
      names = "--proofs",
      paramLabel = "N",
      defaultValue = "20",
      description = "Committed runs proved and verified per scenario. Default: ${DEFAULT-VALUE}.")
  int proofs;

  @Option(
      names = "--drain-s",
      paramLabel = "SECONDS",
      description =
          "Wait this long after each scenario's load for outstanding commits. Default: ${DEFAULT-VALUE}.")
  double drainSeconds = 60;

  @Option(
      names = "--ready-timeout-s",
      paramLabel = "SECONDS",
      description = "Wait this long for a started validator to serve. Default: ${DEFAULT-VALUE}.")
  int readyTimeoutSeconds = 180;

  @Option(
      names = "--rejoin-timeout-s",
      paramLabel = "SECONDS",
      description =
          "Wait this long for a healed validator to reach the others' commit height. Default: ${DEFAULT-VALUE}.")
  int rejoinTimeoutSeconds = 90;

  @Option(
      names = "--load-agents",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "Agents in the genesis, split between the scenarios. Default: ${DEFAULT-VALUE}.")
  int loadAgents;

  @Option(
      names = "--tmpfs-mb",
      paramLabel = "N",
      defaultValue = "1024",
      description =
          "Size of the disk-full victim's data directory (a tmpfs; memory is used only as it fills). It must hold the victim's data plus the node's free-space floor (64 MiB) once the filler is removed, or the restarted victim stops again. Default: ${DEFAULT-VALUE}.")
  int tmpfsMb;

  @Override
  public Integer call() throws Exception {
    List<FaultKind> kinds;
    try {
      kinds = FaultKind.parseList(scenarios);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("--scenarios: " + e.getMessage());
    }
    if (!(durationSeconds >= 3)
        || !(randomMinutes >= 0)
        || !(rate > 0)
        || !(overloadTps > 0)
        || !(overloadSeconds > 0)
        || overloadSeconds > durationSeconds / 3
        || floodConnections < 1
        || proofs < 1
        || !(drainSeconds >= 0)
        || !(warmupSeconds >= 0)
        || readyTimeoutSeconds < 1
        || rejoinTimeoutSeconds < 1
        || tmpfsMb < 16) {
      throw new MalformedInputException(
          "--duration-s must be at least 3, --overload-s positive and at most a third of it,"
              + " --rate and --overload-tps positive, --flood-connections and --proofs at least 1,"
              + " --random-minutes, --drain-s and --warmup-s >= 0, timeouts positive, --tmpfs-mb at"
              + " least 16");
    }
    if (cluster.validators < 4) {
      throw new MalformedInputException(
          "--validators must be at least 4 (one fault must leave a quorum): " + cluster.validators);
    }
    long runSeed = seed != null ? seed : new java.security.SecureRandom().nextLong();
    List<FaultStep> steps =
        randomMinutes > 0
            ? FaultPlan.random(
                runSeed,
                (int) Math.max(1, Math.ceil(randomMinutes * 60 / durationSeconds)),
                kinds,
                cluster.validators)
            : FaultSuite.named(kinds, cluster.validators);
    int agentWindows = steps.size() + (warmupSeconds > 0 ? 1 : 0);
    if (loadAgents < agentWindows) {
      throw new MalformedInputException(
          "--load-agents must be at least the number of scenarios, plus one for the warm-up ("
              + agentWindows
              + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter log = cluster.json ? spec.commandLine().getErr() : out;
    Path runDir = cluster.runDir("faults");
    log.printf(
        Locale.ROOT,
        "faults: %d scenarios (%s), seed %d, %.0f s of load each at %.0f tps, run directory %s%n",
        steps.size(),
        randomMinutes > 0 ? "random schedule" : "named",
        runSeed,
        durationSeconds,
        rate,
        runDir);
    steps.forEach(s -> log.println("  " + s.label()));
    log.flush();
    List<ScenarioResult> results =
        FaultSuite.run(
            new FaultSuite.Options(
                runDir,
                steps,
                cluster.validators,
                cluster.basePort,
                loadAgents,
                cluster.nodeHeap,
                runSeed,
                (long) tmpfsMb << 20,
                rate,
                (long) (durationSeconds * 1e9),
                (long) (drainSeconds * 1e9),
                proofs,
                overloadTps,
                (long) (overloadSeconds * 1e9),
                floodConnections,
                Duration.ofSeconds(readyTimeoutSeconds),
                Duration.ofSeconds(rejoinTimeoutSeconds),
                (long) (warmupSeconds * 1e9)),
            log);
    if (cluster.json) {
      out.println(toJson(results, runSeed));
    } else {
      out.print(ResultsTable.render(results));
    }
    out.flush();
    return results.stream().anyMatch(r -> r.verdict().equals("FAIL")) ? 1 : 0;
  }

  static String toJson(List<ScenarioResult> results, long seed) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode().put("seed", seed);
    ArrayNode rows = root.putArray("scenarios");
    for (ScenarioResult r : results) {
      ObjectNode row =
          rows.addObject()
              .put("scenario", r.scenario())
              .put("fault", r.fault())
              .put("commitsBefore", r.commitsBefore())
              .put("commitsDuring", r.commitsDuring())
              .put("commitsAfter", r.commitsAfter())
              .put("accepted", r.accepted())
              .put("lost", r.lost())
              .put("fork", !r.forkFree())
              .put("proofsFetched", r.proofsFetched())
              .put("proofsVerified", r.proofsVerified())
              .put("verdict", r.verdict());
      if (r.skipped() != null) {
        row.put("skipped", r.skipped());
      }
      ArrayNode failures = row.putArray("failures");
      r.failures().forEach(failures::add);
      if (!r.notes().isEmpty()) {
        ArrayNode notes = row.putArray("notes");
        r.notes().forEach(notes::add);
      }
    }
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
