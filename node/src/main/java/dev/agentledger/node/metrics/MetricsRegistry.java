package dev.agentledger.node.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A small metrics registry rendered in the Prometheus text exposition format (version 0.0.4):
 * counters, gauges and fixed-bucket histograms, registered once with a fixed label set (labels are
 * for bounded dimensions such as stage or result; never per agent). Updates are lock-free and
 * allocation-free.
 */
public final class MetricsRegistry {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private final Map<String, Family> families = new TreeMap<>();
  private StandardMetrics standard;

  /** A registry with this node's series only ({@code agentledger_*}). */
  public MetricsRegistry() {}

  /**
   * A node's registry: besides the series registered on it, the Prometheus Java client's JVM and
   * process series ({@code jvm_*}, {@code process_*}) and {@code agentledger_build_info{version,
   * commit}} (always 1) of {@code build}.
   */
  public static MetricsRegistry forNode(BuildInfo build) {
    MetricsRegistry registry = new MetricsRegistry();
    registry.standard = new StandardMetrics();
    registry.gauge(
        "agentledger_build_info",
        "The version and git commit this node was built from (always 1).",
        () -> 1,
        "version",
        build.version(),
        "commit",
        build.commit());
    return registry;
  }

  private record Family(String name, String type, String help, List<Metric> metrics) {}

  private interface Metric {
    void render(String name, StringBuilder out);
  }

  /** A monotonically increasing count. */
  public static final class Counter implements Metric {
    private final String labels;
    private final AtomicLong value = new AtomicLong();

    private Counter(String labels) {
      this.labels = labels;
    }

    public void increment() {
      value.incrementAndGet();
    }

    public void add(long delta) {
      if (delta < 0) {
        throw new IllegalArgumentException("counters only go up");
      }
      value.addAndGet(delta);
    }

    public long get() {
      return value.get();
    }

    @Override
    public void render(String name, StringBuilder out) {
      out.append(name).append(labels).append(' ').append(value.get()).append('\n');
    }
  }

  /** A value read when scraped (queue depth, last sequence, ...). */
  private record Gauge(String labels, LongSupplier supplier) implements Metric {
    @Override
    public void render(String name, StringBuilder out) {
      out.append(name).append(labels).append(' ').append(supplier.getAsLong()).append('\n');
    }
  }

  /** A time read in nanoseconds from its owner and exposed in seconds (Prometheus base unit). */
  private record NanosAsSeconds(String labels, LongSupplier nanos) implements Metric {
    @Override
    public void render(String name, StringBuilder out) {
      out.append(name).append(labels).append(' ').append(nanos.getAsLong() / 1e9).append('\n');
    }
  }

  /** Observations counted into fixed cumulative buckets, with their sum and count. */
  public static final class Histogram implements Metric {
    private final String labels;
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();
    private final AtomicLong count = new AtomicLong();

    private Histogram(String labels, double[] bounds) {
      this.labels = labels;
      this.bounds = bounds.clone();
      for (int i = 1; i < bounds.length; i++) {
        if (!(bounds[i] > bounds[i - 1])) {
          throw new IllegalArgumentException("bucket bounds must increase");
        }
      }
      this.counts = new AtomicLongArray(bounds.length);
    }

    public void observe(double value) {
      for (int i = 0; i < bounds.length; i++) {
        if (value <= bounds[i]) {
          counts.incrementAndGet(i);
          break;
        }
      }
      sum.add(value);
      count.incrementAndGet();
    }

    /** Observes a duration given in nanoseconds, in seconds. */
    public void observeNanos(long nanos) {
      observe(nanos / 1e9);
    }

    public long count() {
      return count.get();
    }

    @Override
    public void render(String name, StringBuilder out) {
      long cumulative = 0;
      String inner = labels.isEmpty() ? "" : labels.substring(1, labels.length() - 1) + ",";
      for (int i = 0; i < bounds.length; i++) {
        cumulative += counts.get(i);
        out.append(name)
            .append("_bucket{")
            .append(inner)
            .append("le=\"")
            .append(format(bounds[i]))
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      long total = count.get();
      out.append(name)
          .append("_bucket{")
          .append(inner)
          .append("le=\"+Inf\"} ")
          .append(total)
          .append('\n');
      out.append(name)
          .append("_sum")
          .append(labels)
          .append(' ')
          .append(format(sum.sum()))
          .append('\n');
      out.append(name).append("_count").append(labels).append(' ').append(total).append('\n');
    }
  }

  /** Latency buckets from 100 microseconds to 10 seconds. */
  public static final double[] LATENCY_SECONDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /** Size buckets (transactions per commit, items per batch). */
  public static final double[] SIZES = {0, 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  private static String labels(String... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("labels come in name, value pairs");
    }
    if (pairs.length == 0) {
      return "";
    }
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (!NAME.matcher(pairs[i]).matches()) {
        throw new IllegalArgumentException("bad label name " + pairs[i]);
      }
      out.append(i == 0 ? "" : ",")
          .append(pairs[i])
          .append("=\"")
          .append(pairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append('"');
    }
    return out.append('}').toString();
  }

  private synchronized <M extends Metric> M register(
      String name, String type, String help, M metric) {
    if (!NAME.matcher(name).matches() || !name.startsWith("agentledger_")) {
      throw new IllegalArgumentException("metric names are agentledger_*: " + name);
    }
    if (type.equals("counter") && !name.endsWith("_total")) {
      throw new IllegalArgumentException("counter names end in _total: " + name);
    }
    Family family =
        families.computeIfAbsent(name, n -> new Family(n, type, help, new ArrayList<>()));
    if (!family.type().equals(type)) {
      throw new IllegalArgumentException(name + " is already a " + family.type());
    }
    family.metrics().add(metric);
    return metric;
  }

  public Counter counter(String name, String help, String... labelPairs) {
    return register(name, "counter", help, new Counter(labels(labelPairs)));
  }

  /**
   * A counter whose value is read from its owner when scraped (a stage that already counts on its
   * own thread); the supplier must never decrease.
   */
  public void counter(String name, String help, LongSupplier supplier, String... labelPairs) {
    register(name, "counter", help, new Gauge(labels(labelPairs), supplier));
  }

  /**
   * A {@code _seconds_total} counter read from a monotonic nanosecond total kept by its owner (busy
   * time of a stage), rendered in seconds.
   */
  public void secondsCounter(String name, String help, LongSupplier nanos, String... labelPairs) {
    if (!name.endsWith("_seconds_total")) {
      throw new IllegalArgumentException(name + " must end in _seconds_total");
    }
    register(name, "counter", help, new NanosAsSeconds(labels(labelPairs), nanos));
  }

  public void gauge(String name, String help, LongSupplier supplier, String... labelPairs) {
    register(name, "gauge", help, new Gauge(labels(labelPairs), supplier));
  }

  public Histogram histogram(String name, String help, double[] bounds, String... labelPairs) {
    return register(name, "histogram", help, new Histogram(labels(labelPairs), bounds));
  }

  /** The text exposition of every metric. */
  public synchronized String render() {
    StringBuilder out = new StringBuilder(4096);
    for (Family f : families.values()) {
      out.append("# HELP ")
          .append(f.name())
          .append(' ')
          .append(f.help().replace("\\", "\\\\").replace("\n", "\\n"))
          .append('\n');
      out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      for (Metric m : f.metrics()) {
        m.render(f.name(), out);
      }
    }
    if (standard != null) {
      standard.render(out);
    }
    return out.toString();
  }
}
