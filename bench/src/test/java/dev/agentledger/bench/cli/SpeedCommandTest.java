package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.cli.CliTestSupport;
import dev.agentledger.node.cli.CliTestSupport.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code speed ed25519} and {@code speed sha256/merkle} through the real CLI entry point. */
class SpeedCommandTest {
  private static Result run(String... args) {
    return CliTestSupport.run(new byte[0], args);
  }

  @Test
  void speedJsonHasOneObjectPerLineWithTheAgreedKeys() {
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
      assertThat(line)
          .matches(
              "\\{\"name\":\"ed25519-(sign|verify|verify-batch)\",\"impl\":\"(project|bouncycastle|libsodium)\","
                  + "\"threads\":1,\"batch\":(1|64),\"ops_per_sec\":[0-9]+\\.[0-9]\\}");
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
          .contains("\"threads\":1", "\"batch\":32", "\"ops_per_sec\":");
    }
    assertThat(String.join("\n", lines))
        .contains("project-simd", "project-single", "jdk-messagedigest");
  }
}
