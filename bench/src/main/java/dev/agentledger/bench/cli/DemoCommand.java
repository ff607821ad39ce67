package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentledger.bench.demo.DemoPreflight;
import dev.agentledger.bench.demo.ProcessSupervisor;
import dev.agentledger.bench.demo.ProofClient;
import dev.agentledger.bench.demo.Readiness;
import dev.agentledger.bench.loadgen.GeneratorCapacity;
import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.LoadTargetFactory;
import dev.agentledger.bench.loadgen.NanoClock;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.bench.report.GitInfo;
import dev.agentledger.bench.report.HardwareManifest;
import dev.agentledger.bench.report.ReportBuilder;
import dev.agentledger.bench.report.ReportFiles;
import dev.agentledger.bench.report.RunReport;
import dev.agentledger.node.cli.MalformedInputException;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger demo}: a real local cluster end to end. Refuses, naming the missing
 * component, when this build cannot run one; never substitutes a simulation.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start N validators as separate processes on loopback (cluster init + node run), drive signed"
            + " AgentRun load through the whole pipeline, drain, fetch and verify a sample of proofs, print a"
            + " summary, write a report, and stop every process it started (also on Ctrl-C).")
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--duration", defaultValue = "30", paramLabel = "SECONDS", description = "Load duration. Default: ${DEFAULT-VALUE}.")
  double durationSeconds;

  @Option(names = "--rate", defaultValue = "500", paramLabel = "TPS", description = "Offered rate. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--validators", defaultValue = "4", description = "Validators (processes). Default: ${DEFAULT-VALUE}.")
  int validators;

  @Option(names = "--backend", defaultValue = "auto", description = "Signature verification backend of the nodes (cpu-simd, opencl, cuda, auto). Default: ${DEFAULT-VALUE}.")
  String backend;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Cluster data directory (default: demo-data under the project root).")
  Path dataDir;

  @Option(names = "--proofs", defaultValue = "100", description = "Committed runs to fetch with proofs and verify. Default: ${DEFAULT-VALUE}.")
  int proofs;

  @Option(names = "--ready-timeout", defaultValue = "120", description = "Seconds to wait for validators to be ready. Default: ${DEFAULT-VALUE}.")
  int readyTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (!(durationSeconds > 0) || !(rate > 0) || validators < 1 || proofs < 0 || readyTimeoutSeconds < 1) {
      throw new MalformedInputException("--duration and --rate must be positive, --validators at least 1, --proofs >= 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path home = Path.of(System.getProperty("agentledger.home", ".")).toAbsolutePath();
    List<String> missing = new ArrayList<>(DemoPreflight.missing(home));
    if (LoadTargetFactory.find("cluster").isEmpty()) {
      missing.add("the cluster load target (Netty client registered as LoadTargetFactory 'cluster', branch nodedata)");
    }
    if (!ServiceLoader.load(ProofClient.Factory.class).iterator().hasNext()) {
      missing.add("the proof client (query API + verify-proof, ProofClient.Factory, branch execution)");
    }
    if (!missing.isEmpty()) {
      throw new IOException("cannot run the demo: this build lacks " + String.join("; ", missing)
          + ". The demo runs only against a real cluster and will not simulate one.");
    }
    Path data = (dataDir != null ? dataDir : home.resolve("demo-data")).toAbsolutePath();
    Files.createDirectories(data);
    String launcher = DemoPreflight.launcher(home).toString();
    try (ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofSeconds(10))) {
      out.printf(Locale.ROOT, "cluster init: %d validators under %s%n", validators, data);
      out.flush();
      Process init = new ProcessBuilder(launcher, "cluster", "init", "--validators", Integer.toString(validators), "--dir", data.toString(), "--force")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("cluster-init.log").toFile())).start();
      if (init.waitFor() != 0) {
        throw new IOException("cluster init failed (status " + init.exitValue() + "); see " + data.resolve("cluster-init.log"));
      }
      List<Path> configs = nodeConfigs(data);
      if (configs.size() != validators) {
        throw new IOException("cluster init produced " + configs.size() + " node configs under " + data + ", expected " + validators);
      }
      List<BooleanSupplier> ready = new ArrayList<>();
      for (Path config : configs) {
        Path nodeDir = config.getParent();
        String name = nodeDir.getFileName().toString();
        supervisor.start(name, List.of(launcher, "node", "run", "--config", config.toString(), "--backend", backend), nodeDir, nodeDir.resolve("node.log"));
        ready.add(readiness(config));
      }
      out.printf(Locale.ROOT, "started %d validator processes; waiting for readiness...%n", configs.size());
      out.flush();
      String notReady = Readiness.awaitAll(ready, supervisor, Duration.ofSeconds(readyTimeoutSeconds));
      if (notReady != null) {
        throw new IOException("validators not ready: " + notReady);
      }
      RunContents contents = RunContents.defaults();
      FixedRate schedule = new FixedRate(rate, (long) (durationSeconds * 1e9));
      PresignedPool pool = PresignedPool.build(contents, (int) Math.min(schedule.count(), PresignedPool.MAX_SIZE), Runtime.getRuntime().availableProcessors());
      GeneratorCapacity capacity = GeneratorCapacity.measure(pool, 1_000_000);
      var factory = LoadTargetFactory.find("cluster").orElseThrow();
      var target = factory.create(Map.of("clusterDir", data.toString()));
      var info = target.info();
      out.printf(Locale.ROOT, "driving %s%n", schedule.describe());
      out.flush();
      LoadGenerator.RunResult run = LoadGenerator.run(schedule, pool, target, NanoClock.SYSTEM, new LoadGenerator.Options(30_000_000_000L, 20_000_000L));
      int fetched = 0;
      int verified = 0;
      List<String> failures = new ArrayList<>();
      try (ProofClient client = ServiceLoader.load(ProofClient.Factory.class).iterator().next().connect(data)) {
        AgentRunFlyweight flyweight = new AgentRunFlyweight();
        SplittableRandom random = new SplittableRandom();
        List<Long> committed = run.recorder().committedSequences();
        for (int i = 0; i < Math.min(proofs, committed.size()); i++) {
          long sequence = committed.get(random.nextInt(committed.size()));
          flyweight.wrap(pool.buffer(), pool.offsetOf(sequence));
          ProofClient.Check check = client.fetchAndVerify(flyweight.transactionId());
          fetched += check.fetched() ? 1 : 0;
          verified += check.verified() ? 1 : 0;
          if (!check.verified() && failures.size() < 5) {
            failures.add(check.detail());
          }
        }
      }
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("validators", validators);
      config.put("backend", backend);
      config.put("dataDir", data.toString());
      config.put("rate", rate);
      config.put("durationSeconds", durationSeconds);
      List<String> notes = new ArrayList<>();
      notes.add(String.format(Locale.ROOT, "Proofs: %d fetched, %d verified (sample of committed runs).", fetched, verified));
      failures.forEach(f -> notes.add("proof failure: " + f));
      RunReport report = ReportBuilder.build("demo", String.format(Locale.ROOT, "demo: %d validators, %,.0f committed tps", validators, run.committedTps()),
          info, run, pool, capacity, config, HardwareManifest.collect(), GitInfo.collect(), null, notes);
      ReportFiles.Written written = ReportFiles.write(report, data.resolve("report"));
      LoadgenCommand.printSummary(out, report);
      out.printf(Locale.ROOT, "proofs: %d fetched, %d verified%n", fetched, verified);
      out.println("report: " + written.html());
      return report.counts().lost() == 0 && verified == fetched && fetched > 0 ? 0 : 1;
    }
  }

  private static List<Path> nodeConfigs(Path data) throws IOException {
    try (Stream<Path> files = Files.walk(data, 3)) {
      return files.filter(p -> p.getFileName().toString().equals("node.yaml")).sorted().toList();
    }
  }

  /** Ready when the client port named in the node config accepts connections, else when {@code ready} appears. */
  private static BooleanSupplier readiness(Path config) throws IOException {
    JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(config.toFile());
    JsonNode port = tree.path("client").path("port");
    if (port.isInt()) {
      return Readiness.tcp(tree.path("client").path("host").asText("127.0.0.1"), port.asInt());
    }
    return Readiness.file(config.getParent().resolve("ready"));
  }
}
