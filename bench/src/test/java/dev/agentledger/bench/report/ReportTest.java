package dev.agentledger.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentledger.bench.loadgen.FakeClock;
import dev.agentledger.bench.loadgen.GeneratorCapacity;
import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.ScriptedTarget;
import dev.agentledger.bench.loadgen.core.FixedRate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static final long MS = 1_000_000;
  @TempDir Path dir;

  static RunReport sample() throws Exception {
    PresignedPool pool = PresignedPool.build(RunContents.defaults().withAgents(4), 8, 1);
    FakeClock clock = new FakeClock(0);
    ScriptedTarget target =
        new ScriptedTarget(
            clock,
            (sequence, listener, c) -> {
              if (sequence % 50 == 7) {
                listener.onRejected(sequence, "bad_signature", c.nanoTime());
              } else if (sequence == 3) {
                listener.onAccepted(sequence, c.nanoTime()); // lost
              } else {
                listener.onAccepted(sequence, c.nanoTime());
                listener.onCommitted(sequence, c.nanoTime() + 5 * MS);
              }
            });
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            new FixedRate(100, 3_000 * MS),
            pool,
            target,
            clock,
            new LoadGenerator.Options(10 * MS, 0));
    GeneratorCapacity capacity = new GeneratorCapacity(1e6, 100, 10_000);
    return ReportBuilder.build(
        "loadgen",
        "test run",
        target.info(),
        run,
        pool,
        capacity,
        Map.of("rate", 100),
        HardwareManifest.collect(),
        new GitInfo("abc", false),
        null,
        List.of());
  }

  @Test
  void jsonHasTheSchemaFieldsWithTheRightTypesAndValues() throws Exception {
    RunReport report = sample();
    ReportFiles.Written written = ReportFiles.write(report, dir);
    JsonNode json = ReportFiles.readTree(written.json());
    assertThat(json.path("schema").asText()).isEqualTo("agentledger.bench.report/v1");
    for (String field :
        List.of(
            "kind",
            "createdAt",
            "title",
            "target",
            "config",
            "counts",
            "throughput",
            "latency",
            "generator",
            "cpu",
            "timeline",
            "hardware",
            "git",
            "notes")) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    JsonNode counts = json.path("counts");
    assertThat(counts.path("submitted").asLong()).isEqualTo(300);
    assertThat(counts.path("rejected").asLong()).isEqualTo(6);
    assertThat(counts.path("rejectedByReason").path("bad_signature").asLong()).isEqualTo(6);
    assertThat(counts.path("lost").asLong()).isEqualTo(1);
    assertThat(counts.path("committed").asLong()).isEqualTo(293);
    assertThat(counts.path("unanswered").isIntegralNumber()).isTrue();
    JsonNode commit = json.path("latency").path("commitFromIntended");
    for (String p : List.of("p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs")) {
      assertThat(commit.path(p).isNumber()).as(p).isTrue();
      assertThat(commit.path(p).asDouble()).as(p).isBetween(4.99, 5.01);
    }
    assertThat(json.path("latency").path("commitCdf").isArray()).isTrue();
    assertThat(json.path("throughput").path("committedTps").isNumber()).isTrue();
    JsonNode stage = json.path("cpu").path("stages").get(0);
    assertThat(stage.path("name").asText()).isEqualTo("scripted");
    assertThat(stage.path("cpuNsPerCommittedTx").asDouble())
        .isCloseTo(1_000_000.0 / 293, org.assertj.core.data.Offset.offset(0.01));
    assertThat(stage.path("provenance").asText()).isEqualTo("measured");
    assertThat(json.path("hardware").path("cpuModel").isTextual()).isTrue();
    assertThat(json.path("hardware").path("logicalCores").asInt()).isPositive();
    assertThat(json.path("git").path("commit").asText()).isEqualTo("abc");
    assertThat(json.path("timeline").get(1).path("committed").asLong()).isBetween(90L, 100L);
  }

  @Test
  void committedWithinCountsOnlyTheSecondsOfTheSchedule() {
    List<RunReport.TimelinePoint> timeline =
        List.of(
            new RunReport.TimelinePoint(0, 10, 10, 4, 0),
            new RunReport.TimelinePoint(1, 10, 10, 6, 0),
            new RunReport.TimelinePoint(2, 0, 0, 5, 3));
    assertThat(RunReport.committedWithin(timeline, 2)).isEqualTo(10);
    assertThat(RunReport.committedWithin(timeline, 2.5)).isEqualTo(15);
    assertThat(RunReport.committedWithin(timeline, 0)).isZero();
    assertThat(RunReport.committedWithin(null, 3)).isZero();
  }

  @Test
  void whileOfferedIsPrintedWhenRunsWereRefusedAndSaysWhatCommittedWithinTheSchedule()
      throws Exception {
    RunReport report = sample(); // 6 rejected
    String line = RunReport.whileOffered(report);
    assertThat(line)
        .startsWith("while offered: committed ")
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "%,d more in",
                report.counts().committed()
                    - RunReport.committedWithin(
                        report.timeline(), report.throughput().scheduleSeconds())));
    RunReport.Counts c = report.counts();
    RunReport none =
        new RunReport(
            report.schema(),
            report.kind(),
            report.createdAt(),
            report.title(),
            report.target(),
            report.config(),
            new RunReport.Counts(
                c.submitted(),
                c.submitted(),
                0,
                Map.of(),
                0,
                c.committed(),
                c.lost(),
                c.unanswered(),
                0,
                true),
            report.throughput(),
            report.latency(),
            report.generator(),
            report.cpu(),
            report.timeline(),
            report.hardware(),
            report.git(),
            report.findMax(),
            report.notes(),
            report.rounds());
    assertThat(RunReport.whileOffered(none)).isNull();
  }

  @Test
  void htmlIsSelfContainedWithThreePlots() throws Exception {
    String html = HtmlReport.render(sample());
    assertThat(html).startsWith("<!DOCTYPE html>");
    assertThat(html.split("<svg", -1)).hasSize(4);
    assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
    assertThat(html).contains("lost").contains("Committed TPS over time").contains("99.9%");
  }

  @Test
  void countsSayHowAcceptedAndRejectedAddUpToSubmitted() {
    RunReport.Counts adding =
        new RunReport.Counts(100, 90, 15, Map.of("bad_signature", 15L), 7, 80, 3, 2, 0, true);
    assertThat(HtmlReport.accounting(adding))
        .isEqualTo(
            "submitted 100 = accepted 90 + rejected 15 &minus; rejected after accept 7"
                + " + unanswered 2");
    RunReport.Counts off =
        new RunReport.Counts(100, 90, 15, Map.of("bad_signature", 15L), 7, 80, 3, 0, 0, true);
    assertThat(HtmlReport.accounting(off)).contains("warn").contains("&ne;").contains("(off by 2)");
  }

  @Test
  void stageLabelsGetRoomLeftOfTheBars() {
    String longName = "v0/verify (sig-verify stage, 2 threads)";
    String svg =
        HtmlReport.stagePlot(
            new RunReport.Cpu(
                1_000_000,
                2000,
                List.of(
                    new RunReport.Stage(
                        longName, 1_000_000, 1000, 1000, 0, 0, "what", "measured", -1, -1)),
                "thread CPU time"));
    java.util.regex.Matcher label =
        java.util.regex.Pattern.compile(
                "<text x=\"([0-9.]+)\"[^>]*text-anchor=\"end\">"
                    + java.util.regex.Pattern.quote(longName))
            .matcher(svg);
    assertThat(label.find()).as(svg).isTrue();
    assertThat(Double.parseDouble(label.group(1)))
        .isGreaterThanOrEqualTo(HtmlReport.labelWidth(longName));
  }

  @Test
  void readingSomethingElseIsRefused() throws Exception {
    Path other = dir.resolve("x.json");
    Files.writeString(other, "{\"schema\":\"other\"}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportFiles.readTree(other))
        .hasMessageContaining("not an AgentLedger bench report");
  }

  @Test
  void allocatedBytesPerCommittedTransactionIsTheTotalOverTheCommitted() {
    assertThat(ReportBuilder.allocatedPerTx(1_000_000, 4_000)).isEqualTo(250.0);
    assertThat(ReportBuilder.allocatedPerTx(-1, 4_000)).isEqualTo(-1);
    assertThat(ReportBuilder.allocatedPerTx(1_000, 0)).isEqualTo(-1);
    RunReport.Cpu cpu =
        new RunReport.Cpu(
            0,
            0,
            java.util.List.of(
                new RunReport.Stage("worker", 10, 0, 1, 0, 0, "w", "measured", 2_097_152, 512),
                new RunReport.Stage("sender", 10, 0, 1, 0, 0, "s", "measured", -1, -1)),
            "test");
    String table = HtmlReport.allocationTable(cpu);
    assertThat(table).contains("worker").contains("512").contains("2").doesNotContain("sender");
    assertThat(
            HtmlReport.allocationTable(
                new RunReport.Cpu(
                    0,
                    0,
                    java.util.List.of(
                        new RunReport.Stage("x", 1, 0, 1, 0, 0, "x", "measured", -1, -1)),
                    "t")))
        .isEmpty();
  }

  /**
   * A Caliper workload (test.rounds[] with a warm-up by txNumber and two rounds by txDuration):
   * each round's counts are exact, its latency is its own, and the warm-up stands apart from the
   * total of the others, in the JSON, the HTML and the summary.
   */
  @Test
  void aCaliperWorkloadGetsAPerRoundTableWithTheWarmupApart() throws Exception {
    Path workload = dir.resolve("caliper.yaml");
    Files.writeString(
        workload,
        """
        test:
          name: rounds
          rounds:
            - { label: warmup, txNumber: 100, rateControl: { type: fixed-rate, opts: { tps: 100 } } }
            - { label: steady, txDuration: 2, rateControl: { type: fixed-rate, opts: { tps: 200 } } }
            - label: ramp
              txDuration: 2
              rateControl: { type: linear-rate, opts: { startingTps: 100, finishingTps: 300 } }
        """);
    dev.agentledger.bench.loadgen.WorkloadFile file =
        dev.agentledger.bench.loadgen.WorkloadFile.read(workload);
    PresignedPool pool = PresignedPool.build(RunContents.defaults().withAgents(4), 8, 1);
    FakeClock clock = new FakeClock(0);
    // Warm-up (0..99): 50 ms; steady (100..499): 5 ms, one in 100 rejected; ramp: 20 ms.
    ScriptedTarget target =
        new ScriptedTarget(
            clock,
            (sequence, listener, c) -> {
              listener.onAccepted(sequence, c.nanoTime());
              if (sequence >= 100 && sequence < 500 && sequence % 100 == 0) {
                listener.onRejected(sequence, "bad_signature", c.nanoTime());
              } else {
                long latency = sequence < 100 ? 50 : sequence < 500 ? 5 : 20;
                listener.onCommitted(sequence, c.nanoTime() + latency * MS);
              }
            });
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            file.schedule(), pool, target, clock, new LoadGenerator.Options(10 * MS, 0));
    RunReport report =
        ReportBuilder.build(
            "loadgen",
            "rounds",
            target.info(),
            run,
            pool,
            new GeneratorCapacity(1e6, 100, 10_000),
            Map.of(),
            HardwareManifest.collect(),
            new GitInfo("abc", false),
            null,
            List.of(),
            file.roundLabels());

    List<RunReport.Round> rounds = report.rounds().rounds();
    assertThat(rounds)
        .extracting(RunReport.Round::label)
        .containsExactly("warmup", "steady", "ramp");
    assertThat(rounds).extracting(RunReport.Round::warmup).containsExactly(true, false, false);
    assertThat(rounds).extracting(RunReport.Round::submitted).containsExactly(100L, 400L, 400L);
    assertThat(rounds).extracting(RunReport.Round::committed).containsExactly(100L, 396L, 400L);
    assertThat(rounds).extracting(RunReport.Round::rejected).containsExactly(0L, 4L, 0L);
    assertThat(rounds.get(0).offeredTps()).isEqualTo(100.0);
    assertThat(rounds.get(1).offeredTps()).isEqualTo(200.0);
    assertThat(rounds.get(0).commitFromIntended().p50Ms()).isBetween(49.0, 51.0);
    assertThat(rounds.get(1).commitFromIntended().p99Ms()).isBetween(4.0, 6.0);
    assertThat(rounds.get(2).commitFromIntended().p50Ms()).isBetween(19.0, 21.0);
    RunReport.Round after = report.rounds().afterWarmup();
    assertThat(after.label()).isEqualTo("after warm-up");
    assertThat(after.submitted()).isEqualTo(800);
    assertThat(after.committed()).isEqualTo(796);
    assertThat(after.scheduleSeconds()).isEqualTo(4.0);
    assertThat(after.commitFromIntended().maxMs()).isLessThan(21.0); // no warm-up latency in it
    assertThat(report.counts().submitted()).isEqualTo(900); // the headline counts every round

    ReportFiles.Written written = ReportFiles.write(report, dir);
    JsonNode json = ReportFiles.readTree(written.json());
    assertThat(json.path("rounds").path("rounds").get(1).path("label").asText())
        .isEqualTo("steady");
    assertThat(json.path("rounds").path("afterWarmup").path("committed").asLong()).isEqualTo(796);
    String html = Files.readString(written.html());
    assertThat(html)
        .contains("<h2>Rounds</h2>")
        .contains("warmup <span class=\"small\">(warm-up, not in the total below)</span>")
        .contains("after warm-up <span class=\"small\">(total)</span>");
    assertThat(html.indexOf(">warmup ")).isLessThan(html.indexOf(">steady<"));
  }

  @Test
  void aSingleScheduleHasOneRoundAndNoTable() throws Exception {
    RunReport report = sample();
    assertThat(report.rounds().rounds())
        .singleElement()
        .extracting(RunReport.Round::label)
        .isEqualTo("run");
    assertThat(report.rounds().afterWarmup()).isNull();
    assertThat(HtmlReport.roundsTable(report.rounds())).isEmpty();
  }
}
