/**
 * Node metrics in the Prometheus text exposition format (prometheus.io/docs/instrumenting/
 * exposition_formats), named by the Prometheus conventions: {@code agentledger_<stage>_..._total}
 * for counters, base units in the name ({@code _seconds}, {@code _bytes}), fixed histogram buckets,
 * and labels only for bounded dimensions (stage, result, code), never per agent.
 */
package dev.agentledger.node.metrics;
