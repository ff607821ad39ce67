package dev.agentledger.bench.faults;

import dev.agentledger.bench.faults.core.FaultKind;
import dev.agentledger.bench.faults.core.FaultPlan;
import dev.agentledger.bench.faults.core.FaultStep;
import dev.agentledger.bench.faults.core.ScenarioResult;
import dev.agentledger.bench.loadgen.RunContents;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault-injection suite end to end: writes and starts a local cluster of real validator
 * processes behind peer proxies, runs each planned fault under honest load ({@link FaultRunner}),
 * and stops every process, proxy and mount it made, also when a scenario throws.
 */
public final class FaultSuite {
  /**
   * What to run.
   *
   * @param dir a new or empty directory for the cluster and the logs
   * @param steps the faults, in order
   * @param validators committee size (at least 4)
   * @param basePort validator i listens on base+i (peer), +100 client, +200 query, +300 metrics;
   *     the proxy of the link from i to j on base+400+10i+j
   * @param loadAgents agents in the genesis, split evenly between the steps
   * @param nodeHeap heap of each validator JVM
   * @param seed seeds the proof samples, the forged bytes and the signed runs
   * @param tmpfsBytes size of the tmpfs under the disk-full victim's data directory
   * @param warmupNs honest load before the first scenario (0: none), with agents of its own
   */
  public record Options(
      Path dir,
      List<FaultStep> steps,
      int validators,
      int basePort,
      int loadAgents,
      String nodeHeap,
      long seed,
      long tmpfsBytes,
      double rateTps,
      long durationNs,
      long drainNs,
      int proofs,
      double overloadTps,
      long overloadNs,
      int floodConnections,
      Duration readyTimeout,
      Duration rejoinTimeout,
      long warmupNs) {}

  private FaultSuite() {}

  /** Whether this process may mount (root): the disk-full scenario needs it. */
  public static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The named scenarios, each with its fixed victims. */
  public static List<FaultStep> named(List<FaultKind> kinds, int validators) {
    List<FaultStep> steps = new ArrayList<>();
    for (FaultKind k : kinds) {
      steps.add(FaultPlan.fixed(k, validators));
    }
    return steps;
  }

  /** Runs every step; returns one result per step. Progress goes to {@code log}. */
  public static List<ScenarioResult> run(Options o, PrintWriter log) throws Exception {
    if (Files.isDirectory(o.dir())) {
      try (var entries = Files.list(o.dir())) {
        if (entries.findAny().isPresent()) {
          throw new IOException(o.dir() + " is not empty: give a new or empty --dir");
        }
      }
    }
    Files.createDirectories(o.dir());
    int diskVictim = -1;
    for (FaultStep s : o.steps()) {
      if (s.kind() == FaultKind.DISK_FULL) {
        diskVictim = s.victims().get(0);
      }
    }
    boolean tmpfs = diskVictim >= 0 && root();
    if (root() && NetNamespace.available()) {
      // namespaces and links of a run that was killed before its cleanup
      NetNamespace.removeStale(log);
    }
    List<ScenarioResult> results = new ArrayList<>();
    Path clusterDir = o.dir().resolve("cluster");
    try (LocalCluster cluster =
        LocalCluster.create(
            clusterDir,
            o.validators(),
            o.basePort(),
            o.loadAgents(),
            o.nodeHeap(),
            List.of("--sig-backend=cpu", "--verify-threads=1"),
            tmpfs ? diskVictim : -1,
            o.tmpfsBytes())) {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < o.validators(); i++) {
        cluster.start(i);
        all.add(i);
      }
      log.printf(
          "started %d validator processes behind peer proxies (logs: %s/v*/node.log); waiting for readiness...%n",
          o.validators(), clusterDir);
      log.flush();
      String why = cluster.awaitReady(all, o.validators() - 1, o.readyTimeout());
      if (why != null) {
        throw new IOException("validators not ready: " + why);
      }
      log.println("all validators ready");
      log.flush();
      FaultRunner runner =
          new FaultRunner(
              cluster,
              new FaultRunner.Settings(
                  o.rateTps(),
                  o.durationNs(),
                  o.drainNs(),
                  o.proofs(),
                  o.overloadTps(),
                  o.overloadNs(),
                  o.floodConnections(),
                  o.readyTimeout(),
                  o.rejoinTimeout()),
              log,
              o.seed(),
              tmpfs);
      RunContents contents =
          RunContents.defaults().withChainId(cluster.cluster().chainId()).withSeed(o.seed());
      // with a warm-up, the agents are split between it and the steps
      int window = o.loadAgents() / (o.steps().size() + (o.warmupNs() > 0 ? 1 : 0));
      if (o.warmupNs() > 0) {
        runner.warmUp(contents, o.steps().size() * window, window, o.warmupNs());
      }
      for (int s = 0; s < o.steps().size(); s++) {
        FaultStep step = o.steps().get(s);
        log.printf("--- scenario %d/%d: %s ---%n", s + 1, o.steps().size(), step.label());
        log.flush();
        ScenarioResult r = runner.run(step, contents, s * window, window);
        log.printf("%s: %s%n", r.scenario(), r.verdict());
        log.flush();
        results.add(r);
      }
    }
    return results;
  }
}
