/**
 * Node metrics in the Prometheus text exposition format (prometheus.io/docs/instrumenting/
 * exposition_formats), named by the Prometheus conventions: {@code agentledger_<stage>_..._total}
 * for counters, base units in the name ({@code _seconds}, {@code _bytes}), fixed histogram buckets,
 * and labels only for bounded dimensions (stage, result, code, peer validator), never per agent.
 *
 * <p>A node's registry ({@link dev.agentledger.node.metrics.MetricsRegistry#forNode}) also carries
 * the standard series: the JVM and process families of the Prometheus Java client ({@code jvm_*},
 * {@code process_*}, collected by that library when scraped), {@code agentledger_build_info} with
 * the version and git commit, and one link gauge per peer ({@link
 * dev.agentledger.node.metrics.PeerLinkMetrics}). The whole exposition passes {@code promtool check
 * metrics}.
 *
 * <p>{@link dev.agentledger.node.metrics.HeapAfterGc} keeps the heap used after the last garbage
 * collection, from the collectors' notifications: the heap signal of the execution backlog's gate.
 */
package dev.agentledger.node.metrics;
