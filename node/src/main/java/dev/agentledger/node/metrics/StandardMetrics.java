package dev.agentledger.node.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JVM and process series of the Prometheus Java client ({@code jvm_*}: memory by area and pool,
 * GC collections and time, threads by state, classes, buffer pools, JIT time, runtime info; {@code
 * process_*}: CPU seconds, resident and virtual memory, open and maximum file descriptors, start
 * time), under that library's names, collected when scraped and rendered in the text exposition
 * format beside this node's own series.
 */
final class StandardMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  StandardMetrics() {
    JvmMetrics.builder().register(registry);
  }

  /** Appends the current values in the text exposition format to {@code out}. */
  void render(StringBuilder out) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 << 10);
    try {
      writer.write(bytes, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.append(bytes.toString(StandardCharsets.UTF_8));
  }
}
