/**
 * The open-loop load generator: a pre-signed pool of realistic {@code AgentRun} records, a single
 * sender that follows a {@link dev.agentledger.bench.loadgen.core.RateSchedule} and never waits for
 * answers, a recorder that tracks every transaction's fate exactly (accepted, rejected by reason,
 * committed, lost), HdrHistogram latencies from the intended send time (Tene's coordinated-omission
 * correction done right by construction), the generator's own measured capacity, find-max, and the
 * {@link dev.agentledger.bench.loadgen.LoadTarget} interface the system under test implements.
 * Workload files follow Hyperledger Caliper's round / rate-control layout.
 */
package dev.agentledger.bench.loadgen;
