package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node run} warms the JIT up before it binds a port, says what it did in one line and in the
 * status JSON ({@code runtime.jitWarmup}, what GET /status answers); {@code --jit-warmup-ms 0}
 * disables it, and a cap out of range is refused.
 */
class NodeJitWarmupTest {
  @TempDir Path dir;

  /** The last status JSON that {@code node run} printed (at its end, as GET /status answers). */
  private static JsonNode lastStatus(String out) throws Exception {
    String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
    return new ObjectMapper().readTree(json);
  }

  @Test
  void theWarmupRunsBeforeServingAndTheStatusSaysWhatItDid() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    DataPathCommandsTest.Result result =
        DataPathCommandsTest.run(
            "node",
            "run",
            "--config",
            config.toString(),
            "--jit-warmup-ms",
            "3000",
            "--duration-s",
            "1");
    assertThat(result.status()).as(result.err()).isZero();
    String out = result.out();
    assertThat(out).containsPattern("agentledger node: JIT warm-up (settled|capped) in \\d+ ms");
    assertThat(out.indexOf("JIT warm-up"))
        .as("before the validator serves")
        .isLessThan(out.indexOf("agentledger node: validator"));
    JsonNode warm = lastStatus(out).path("runtime").path("jitWarmup");
    assertThat(warm.path("outcome").asText()).isIn("settled", "capped");
    assertThat(warm.path("capMs").asLong()).isEqualTo(3000);
    assertThat(warm.path("rounds").asInt()).isPositive();
    assertThat(warm.path("iterations").asLong()).isPositive();
    assertThat(warm.path("signaturesVerified").asLong()).isPositive();
    assertThat(warm.path("hashes").asLong()).isPositive();
    assertThat(warm.path("warmed").toString())
        .contains("ed25519-batch-verify")
        .contains("sha256-multibuffer")
        .contains("state-tree")
        .contains("execution-stage")
        .contains("consensus-primaries");
  }

  @Test
  void zeroDisablesIt() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    DataPathCommandsTest.Result result =
        DataPathCommandsTest.run(
            "node",
            "run",
            "--config",
            config.toString(),
            "--jit-warmup-ms",
            "0",
            "--duration-s",
            "1");
    assertThat(result.status()).as(result.err()).isZero();
    assertThat(result.out()).contains("agentledger node: JIT warm-up disabled");
    JsonNode warm = lastStatus(result.out()).path("runtime").path("jitWarmup");
    assertThat(warm.path("outcome").asText()).as(result.out()).isEqualTo("disabled");
    assertThat(warm.path("iterations").asLong()).isZero();
    assertThat(warm.path("warmed").size()).isZero();
  }

  @Test
  void aCapOutOfRangeIsRefusedWithOneLine() throws Exception {
    Path config = DiskFullNodeTest.writeSingleValidator(dir, dir.resolve("data"));
    for (String bad : new String[] {"-1", "600001"}) {
      DataPathCommandsTest.Result result =
          DataPathCommandsTest.run(
              "node", "run", "--config", config.toString(), "--jit-warmup-ms", bad);
      assertThat(result.status()).as(bad).isEqualTo(AgentLedgerCli.EXIT_MALFORMED);
      assertThat(result.err().lines().count()).as(result.err()).isEqualTo(1);
      assertThat(result.err()).contains("--jit-warmup-ms must be 0..600000");
    }
    assertThat(dir.resolve("data")).as("nothing was started").doesNotExist();
  }
}
