package dev.agentledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * netns-cluster.sh builds 4 network namespaces joined by veth pairs and a bridge (in its own
 * namespace), proves the mesh, the isolation from the host, a cut and a heal, and removes
 * everything, also when it is interrupted. Needs root; the cluster-driving 'run' mode waits for
 * 'agentledger node run' (see the script).
 */
@Tag("root")
class NetnsClusterTest {
  @BeforeAll
  static void requireRootAndTools() throws Exception {
    assumeTrue(Shell.isRoot(), "skipped: network namespaces need root");
    for (String[] tool : List.of(new String[] {"ip", "iproute2"}, new String[] {"tc", "iproute2"}, new String[] {"ping", "iputils-ping"})) {
      Shell.Result result = Shell.ensureTool(tool[0], tool[1]);
      assumeTrue(result.ok(), "skipped: " + result.output().strip());
    }
  }

  static List<String> namespaces(String prefix) throws Exception {
    return Shell.run(30, List.of("ip", "netns", "list")).output().lines()
        .map(l -> l.split(" ")[0]).filter(n -> n.startsWith(prefix + "-")).toList();
  }

  @Test
  void selftestBuildsProvesAndRemovesTheNetwork() throws Exception {
    Shell.Result result = Shell.run(300, List.of("bash", Shell.script("netns-cluster.sh").toString(), "selftest",
        "--prefix", "jtself", "--subnet", "10.77.41", "--nodes", "4"));
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("network up: 4 namespaces jtself-n0..jtself-n3")
        .contains("full mesh: all 12 directed pairs reach each other")
        .contains("isolated: the host has no address or route into 10.77.41.0/24")
        .contains("cut verified: jtself-n3 reaches nobody")
        .contains("heal verified: full mesh again")
        .contains("SELFTEST PASS")
        .contains("removed 5 namespaces");
    assertThat(namespaces("jtself")).isEmpty();
  }

  @Test
  void anInterruptedRunStillRemovesEverything() throws Exception {
    Process process = new ProcessBuilder("bash", Shell.script("netns-cluster.sh").toString(), "selftest",
        "--prefix", "jtint", "--subnet", "10.77.42").redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
        if (line.contains("network up")) {
          assertThat(namespaces("jtint")).hasSize(5);
          process.toHandle().destroy(); // SIGTERM to the script, mid-run
        }
      }
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("network up").contains("removed 5 namespaces");
    assertThat(process.exitValue()).as(output.toString()).isNotZero();
    assertThat(namespaces("jtint")).isEmpty();
  }
}
