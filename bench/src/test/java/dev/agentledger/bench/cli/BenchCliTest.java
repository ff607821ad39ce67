package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.cli.AgentLedgerCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCliTest {
  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            args);
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void commandsAreRegisteredThroughTheExtension() {
    for (String command : new String[] {"loadgen", "project", "demo"}) {
      Result r = run(command, "--help");
      assertThat(r.status()).as(command).isZero();
      assertThat(r.out()).contains("Usage: agentledger " + command);
    }
  }

  @Test
  void malformedOptionsExitTwoWithOneLine() {
    Result r = run("loadgen", "--rate", "-5");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(run("project", "--target-tps", "1e7", "--hardware", "no-such-profile").status())
        .isEqualTo(2);
    assertThat(run("loadgen", "--workload", dir.resolve("missing.yaml").toString()).status())
        .isEqualTo(2);
  }

  @Test
  void demoRefusesAndNamesWhatIsMissing() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
      taken.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      int client = taken.getLocalPort();
      int basePort = client - 100 - 1; // validator v1's client port is the taken one
      Result r =
          run(
              "demo",
              "--duration",
              "1",
              "--base-port",
              Integer.toString(basePort),
              "--data-dir",
              dir.resolve("d").toString());
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err())
          .contains("cannot run the demo")
          .contains("v1 client port 127.0.0.1:" + client + " is in use")
          .contains("will not simulate");
      assertThat(r.out()).doesNotContain("cluster init");
    }
    Result backend = run("demo", "--backend", "tpu");
    assertThat(backend.status()).isEqualTo(2);
    assertThat(backend.err()).contains("--backend: 'tpu' is not one of cpu, opencl, cuda, auto");
  }

  @Test
  void aCaliperWorkloadPrintsItsRoundsWithTheWarmupApart() throws Exception {
    Path workload = dir.resolve("caliper.yaml");
    java.nio.file.Files.writeString(
        workload,
        """
        test:
          rounds:
            - { label: warmup, txNumber: 50, rateControl: { type: fixed-rate, opts: { tps: 100 } } }
            - { label: steady, txDuration: 1, rateControl: { type: fixed-rate, opts: { tps: 150 } } }
        """);
    Result load =
        run(
            "loadgen",
            "--workload",
            workload.toString(),
            "--agents",
            "20",
            "--pool-size",
            "100",
            "--report-dir",
            dir.resolve("r").toString(),
            "--no-fsync");
    assertThat(load.status()).as(load.err()).isZero();
    java.util.List<String> lines = load.out().lines().toList();
    int header = lines.indexOf(lines.stream().filter(l -> l.equals("rounds:")).findFirst().get());
    assertThat(lines.get(header + 1)).contains("label").contains("offered tps").contains("p99 ms");
    assertThat(lines.get(header + 2)).matches("  \\(warm-up\\) warmup +0\\.5 +100\\.0 +50 +50 .*");
    assertThat(lines.get(header + 3)).matches("  steady +1\\.0 +150\\.0 +150 +150 .*");
    assertThat(lines.get(header + 4)).matches("  after warm-up +1\\.0 +150\\.0 +150 +150 .*");
  }

  @Test
  void loadgenThenProjectEndToEndOnTheLocalPipeline() throws Exception {
    Path reports = dir.resolve("r");
    Result load =
        run(
            "loadgen",
            "--rate",
            "200",
            "--duration",
            "1",
            "--agents",
            "20",
            "--pool-size",
            "100",
            "--report-dir",
            reports.toString(),
            "--no-fsync");
    assertThat(load.status()).as(load.err()).isZero();
    assertThat(load.out()).contains("LOST 0").contains("report.html");
    Result refused =
        run(
            "project",
            "--target-tps",
            "10000000",
            "--hardware",
            "h100-appliance-64c",
            "--report",
            reports.resolve("report.json").toString());
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err().strip())
        .doesNotContain("\n")
        .contains("'local' target")
        .contains("--allow-local");
    Result project =
        run(
            "project",
            "--target-tps",
            "10000000",
            "--hardware",
            "h100-appliance-64c",
            "--report",
            reports.resolve("report.json").toString(),
            "--allow-local");
    assertThat(project.status()).as(project.err()).isZero();
    assertThat(project.out().lines().findFirst())
        .contains("PROJECTION (derived from the labelled inputs below; not a measurement)");

    Path home = dir.resolve("home");
    Path picked = home.resolve("target/bench-reports/run-1/report.json");
    java.nio.file.Files.createDirectories(picked.getParent());
    java.nio.file.Files.copy(reports.resolve("report.json"), picked);
    String before = System.getProperty("agentledger.home");
    System.setProperty("agentledger.home", home.toString());
    try {
      Result newest =
          run(
              "project",
              "--target-tps",
              "10000000",
              "--hardware",
              "h100-appliance-64c",
              "--allow-local");
      assertThat(newest.status()).as(newest.err()).isZero();
      assertThat(newest.out().lines().findFirst())
          .contains(
              "report: "
                  + picked
                  + " (the newest under target/bench-reports, target 'local'; choose one with"
                  + " --report)");
    } finally {
      if (before == null) {
        System.clearProperty("agentledger.home");
      } else {
        System.setProperty("agentledger.home", before);
      }
    }
    assertThat(project.out())
        .contains("PROJECTION")
        .contains("BINDS")
        .contains("appliance nodes needed")
        .contains("[measured:")
        .contains("[assumed:");
  }

  @Test
  void findMaxWritesItsProbesIntoTheReport() throws Exception {
    Path reports = dir.resolve("fm");
    Result r =
        run(
            "loadgen",
            "--find-max",
            "--rate",
            "100",
            "--probe-seconds",
            "0.5",
            "--max-probes",
            "3",
            "--warmup-seconds",
            "0.2",
            "--p99-target-ms",
            "2000",
            "--pool-size",
            "100",
            "--agents",
            "20",
            "--no-fsync",
            "--report-dir",
            reports.toString());
    assertThat(r.out()).contains("FIND-MAX").contains("probe");
    var json = dev.agentledger.bench.report.ReportFiles.readTree(reports.resolve("report.json"));
    assertThat(json.path("kind").asText()).isEqualTo("find-max");
    assertThat(json.path("findMax").path("probes").size()).isBetween(1, 3);
    assertThat(json.path("findMax").path("p99TargetMs").asDouble()).isEqualTo(2000.0);
  }
}
