package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the fault suite: four validator JVMs behind peer proxies, kill -9 of one and a
 * partition of one under load, each checked (no fork, nothing accepted lost, proofs, commits during
 * and after), and no validator or proxy left behind. Slow (minutes on a shared machine): {@code
 * ./mvnw -pl bench -am verify -Dagentledger.test.excludedGroups=gpu,root -Dtest=FaultsSlowTest}.
 */
@Tag("slow")
class FaultsSlowTest {
  @TempDir Path dir;

  @Test
  void killOneAndPartitionPassAndLeaveNothingRunning() throws Exception {
    int base = freeBase();
    BenchCliTest.Result r =
        BenchCliTest.run(
            "faults",
            "--scenarios",
            "kill-one,partition",
            "--duration-s",
            "30",
            "--ready-timeout-s",
            "400",
            "--rate",
            "50",
            "--load-agents",
            "200",
            "--proofs",
            "5",
            "--seed",
            "1",
            "--base-port",
            Integer.toString(base),
            "--dir",
            dir.resolve("run").toString());
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("chains agree at")
        .containsPattern("kill-one v1 .* PASS")
        .containsPattern("partition v2 .* PASS")
        .contains("2 scenarios: 2 passed, 0 failed, 0 skipped")
        // the restarted validator's catch-up rate against the cluster's, measured under the load
        .containsPattern("kill-one v1: v1 catch-up: (commits \\d+\\.\\.\\d+ in|already at)");
    // every validator and link-proxy port (base + 400 + 10 * from + to) is free again
    for (int offset = 0; offset <= 400; offset += 100) {
      for (int i = 0; i < (offset == 400 ? 34 : 4); i++) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + offset + i));
        }
      }
    }
  }

  /**
   * A partition at the IP level: v2 restarted inside a network namespace of its own, its veth pair
   * set down under load and up again. It must rejoin and nothing accepted may be lost; the
   * namespace and its link are gone afterwards. Needs root.
   */
  @Test
  @Tag("root")
  void aNamespacePartitionPassesAndLeavesNoNamespace() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.agentledger.bench.faults.FaultsAccess.namespacesAvailable(),
        "skipped: network namespaces need root and iproute2");
    int base = freeBase();
    BenchCliTest.Result r =
        BenchCliTest.run(
            "faults",
            "--scenarios",
            "partition-netns",
            "--duration-s",
            "30",
            "--ready-timeout-s",
            "400",
            "--rate",
            "50",
            "--load-agents",
            "200",
            "--proofs",
            "5",
            "--seed",
            "1",
            "--base-port",
            Integer.toString(base),
            "--dir",
            dir.resolve("run").toString());
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .containsPattern("partition-netns v2 .* PASS")
        .contains("partition by network namespace alf" + base + "n2")
        .contains("1 scenarios: 1 passed, 0 failed, 0 skipped");
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String namespaces = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    assertThat(namespaces).doesNotContain("alf" + base + "n");
  }

  /**
   * A real heap exhaustion: v3 runs with a small heap while the load peaks at 20,000 tps. It must
   * refuse with OVERLOADED or stop with exit 70 and one line, then restart and lose nothing.
   */
  @Test
  void aValidatorWithASmallHeapUnderOverloadStopsCleanlyOrRefusesAndLosesNothing()
      throws Exception {
    int base = freeBase();
    BenchCliTest.Result r =
        BenchCliTest.run(
            "faults",
            "--scenarios",
            "heap",
            "--duration-s",
            "30",
            "--ready-timeout-s",
            "400",
            "--rate",
            "50",
            "--load-agents",
            "200",
            "--proofs",
            "5",
            "--seed",
            "1",
            "--base-port",
            Integer.toString(base),
            "--dir",
            dir.resolve("run").toString());
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("heap: v3 restarted with -Xmx200m")
        .containsPattern("heap v3 .* PASS")
        .contains("1 scenarios: 1 passed, 0 failed, 0 skipped");
  }

  static int freeBase() {
    while (true) {
      // below Linux's ephemeral range (32768+), where outgoing connections could take a port
      // between the probe and the bind
      int base = ThreadLocalRandom.current().nextInt(10_000, 32_000);
      boolean free = true;
      for (int offset = 0; offset <= 400 && free; offset += 100) {
        for (int i = 0; i < (offset == 400 ? 34 : 4) && free; i++) {
          try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + offset + i));
          } catch (java.io.IOException e) {
            free = false;
          }
        }
      }
      if (free) {
        return base;
      }
    }
  }
}
