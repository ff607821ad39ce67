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
}
