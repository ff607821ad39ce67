package dev.agentledger.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs preflight on this very host: asserts the shape and the config verdicts, not the host. */
class PreflightCommandTest {
  @Test
  void jsonListsEveryCheckAndAGoodConfigPasses(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("c");
    assertThat(
            ClusterCommandTest.run(
                    "cluster",
                    "init",
                    "--validators",
                    "1",
                    "--out",
                    out.toString(),
                    "--base-port",
                    "21000")
                .status())
        .isZero();
    ClusterCommandTest.Run run =
        ClusterCommandTest.run(
            "preflight",
            "--config",
            out.resolve("v0/node.yaml").toString(),
            "--json",
            "--fsync-samples",
            "2");
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("status").asText()).isIn("PASS", "WARN", "FAIL");
    assertThat(run.status()).isEqualTo(json.get("status").asText().equals("FAIL") ? 1 : 0);
    assertThat(json.get("findings").findValuesAsText("check"))
        .contains(
            "config",
            "kernel.version",
            "limits.memlock",
            "limits.nofile",
            "memory.hugepages",
            "disk.free",
            "disk.fsync",
            "clock.sync",
            "gpu.nvidia",
            "opencl.devices");
    assertThat(json.get("findings").get(0).get("level").asText()).isEqualTo("PASS");
    assertThat(json.get("findings").get(0).get("detail").asText()).contains("validator v0 of 1");
  }

  @Test
  void aBrokenConfigFailsWithTheFieldNamed(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("node.yaml");
    Files.writeString(
        config,
        "format: agentledger-node/v1\nvalidator_id: v0\nkey_file: k\ngenesis: g.yaml\ndata_dir: d\n"
            + "peer_listen: 127.0.0.1:70000\nclient_listen: 127.0.0.1:2\nquery_listen: 127.0.0.1:3\nmetrics_listen: 127.0.0.1:4\n");
    ClusterCommandTest.Run run =
        ClusterCommandTest.run("preflight", "--config", config.toString(), "--fsync-samples", "1");
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out().lines().findFirst().orElseThrow())
        .isEqualTo(
            "FAIL config: "
                + config
                + ": peer_listen: 70000 is not a port (1..65535); the node refuses to start with this configuration -- fix: fix the named field(s)");
    assertThat(run.out()).contains("preflight: FAIL");
    assertThat(ClusterCommandTest.run("preflight", "--backend", "tpu").status()).isEqualTo(2);
  }
}
