/**
 * Pure logic of the open-loop load generator: rate schedules (fixed, linear ramp, steps and
 * composites, after Hyperledger Caliper's rate controllers), the Zipf sampler for skewed workloads,
 * and the find-max search. No clocks, threads or I/O here (ArchUnit keeps it so): every function
 * takes indices and nanosecond offsets, which makes schedules exactly testable.
 *
 * <p>Why intended send times: Tene, "How NOT to Measure Latency" (coordinated omission). A
 * closed-loop or blocking generator waits for the system and so stops offering load exactly when
 * the system stalls, hiding the stall from its percentiles. Here the schedule alone fixes when each
 * transaction is due; latency is measured from that due time.
 */
package dev.agentledger.bench.loadgen.core;
