/**
 * Benchmarks: JMH suites for every kernel against its anchor, and (with the bench issue) the
 * open-loop load generator, the TPS report and the cluster projection model.
 */
package dev.agentledger.bench;
