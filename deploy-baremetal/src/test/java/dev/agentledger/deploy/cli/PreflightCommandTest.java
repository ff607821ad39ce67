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
  /** The jvm.hugepages finding of a preflight run with {@code args}. */
  private static JsonNode jvmHugePages(String... args) throws Exception {
    ClusterCommandTest.Run run = ClusterCommandTest.run(args);
    assertThat(run.status()).as(run.err()).isIn(0, 1);
    for (JsonNode finding : new ObjectMapper().readTree(run.out()).get("findings")) {
      if (finding.get("check").asText().equals("jvm.hugepages")) {
        return finding;
      }
    }
    throw new AssertionError("no jvm.hugepages finding in " + run.out());
  }

  @Test
  void theUnitsHugePageOptionIsWhatPreflightChecks(@TempDir Path dir) throws Exception {
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
                    "21100",
                    "--systemd",
                    "--huge-pages",
                    "reserved")
                .status())
        .isZero();
    String config = out.resolve("v0/node.yaml").toString();
    String unit = out.resolve("v0/agentledger-v0.service").toString();
    String[] common = {"preflight", "--config", config, "--json", "--fsync-samples", "1"};
    JsonNode fromUnit = jvmHugePages(concat(common, "--unit", unit));
    assertThat(fromUnit.get("detail").asText()).startsWith("-XX:+UseLargePages");
    // The unit's heap is 4g: 2048 pages of 2 MiB, which this build host does not reserve.
    if (fromUnit.get("level").asText().equals("FAIL")) {
      assertThat(fromUnit.get("detail").asText()).contains("the 4096 MiB heap needs");
    }
    JsonNode explicit =
        jvmHugePages(concat(common, "--unit", unit, "--java-opts", "-XX:+UseTransparentHugePages"));
    assertThat(explicit.get("detail").asText()).startsWith("-XX:+UseTransparentHugePages");
    ClusterCommandTest.Run badHeap = ClusterCommandTest.run(concat(common, "--heap", "lots"));
    assertThat(badHeap.status()).isEqualTo(2);
    assertThat(badHeap.err()).contains("--heap: 'lots' is not a -Xmx size such as 4g");
    ClusterCommandTest.Run badMode =
        ClusterCommandTest.run(
            "cluster", "systemd", "--config", config, "--huge-pages", "gigantic");
    assertThat(badMode.status()).isEqualTo(2);
    assertThat(badMode.err()).contains("--huge-pages: 'gigantic' is not one of thp, reserved, off");
  }

  /** {@code cluster init} of one validator under {@code dir/c}; returns that directory. */
  private static Path oneValidatorCluster(Path dir) {
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
    return out;
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  @Test
  void jsonListsEveryCheckAndAGoodConfigPasses(@TempDir Path dir) throws Exception {
    Path out = oneValidatorCluster(dir);
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
    assertThat(json.get("findings").get(1).get("check").asText()).isEqualTo("key.mode");
    assertThat(json.get("findings").get(1).get("level").asText()).isEqualTo("PASS");
  }

  @Test
  void aValidatorKeyOthersCanReadFails(@TempDir Path dir) throws Exception {
    Path out = oneValidatorCluster(dir);
    Path config = out.resolve("v0/node.yaml");
    Path key = dev.agentledger.node.config.NodeConfig.load(config).keyFile();
    Files.setPosixFilePermissions(
        key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    ClusterCommandTest.Run run =
        ClusterCommandTest.run("preflight", "--config", config.toString(), "--fsync-samples", "1");
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out())
        .contains("FAIL key.mode: key file " + key)
        .contains("-- fix: chmod 600 " + key)
        .contains("preflight: FAIL");
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
