package dev.agentledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * netns-cluster.sh builds 4 network namespaces joined by veth pairs and a switch in its own
 * namespace (the bridge br0 with netem on each node's eth0, or, on kernels without sch_netem, the
 * userspace delay switch delay-switch.py), proves the mesh, the added latency (ping round trips of
 * at least about 2 x the 5 ms one-way delay), a bulk TCP transfer, the isolation from the host, a
 * cut and a heal, and removes everything, also when it is interrupted. The 'run' mode starts one
 * validator per namespace from 'cluster init --hosts' output, submits load, checks that all commit
 * the same sequence, cuts one off (the other three keep committing), heals it and checks that it
 * catches up and agrees. Needs root; tagged root, so it is not in the default lane (about 2 minutes
 * for the run mode).
 */
@Tag("root")
class NetnsClusterTest {
  @BeforeAll
  static void requireRootAndTools() throws Exception {
    assumeTrue(Shell.isRoot(), "skipped: network namespaces need root");
    for (String[] tool :
        List.of(
            new String[] {"ip", "iproute2"},
            new String[] {"tc", "iproute2"},
            new String[] {"ping", "iputils-ping"},
            new String[] {"python3", "python3"})) {
      Shell.Result result = Shell.ensureTool(tool[0], tool[1]);
      assumeTrue(result.ok(), "skipped: " + result.output().strip());
    }
  }

  static List<String> namespaces(String prefix) throws Exception {
    return Shell.run(30, List.of("ip", "netns", "list"))
        .output()
        .lines()
        .map(l -> l.split(" ")[0])
        .filter(n -> n.startsWith(prefix + "-"))
        .toList();
  }

  /** What adds the latency, as the "network up" line says it: the script's default is auto. */
  static final String LATENCY = "(netem \\(kernel\\)|delay switch \\(userspace\\))";

  /** The same, as the "latency verified" line says it. */
  static final String LATENCY_LABEL = "(netem|delay switch \\(userspace\\))";

  /**
   * The "latency verified" line: the average round trip n0 -> n1 over 10 pings, which must be at
   * least 2 x 5 ms less the 1 ms jitter (the script's defaults: --delay 5ms --jitter 1ms).
   */
  static void assertLatencyVerified(String output, String prefix) {
    Matcher line =
        Pattern.compile(
                "latency verified: "
                    + prefix
                    + "-n0 -> "
                    + prefix
                    + "-n1 rtt (\\d+\\.\\d) ms "
                    + "\\(average of 10 pings, min [0-9.]+, max [0-9.]+; >= 9\\.0 expected\\) with "
                    + LATENCY_LABEL
                    + ", 5ms \u00b11ms one-way")
            .matcher(output);
    assertThat(line.find()).as(output).isTrue();
    assertThat(Double.parseDouble(line.group(1))).as(line.group()).isGreaterThanOrEqualTo(9.0);
  }

