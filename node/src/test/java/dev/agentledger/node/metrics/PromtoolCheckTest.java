package dev.agentledger.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node registry's whole exposition (own series of every kind, build info, peer gauges, the JVM
 * and process series) passes the real {@code promtool check metrics}, format and lint rules alike.
 */
class PromtoolCheckTest {
  @TempDir Path dir;

  /**
   * The promtool on the PATH, or null (bin/setup-host extracts it from Debian's prometheus
   * package).
   */
  static Path promtool() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "promtool");
      if (!entry.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Runs {@code promtool check metrics} on {@code exposition}; returns its exit code and output.
   */
  static String[] check(Path promtool, String exposition, Path dir) throws Exception {
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, exposition, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String[] {Integer.toString(p.exitValue()), output};
  }

  static MetricsRegistry sample() {
    MetricsRegistry metrics = MetricsRegistry.forNode(new BuildInfo("0.1.0-SNAPSHOT", "abc123"));
    metrics.counter("agentledger_test_events_total", "Events seen, by kind.", "kind", "a").add(3);
    metrics.counter("agentledger_test_reads_total", "Reads.", () -> 7);
    metrics.secondsCounter("agentledger_test_busy_seconds_total", "Busy time.", () -> 1_500_000);
    metrics.gauge("agentledger_test_queue_bytes", "Queued bytes.", () -> 42);
    MetricsRegistry.Histogram h =
        metrics.histogram(
            "agentledger_test_latency_seconds", "Latency.", MetricsRegistry.LATENCY_SECONDS);
    h.observeNanos(2_000_000);
    h.observeNanos(30_000_000);
    PeerLinkMetrics.register(metrics, 4, 0, peer -> peer != 2);
    return metrics;
  }

  @Test
  void theNodeExpositionCarriesTheStandardSeries() {
    String text = sample().render();
    assertThat(text)
        .contains("agentledger_build_info{version=\"0.1.0-SNAPSHOT\",commit=\"abc123\"} 1\n")
        .contains("agentledger_peer_connected{peer=\"1\"} 1\n")
        .contains("agentledger_peer_connected{peer=\"2\"} 0\n")
        .contains("agentledger_peer_connected{peer=\"3\"} 1\n")
        .doesNotContain("agentledger_peer_connected{peer=\"0\"}")
        .contains("agentledger_peers_connected 2\n")
        .contains("\njvm_memory_used_bytes{area=\"heap\"} ")
        .contains("\njvm_threads_current ")
        .contains("\njvm_gc_collection_seconds_count{")
        .contains("\nprocess_cpu_seconds_total ")
        .contains("\nprocess_start_time_seconds ")
        .contains("\nprocess_resident_memory_bytes ")
        .contains("\nprocess_open_fds ");
    assertThat(new MetricsRegistry().render()).doesNotContain("jvm_").doesNotContain("process_");
  }

  @Test
  void promtoolCheckMetricsIsClean() throws Exception {
    Path promtool = promtool();
    assumeTrue(
        promtool != null,
        "skipped: promtool is not installed (bin/setup-host extracts it from Debian's prometheus package)");
    String[] result = check(promtool, sample().render(), dir);
    assertThat(result[0]).as(result[1]).isEqualTo("0");
    assertThat(result[1]).as("promtool lint findings").isBlank();
  }

  @Test
  void promtoolFindsABrokenExpositionSoTheCheckAboveMeansSomething() throws Exception {
    Path promtool = promtool();
    assumeTrue(promtool != null, "skipped: promtool is not installed");
    String broken =
        "# HELP agentledger_things Things.\n# TYPE agentledger_things counter\n"
            + "agentledger_things 1\n";
    String[] result = check(promtool, broken, dir);
    assertThat(result[1]).contains("counter metrics should have \"_total\" suffix");
  }
}
