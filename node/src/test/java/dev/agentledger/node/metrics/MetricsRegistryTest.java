package dev.agentledger.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
  /** One sample line of the text format: name, optional labels, a number. */
  private static final Pattern SAMPLE =
      Pattern.compile(
          "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? -?[0-9.eE+-]+");

  @Test
  void rendersTheTextExpositionFormat() {
    MetricsRegistry registry = new MetricsRegistry();
    MetricsRegistry.Counter ok =
        registry.counter("agentledger_stage_items_total", "Items.", "stage", "ingress");
    registry.counter("agentledger_stage_items_total", "Items.", "stage", "mempool").add(3);
    registry.gauge("agentledger_stage_queue_depth", "Depth.", () -> 42, "stage", "mempool");
    MetricsRegistry.Histogram latency =
        registry.histogram(
            "agentledger_stage_seconds", "Latency.", new double[] {0.001, 0.01, 0.1});
    ok.increment();
    ok.increment();
    latency.observe(0.0005);
    latency.observe(0.05);
    latency.observe(3);
    String text = registry.render();
    assertThat(text)
        .contains(
            "# HELP agentledger_stage_items_total Items.\n# TYPE agentledger_stage_items_total counter\n"
                + "agentledger_stage_items_total{stage=\"ingress\"} 2\nagentledger_stage_items_total{stage=\"mempool\"} 3\n",
            "# TYPE agentledger_stage_queue_depth gauge\nagentledger_stage_queue_depth{stage=\"mempool\"} 42\n",
            "agentledger_stage_seconds_bucket{le=\"0.001\"} 1\n",
            "agentledger_stage_seconds_bucket{le=\"0.01\"} 1\n",
            "agentledger_stage_seconds_bucket{le=\"0.1\"} 2\n",
            "agentledger_stage_seconds_bucket{le=\"+Inf\"} 3\n",
            "agentledger_stage_seconds_sum 3.0505\n",
            "agentledger_stage_seconds_count 3\n");
    for (String line : text.split("\n")) {
      if (!line.startsWith("#")) {
        assertThat(line).matches(SAMPLE);
      }
    }
  }

  @Test
  void namesFollowTheConventions() {
    MetricsRegistry registry = new MetricsRegistry();
    assertThatThrownBy(() -> registry.counter("agentledger_items", "no _total"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.counter("other_items_total", "no prefix"))
        .isInstanceOf(IllegalArgumentException.class);
    registry.counter("agentledger_x_total", "x");
    assertThatThrownBy(() -> registry.gauge("agentledger_x_total", "x", () -> 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.counter("agentledger_y_total", "y").add(-1))
        .isInstanceOf(IllegalArgumentException.class);
    registry.counter("agentledger_z_total", "z", "path", "a\"b\\c");
    assertThat(registry.render()).contains("agentledger_z_total{path=\"a\\\"b\\\\c\"} 0");
  }

  @Test
  void secondsCountersRenderNanosInSeconds() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.secondsCounter(
        "agentledger_verify_busy_seconds_total", "Busy.", () -> 1_500_000_000L, "stage", "verify");
    assertThat(registry.render())
        .contains("# TYPE agentledger_verify_busy_seconds_total counter\n")
        .contains("agentledger_verify_busy_seconds_total{stage=\"verify\"} 1.5\n");
    assertThatThrownBy(() -> registry.secondsCounter("agentledger_busy_total", "no unit", () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
