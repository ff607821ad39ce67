package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo: four validator JVMs, load, drain, proofs, report, and no validator left running.
 * Slow (a minute or more on a shared machine): {@code ./mvnw -pl bench -am verify
 * -Dagentledger.test.excludedGroups=gpu,root}.
 */
@Tag("slow")
class DemoSlowTest {
  @TempDir Path dir;

  @Test
  void demoRunsAClusterEndToEndAndStopsIt() throws Exception {
    int base = freeBase();
    BenchCliTest.Result r =
        BenchCliTest.run(
            "demo",
            "--duration",
            "5",
            "--rate",
            "100",
            "--load-agents",
            "200",
            "--proofs",
            "10",
            "--base-port",
            Integer.toString(base),
            "--data-dir",
            dir.toString(),
            "--bound-seconds",
            "0.5",
            "--drain-seconds",
            "60",
            "--warmup-seconds",
            "2",
            "--warmup-max-s",
            "4");
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    // The warm-up (2 to 4 s at 100 tps, until the validators' compilers are quiet under it) is
    // reported and not counted in the measured run's 500.
    java.util.regex.Matcher warm =
        java.util.regex.Pattern.compile(
                "warm-up \\(not counted\\): 100 tps for ([0-9.]+) s: submitted ([0-9,]+),"
                    + " committed ([0-9,]+), lost 0")
            .matcher(r.out());
    assertThat(warm.find()).as(r.out()).isTrue();
    double ran = Double.parseDouble(warm.group(1));
    long submitted = Long.parseLong(warm.group(2).replace(",", ""));
    assertThat(ran).isBetween(1.9, 4.1);
    assertThat(submitted).isBetween(190L, 401L);
    assertThat(warm.group(3)).isEqualTo(warm.group(2));
    assertThat(r.out())
        .containsPattern("warm-up end \\(not counted\\): after [0-9.]+ s, (JIT quiet|cap of 4 s)");
    assertThat(r.out())
        .contains("submitted 500")
        .contains("LOST 0")
        .contains("proofs: 10 fetched, 10 verified")
        .contains("% of the bound");
    Path report;
    try (Stream<Path> files = Files.walk(dir)) {
      report =
          files
              .filter(p -> p.getFileName().toString().equals("report.json"))
              .findFirst()
              .orElseThrow();
    }
    var json = dev.agentledger.bench.report.ReportFiles.readTree(report);
    assertThat(json.path("counts").path("committed").asLong()).isEqualTo(500);
    assertThat(json.path("config").path("warmupEnd").asText()).isIn("jit-quiet", "cap");
    assertThat(json.path("config").path("warmupJitCpuMs").size()).isEqualTo(4);
    // Every validator process is gone: their ports are free again.
    for (int offset = 0; offset <= 300; offset += 100) {
      for (int i = 0; i < 4; i++) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + offset + i));
        }
      }
    }
  }

  private static int freeBase() {
    while (true) {
      // below Linux's ephemeral range (32768+), where outgoing connections could take a port
      // between the probe and the bind
      int base = ThreadLocalRandom.current().nextInt(10_000, 32_000);
      boolean free = true;
      for (int offset = 0; offset <= 300 && free; offset += 100) {
        for (int i = 0; i < 4 && free; i++) {
          try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + offset + i));
          } catch (java.io.IOException e) {
            free = false;
          }
        }
      }
      if (free) {
        return base;
      }
    }
  }
}
