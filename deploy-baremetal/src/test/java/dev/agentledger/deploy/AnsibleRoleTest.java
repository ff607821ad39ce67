package dev.agentledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.deploy.cluster.ClusterInit;
import dev.agentledger.deploy.cluster.ClusterLayout;
import dev.agentledger.deploy.cluster.SystemdUnit;
import dev.agentledger.node.execution.core.FeeSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ansible role: both playbooks pass {@code --syntax-check}, and a check-mode run of each
 * against localhost (the local cluster from {@code cluster init}) succeeds without changing this
 * host. Slow (minutes on a shared machine) and may install ansible-core, hence tagged.
 */
@Tag("slow")
class AnsibleRoleTest {
  @TempDir static Path dir;
  static Path cluster;

  @BeforeAll
  static void setUp() throws Exception {
    Shell.Result tool = Shell.ensureTool("ansible-playbook", "ansible-core");
    assumeTrue(tool.ok(), "skipped: ansible-playbook cannot run here: " + tool.output().strip());
    cluster = dir.resolve("cluster");
    ClusterInit.write(
        cluster,
        ClusterLayout.plan(4, ClusterLayout.localHosts(), 27100, true),
        new ClusterInit.Options(
            5, 100, FeeSchedule.defaults(), List.of(), 1, true, SystemdUnit.Options.defaults()),
        new SecureRandom());
  }

  static Shell.Result playbook(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("ansible-playbook", "-i", cluster.resolve("inventory.yaml").toString()));
    command.addAll(List.of(args));
    Path ansibleDir = Shell.moduleDir().resolve("ansible");
    List<String> inDir =
        new ArrayList<>(List.of("bash", "-c", "cd \"$0\" && exec \"$@\"", ansibleDir.toString()));
    inDir.addAll(command);
    return Shell.run(900, Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_FORCE_COLOR", "0"), inDir);
  }

  @Test
  void playbooksPassSyntaxCheck() throws Exception {
    Shell.Result result = playbook("--syntax-check", "site.yml", "rolling-restart.yml");
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("playbook: site.yml")
        .contains("playbook: rolling-restart.yml");
  }

  @Test
  void checkModeRunsAgainstLocalhostWithoutChangingIt() throws Exception {
    boolean optBefore = Files.exists(Path.of("/opt/agentledger"));
    boolean etcBefore = Files.exists(Path.of("/etc/agentledger"));
    Path dist = Shell.moduleDir().getParent();
    assumeTrue(
        Files.exists(dist.resolve("node/target/agentledger-node.jar")),
        "skipped: node/target/agentledger-node.jar not built");
    for (String play : List.of("site.yml", "rolling-restart.yml")) {
      Shell.Result result =
          playbook(
              "--check",
              play,
              "-e",
              "agentledger_cluster_dir=" + cluster,
              "-e",
              "agentledger_dist_dir=" + dist);
      assertThat(result.status()).as(play + ":\n" + result.output()).isZero();
      assertThat(result.output())
          .containsPattern(
              "127\\.0\\.0\\.1\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=0");
      if (play.equals("site.yml")) {
        assertThat(result.output()).contains("JDK ").contains("Install the systemd units");
      }
    }
    assertThat(Files.exists(Path.of("/opt/agentledger"))).isEqualTo(optBefore);
    assertThat(Files.exists(Path.of("/etc/agentledger"))).isEqualTo(etcBefore);
  }
}
