package dev.agentledger.bench.loadgen.cluster;

import dev.agentledger.bench.loadgen.LoadTarget;
import dev.agentledger.bench.loadgen.LoadTargetFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code --target cluster}: options {@code cluster-dir=DIR} (a {@code cluster init --load-agents N}
 * directory; required), {@code poll-ms=N} (commit poll interval, default 10) and {@code
 * backend=NAME} (what verifies signatures in the nodes, for the report; default "node default").
 */
public final class ClusterTargetFactory implements LoadTargetFactory {
  static final Set<String> OPTIONS = Set.of("cluster-dir", "poll-ms", "backend");

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public LoadTarget create(Map<String, String> options) throws Exception {
    for (String key : options.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new IllegalArgumentException(
            "cluster target: unknown option '" + key + "' (known: " + OPTIONS + ")");
      }
    }
    String dir = options.get("cluster-dir");
    if (dir == null) {
      throw new IllegalArgumentException(
          "cluster target: --target-opt cluster-dir=DIR is required (a 'cluster init --load-agents N' directory)");
    }
    ClusterDir cluster = ClusterDir.read(Path.of(dir));
    long pollMs = Long.parseLong(options.getOrDefault("poll-ms", "10"));
    ClusterTarget.Config defaults =
        ClusterTarget.Config.of(cluster.clients(), options.getOrDefault("backend", "node default"));
    return new ClusterTarget(
        defaults.withPolling(TimeUnit.MILLISECONDS.toNanos(pollMs), defaults.maxQueryIdsPerSec()));
  }
}
