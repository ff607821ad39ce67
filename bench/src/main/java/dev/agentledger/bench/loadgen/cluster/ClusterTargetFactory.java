package dev.agentledger.bench.loadgen.cluster;

import dev.agentledger.bench.loadgen.LoadTarget;
import dev.agentledger.bench.loadgen.LoadTargetFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code --target cluster}: options {@code cluster-dir=DIR} (a {@code cluster init --load-agents N}
 * directory; required), {@code commits=feed|poll} (how commits are learnt: the first validator's
 * commit feed, the default, or TX_QUERY polls of each validator), {@code poll-ms=N} (commit poll
 * interval with {@code commits=poll}, default 10), {@code backend=NAME} (what verifies signatures
 * in the nodes, for the report; default "node default") and {@code ca=FILE} (the CA that TLS client
 * ports are trusted by; default {@code DIR/ca.pem} when {@code cluster init --tls} wrote one, else
 * plaintext).
 */
public final class ClusterTargetFactory implements LoadTargetFactory {
  static final Set<String> OPTIONS = Set.of("cluster-dir", "commits", "poll-ms", "backend", "ca");

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
    String commits = options.getOrDefault("commits", "feed");
    if (!commits.equals("feed") && !commits.equals("poll")) {
      throw new IllegalArgumentException(
          "cluster target: commits must be feed or poll, got '" + commits + "'");
    }
    java.nio.file.Path ca =
        options.containsKey("ca")
            ? Path.of(options.get("ca"))
            : java.nio.file.Files.isRegularFile(Path.of(dir).resolve("ca.pem"))
                ? Path.of(dir).resolve("ca.pem")
                : null;
    return new ClusterTarget(
        defaults
            .withPolling(TimeUnit.MILLISECONDS.toNanos(pollMs), defaults.maxQueryIdsPerSec())
            .withFeed(commits.equals("feed")),
        ca == null ? null : dev.agentledger.node.net.tls.ClientTls.trusting(ca));
  }
}
