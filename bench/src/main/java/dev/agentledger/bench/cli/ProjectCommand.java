package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentledger.bench.projection.HardwareProfile;
import dev.agentledger.bench.projection.ProjectionModel;
import dev.agentledger.bench.projection.Quantity;
import dev.agentledger.bench.report.ReportFiles;
import dev.agentledger.node.cli.MalformedInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentledger project}: nodes and shards for a target TPS from measured stage costs. */
@Command(
    name = "project",
    mixinStandardHelpOptions = true,
    description = {
      "Project (NOT measure) the appliance nodes and shards a target rate needs.",
      "From the per-stage CPU costs MEASURED in a loadgen or demo report and a hardware profile"
          + " whose numbers are each labelled measured / published / assumed. Prints the binding"
          + " resource and every input."
    })
public final class ProjectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--target-tps",
      paramLabel = "TPS",
      required = true,
      description = "Cluster-wide target rate (transactions per second).")
  double targetTps;

  @Option(
      names = "--hardware",
      required = true,
      paramLabel = "FILE",
      description = "Hardware profile YAML, or a shipped one: this-machine, h100-appliance-64c.")
  String hardware;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "report.json with measured per-stage costs (default: the newest under target/bench-reports, named in the first line).")
  Path report;

  @Option(
      names = "--allow-local",
      description =
          "Accept a report of the 'local' target (the single-process pipeline, not a cluster) as the measured costs.")
  boolean allowLocal;

  @Override
  public Integer call() throws Exception {
    if (!(targetTps > 0) || Double.isInfinite(targetTps)) {
      throw new MalformedInputException("--target-tps must be positive: " + targetTps);
    }
    HardwareProfile profile;
    try {
      profile = HardwareProfile.load(hardware);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("--hardware " + e.getMessage());
    }
    Path reportPath =
        report != null
            ? report
            : newestReport()
                .orElseThrow(
                    () ->
                        new MalformedInputException(
                            "no --report given and no report under target/bench-reports: run 'agentledger loadgen' first"));
    if (!Files.isRegularFile(reportPath)) {
      throw new MalformedInputException("--report: no such file: " + reportPath);
    }
    JsonNode tree;
    try {
      tree = ReportFiles.readTree(reportPath);
    } catch (IOException e) {
      throw new MalformedInputException("--report " + e.getMessage());
    }
    String targetName = tree.path("target").path("name").asText();
    if (targetName.equals("local") && !allowLocal) {
      throw new MalformedInputException(
          "--report "
              + reportPath
              + " measured the 'local' target (one process, no consensus or network), not a cluster;"
              + " give a report of 'loadgen --target cluster' or 'demo', or --allow-local");
    }
    if (report == null) {
      spec.commandLine()
          .getOut()
          .println(
              "report: "
                  + reportPath
                  + " (the newest under target/bench-reports, target '"
                  + targetName
                  + "'; choose one with --report)");
    }
    String source =
        String.format(
            Locale.ROOT,
            "%s (target %s, %s, git %s)",
            reportPath,
            tree.path("target").path("name").asText(),
            tree.path("createdAt").asText(),
            tree.path("git").path("commit").asText());
    Map<String, Quantity> stages = measuredStages(tree, source);
    if (stages.isEmpty()) {
      throw new MalformedInputException(
          "--report " + reportPath + " has no per-stage CPU costs (no committed transactions?)");
    }
    ProjectionModel.Result result = ProjectionModel.project(targetTps, stages, profile);
    print(spec.commandLine().getOut(), result, profile, tree, reportPath);
    return 0;
  }

  static Map<String, Quantity> measuredStages(JsonNode tree, String source) {
    Map<String, Quantity> stages = new LinkedHashMap<>();
    if (tree.path("counts").path("committed").asLong() <= 0) {
      return stages;
    }
    for (JsonNode stage : tree.path("cpu").path("stages")) {
      stages.put(
          stage.path("name").asText(),
          new Quantity(
              stage.path("cpuNsPerCommittedTx").asDouble(),
              "ns/tx",
              Quantity.Provenance.MEASURED,
              source));
    }
    return stages;
  }

  static void print(
      PrintWriter out,
      ProjectionModel.Result r,
      HardwareProfile profile,
      JsonNode tree,
      Path reportPath) {
    out.println("PROJECTION (derived from the labelled inputs below; not a measurement)");
    out.printf(Locale.ROOT, "target: %s%n", r.targetTps());
    out.printf(Locale.ROOT, "hardware profile: %s -- %s%n", profile.name(), profile.description());
    out.printf(
        Locale.ROOT,
        "measured on: %s, %s cores, target '%s' (%s)%n",
        tree.path("hardware").path("cpuModel").asText(),
        tree.path("hardware").path("logicalCores").asText(),
        tree.path("target").path("name").asText(),
        tree.path("target").path("committedMeans").asText());
    out.println();
    out.println("measured CPU per committed transaction, by stage:");
    r.measuredStages().forEach((name, q) -> out.printf(Locale.ROOT, "  %-12s %s%n", name, q));
    out.println();
    out.println("hardware and model inputs:");
    profile.quantities().forEach((name, q) -> out.printf(Locale.ROOT, "  %-24s %s%n", name, q));
    out.println();
    out.printf(Locale.ROOT, "CPU per transaction on this appliance: %s%n", r.cpuNsPerTx());
    out.println("per-node (= per-shard) bounds:");
    for (ProjectionModel.Bound b : r.bounds()) {
      out.printf(
          Locale.ROOT,
          "  %-14s %15s tx/s  (%s)%s%n",
          b.resource(),
          fmt(b.tps().value()),
          b.formula(),
          b == r.binding() ? "  <-- BINDS" : "");
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "binding stage: %s at %s tx/s per shard%n",
        r.binding().resource(),
        fmt(r.binding().tps().value()));
    out.printf(Locale.ROOT, "shards needed: %s%n", r.shards());
    out.printf(Locale.ROOT, "appliance nodes needed: %s%n", r.nodes());
    out.println();
    out.println("not modelled:");
    for (String note : r.notModelled()) {
      out.println("  - " + note);
    }
    out.println("source of measured costs: " + reportPath);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static Optional<Path> newestReport() throws IOException {
    Path reports =
        Path.of(System.getProperty("agentledger.home", ".")).resolve("target/bench-reports");
    if (!Files.isDirectory(reports)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(reports, 2)) {
      return files
          .filter(p -> p.getFileName().toString().equals("report.json"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()));
    }
  }
}
