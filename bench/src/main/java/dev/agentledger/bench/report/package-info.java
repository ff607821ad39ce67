/**
 * The TPS validation report (DESIGN.md section 9, "Honest throughput"): exact outcome counts with
 * lost transactions called out, committed TPS, latency percentiles from intended send times
 * (HdrHistogram), measured per-stage CPU per committed transaction, the observed hardware manifest,
 * configuration and git commit. JSON for machines (schema {@code agentledger.bench.report/v1}), one
 * self-contained HTML page with inline SVG plots for people.
 */
package dev.agentledger.bench.report;
