package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentledger.node.cli.CliTestSupport;
import dev.agentledger.node.cli.CliTestSupport.Result;
import dev.agentledger.node.json.JsonCasing;
import dev.agentledger.node.json.StrictJson;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code speed ed25519} and {@code speed sha256/merkle} through the real CLI entry point. */
class SpeedCommandTest {
  private static Result run(String... args) {
    return CliTestSupport.run(new byte[0], args);
  }

  @Test
  void speedJsonHasOneObjectPerLineWithTheAgreedKeys() throws Exception {
    Result r =
        run(
            "speed",
            "ed25519",
            "--json",
            "--seconds",
            "0.05",
            "--warmup",
            "0",
            "--jit-warmup",
            "0",
            "--threads",
            "1",
            "--batches",
            "64",
            "--message-bytes",
            "32");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonCasing.assertCamelCase(StrictJson.mapper().readTree(line), Set.of());
      assertThat(line)
          .matches(
              "\\{\"name\":\"ed25519-(sign|verify|verify-batch)\",\"impl\":\"(project|bouncycastle|libsodium)\","
                  + "\"threads\":1,\"batch\":(1|64),\"opsPerSec\":[0-9]+\\.[0-9]\\}");
    }
    assertThat(lines)
        .anyMatch(l -> l.contains("\"name\":\"ed25519-verify-batch\",\"impl\":\"project\""));
    assertThat(lines)
        .anyMatch(l -> l.contains("\"name\":\"ed25519-verify\",\"impl\":\"bouncycastle\""));
    assertThat(lines).anyMatch(l -> l.contains("\"name\":\"ed25519-sign\",\"impl\":\"project\""));
  }

  @Test
  void speedJsonPrintsOneObjectPerImplementationAndThreadCount() {
    Result r =
        run(
            "speed",
            "merkle",
            "--json",
            "--seconds",
            "0.01",
            "--rounds",
            "1",
            "--batch",
            "32",
            "--threads",
            "1",
            "--warmup",
            "0.05");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      assertThat(line)
          .startsWith("{\"name\":\"merkle-node\",\"impl\":\"")
          .contains("\"threads\":1", "\"batch\":32", "\"opsPerSec\":");
    }
    assertThat(String.join("\n", lines))
        .contains("project-simd", "project-single", "jdk-messagedigest");
  }

  @Test
  void sha256WithProgressNamesEachPhaseOnStderrAndKeepsStdoutClean() throws Exception {
    Result quiet =
        run(
            "speed",
            "sha256",
            "--json",
            "--duration-s",
            "0.01",
            "--rounds",
            "1",
            "--batch",
            "16",
            "--threads",
            "1",
            "--warmup-s",
            "0.01");
    assertThat(quiet.status()).as(quiet.err()).isZero();
    assertThat(quiet.err()).isEmpty();
    for (String line : quiet.out().lines().toList()) {
      JsonNode json = StrictJson.mapper().readTree(line);
      JsonCasing.assertCamelCase(json, Set.of());
      assertThat(json.path("opsPerCpuSec").isNumber()).as(line).isTrue();
      assertThat(json.path("xAnchorCpu").isNumber()).as(line).isTrue();
    }
    Result loud =
        run(
            "speed",
            "sha256",
            "--json",
            "--duration-s",
            "0.01",
            "--rounds",
            "1",
            "--batch",
            "16",
            "--threads",
            "1",
            "--warmup-s",
            "0.01",
            "--progress");
    assertThat(loud.status()).as(loud.err()).isZero();
    assertThat(loud.err())
        .contains("warm-up sha256-64B project-simd")
        .contains("round 1 of 1")
        .contains("] done");
    assertThat(loud.out().lines()).hasSize(3).allMatch(line -> line.startsWith("{\"name\""));
  }
}