  /** Running delay switches that netns-cluster.sh started for namespace prefix {@code prefix}. */
  static List<String> switchProcesses(String prefix) {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("delay-switch.py") && c.contains("--name " + prefix + " "))
        .toList();
  }

  @Test
  void selftestBuildsProvesAndRemovesTheNetwork() throws Exception {
    Shell.Result result =
        Shell.run(
            300,
            List.of(
                "bash",
                Shell.script("netns-cluster.sh").toString(),
                "selftest",
                "--prefix",
                "jtself",
                "--subnet",
                "10.77.41",
                "--nodes",
                "4"));
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("network up: 4 namespaces jtself-n0..jtself-n3")
        .containsPattern("network up: .*, latency: " + LATENCY + " 5ms \u00b11ms")
        .contains("full mesh: all 12 directed pairs reach each other")
        .containsPattern("tcp bulk verified: 8 MiB jtself-n0 -> jtself-n1 arrived intact")
        .contains("isolated: the host has no address or route into 10.77.41.0/24")
        .contains("cut verified: jtself-n3 reaches nobody")
        .contains("heal verified: full mesh again")
        .contains("SELFTEST PASS")
        .contains("removed 5 namespaces");
    assertLatencyVerified(result.output(), "jtself");
    if (result.output().contains("via the delay switch")) {
      assertThat(result.output())
          .contains("delay-switch: ready: jtself: 4 ports vbr0 vbr1 vbr2 vbr3")
          .containsPattern("delay-switch: stopped: received \\d+ frames, forwarded \\d+");
    }
    assertThat(namespaces("jtself")).isEmpty();
    assertThat(switchProcesses("jtself")).isEmpty();
  }

  @Test
  void anInterruptedRunStillRemovesEverything() throws Exception {
    Process process =
        new ProcessBuilder(
                "bash",
                Shell.script("netns-cluster.sh").toString(),
                "selftest",
                "--prefix",
                "jtint",
                "--subnet",
                "10.77.42")
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
    if (output.toString().contains("via the delay switch")) {
      assertThat(output).contains("delay-switch: stopped:");
    }
    assertThat(process.exitValue()).as(output.toString()).isNotZero();
    assertThat(namespaces("jtint")).isEmpty();
    assertThat(switchProcesses("jtint")).isEmpty();
  }

  @Test
  void runModeCommitsTheSameSequenceEverywhereKeepsAQuorumThroughACutAndCatchesUp()
      throws Exception {
    assumeTrue(
        Files.exists(Shell.moduleDir().getParent().resolve("node/target/agentledger-node.jar")),
        "skipped: node jar not built");
    Shell.Result result =
        Shell.run(
            600,
            Map.of("AGENTLEDGER_NO_REBUILD", "1"),
            List.of(
                "bash",
                Shell.script("netns-cluster.sh").toString(),
                "run",
                "--prefix",
                "jtrun",
                "--subnet",
                "10.77.43",
                "--load",
                "1000"));
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .containsPattern("network up: .*, latency: " + LATENCY + " 5ms \u00b11ms")
        .contains("started 4 validators (one 'node run' per namespace)")
        .contains("submit 1000 runs to v0, v1, v2, v3: submitted 1000 runs")
        .containsPattern(
            "after load: v0, v1, v2, v3 hold the same commit chain value at index \\d+")
        .contains("cut jtrun-n3 off")
        .containsPattern("while v3 is cut off: v0, v1, v2 hold the same commit chain value")
        .containsPattern("cut: v3 stayed at committed_index \\d+ while the other 3 went from")
        .contains("healed jtrun-n3")
        .containsPattern("heal: v3 caught up from committed_index")
        .containsPattern("after the heal: v0, v1, v2, v3 hold the same commit chain value")
        .contains("every validator reports committed_txs 2000")
        .contains("HTTP query API answers on port 7300")
        .containsPattern(
            "after load: GET /v1/commits on v0, v1, v2, v3: the same hash for every sequence 1\\.\\.\\d+")
        .containsPattern("v3 reports caughtUp: \\{[^}]*\"caughtUp\":true")
        .containsPattern(
            "after the heal: GET /v1/commits on v0, v1, v2, v3: the same hash for every sequence 1\\.\\.\\d+")
        .contains("GET /status: no validator saw a divergent commit signature")
        .contains("RUN PASS")
        .contains("removed 5 namespaces")
        .containsPattern("removed /tmp/netns-cluster\\.");
    assertLatencyVerified(result.output(), "jtrun");
    assertThat(namespaces("jtrun")).isEmpty();
    assertThat(nodeProcesses("netns-cluster")).isEmpty();
    assertThat(switchProcesses("jtrun")).isEmpty();
  }

  @Test
  void anInterruptedRunStopsItsValidatorsAndRemovesEverything() throws Exception {
    assumeTrue(
        Files.exists(Shell.moduleDir().getParent().resolve("node/target/agentledger-node.jar")),
        "skipped: node jar not built");
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                Shell.script("netns-cluster.sh").toString(),
                "run",
                "--prefix",
                "jtrint",
                "--subnet",
                "10.77.44")
            .redirectErrorStream(true);
    builder.environment().put("AGENTLEDGER_NO_REBUILD", "1");
    Process process = builder.start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
        if (line.contains("started 4 validators")) {
          assertThat(namespaces("jtrint")).hasSize(5);
          process.toHandle().destroy(); // SIGTERM to the script while the validators run
        }
      }
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(output)
        .contains("started 4 validators")
        .contains("removed 5 namespaces")
        .contains("removed /tmp/netns-cluster.");
    assertThat(process.exitValue()).as(output.toString()).isNotZero();
    assertThat(namespaces("jtrint")).isEmpty();
    assertThat(nodeProcesses("netns-cluster")).isEmpty();
    assertThat(switchProcesses("jtrint")).isEmpty();
  }

  /**
   * Running 'node run' processes whose command line mentions {@code marker} (the run's work dir).
   */
  static List<String> nodeProcesses(String marker) {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("node run") && c.contains(marker))
        .toList();
  }
}
