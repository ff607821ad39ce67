package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-minute soak end to end: four validator JVMs under load, memory sampled, the checks and the
 * verdict in the JSON, and no validator or proxy left behind. The slope threshold is set out of
 * reach so that a warm-up still settling in one minute cannot fail it; the threshold itself is
 * tested in {@code SoakAnalysisTest}. Slow (minutes on a shared machine): {@code ./mvnw -pl bench
 * -am verify -Dagentledger.test.excludedGroups=gpu,root -Dtest=SoakSlowTest}; {@code
 * -Dagentledger.test.basePort=PORT} fixes the ports.
 */
@Tag("slow")
class SoakSlowTest {
  @TempDir Path dir;

  @Test
  void oneMinuteSoakSamplesEveryValidatorAndLeavesNothingRunning() throws Exception {
    Integer fixed = Integer.getInteger("agentledger.test.basePort");
    int base = fixed != null ? fixed : FaultsSlowTest.freeBase();
    BenchCliTest.Result r =
        BenchCliTest.run(
            "soak",
            "--minutes",
            "1",
            "--rate",
            "50",
            "--warmup-s",
            "10",
            "--sample-s",
            "5",
            "--max-rss-slope",
            "1000000",
            "--ready-timeout-s",
            "400",
            "--load-agents",
            "200",
            "--proofs",
            "5",
            "--seed",
            "3",
            "--json",
            "--base-port",
            Integer.toString(base),
            "--dir",
            dir.resolve("run").toString());
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("verdict").asText()).isEqualTo("PASS");
    assertThat(json.path("flat").asBoolean()).isTrue();
    assertThat(json.path("load").path("lost").asLong()).isZero();
    assertThat(json.path("load").path("fork").asBoolean()).isFalse();
    assertThat(json.path("load").path("committed").asLong()).isPositive();
    assertThat(json.path("load").path("proofsVerified").asInt()).isEqualTo(5);
    assertThat(json.path("validators")).hasSize(4);
    for (JsonNode v : json.path("validators")) {
      // a validator JVM with a 512m heap holds well over 64 MiB resident
      assertThat(v.path("rssEndMib").asDouble()).as(v.toString()).isGreaterThan(64);
      assertThat(v.path("rssMaxMib").asDouble())
          .isGreaterThanOrEqualTo(v.path("rssEndMib").asDouble());
      assertThat(v.path("samples").asInt()).isGreaterThanOrEqualTo(4);
      assertThat(v.path("heapEndMib").asDouble()).as(v.toString()).isPositive();
    }
    assertThat(r.err()).contains("RSS").contains("commit");
    for (int offset = 0; offset <= 400; offset += 100) {
      for (int i = 0; i < (offset == 400 ? 34 : 4); i++) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + offset + i));
        }
      }
    }
  }
}
