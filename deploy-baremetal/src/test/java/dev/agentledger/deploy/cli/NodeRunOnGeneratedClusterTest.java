package dev.agentledger.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.cli.CliTestSupport;
import dev.agentledger.node.cli.CliTestSupport.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node run} option checks against a configuration that {@code cluster init} wrote. */
class NodeRunOnGeneratedClusterTest {
  @TempDir Path dir;

  private static Result run(String... args) {
    return CliTestSupport.run(new byte[0], args);
  }

  @Test
  void consensusTimingOutOfRangeIsRefusedBeforeAnythingStarts() {
    Path cluster = dir.resolve("cluster");
    assertThat(
            run(
                    "cluster",
                    "init",
                    "--validators",
                    "4",
                    "--out",
                    cluster.toString(),
                    "--base-port",
                    "20400")
                .status())
        .isZero();
    String config = cluster.resolve("v0").resolve("node.yaml").toString();
    Result zeroTimeout = run("node", "run", "--config", config, "--leader-timeout-ms", "0");
    assertThat(zeroTimeout.status()).isEqualTo(2);
    assertThat(zeroTimeout.err()).contains("--leader-timeout-ms");
    Result negativeWait = run("node", "run", "--config", config, "--straggler-wait-ms", "-1");
    assertThat(negativeWait.status()).isEqualTo(2);
    assertThat(negativeWait.err()).contains("--straggler-wait-ms");
  }
}
