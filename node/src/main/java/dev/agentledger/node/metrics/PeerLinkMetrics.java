package dev.agentledger.node.metrics;

import java.util.function.IntPredicate;

/**
 * One gauge per peer link, {@code agentledger_peer_connected{peer="I"}} (1 while the link to
 * validator {@code I} is up, else 0), and the count of links up, {@code
 * agentledger_peers_connected}. Peers are committee members, so the label is bounded by the
 * committee's size.
 */
public final class PeerLinkMetrics {
  private PeerLinkMetrics() {}

  /** Registers the gauges of the {@code size - 1} peers of validator {@code self}. */
  public static void register(MetricsRegistry metrics, int size, int self, IntPredicate linkUp) {
    for (int i = 0; i < size; i++) {
      if (i != self) {
        int peer = i;
        metrics.gauge(
            "agentledger_peer_connected",
            "1 while the link to this peer validator is up, else 0.",
            () -> linkUp.test(peer) ? 1 : 0,
            "peer",
            Integer.toString(peer));
      }
    }
    metrics.gauge(
        "agentledger_peers_connected",
        "Peer validators whose link is up.",
        () -> {
          long up = 0;
          for (int i = 0; i < size; i++) {
            if (i != self && linkUp.test(i)) {
              up++;
            }
          }
          return up;
        });
  }
}
