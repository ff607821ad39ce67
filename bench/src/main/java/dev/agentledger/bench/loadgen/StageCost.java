package dev.agentledger.bench.loadgen;

/**
 * Cumulative cost of one pipeline stage, measured inside the target.
 *
 * @param stage stage name ({@code ingress}, {@code sigverify}, ...)
 * @param cpuNs thread CPU time spent doing the stage's work (ThreadMXBean), idle time excluded
 * @param items transactions the stage processed
 * @param wallNs wall time of blocking operations of the stage that burn no CPU (fsync), or 0
 * @param what what the stage does, for the report
 * @param allocatedBytes heap bytes the stage's threads allocated (ThreadMXBean), or -1 when not
 *     measured
 */
public record StageCost(
    String stage, long cpuNs, long items, long wallNs, String what, long allocatedBytes) {
  /** A cost whose allocation was not measured. */
  public StageCost(String stage, long cpuNs, long items, long wallNs, String what) {
    this(stage, cpuNs, items, wallNs, what, -1);
  }
}
