package dev.agentledger.bench.loadgen.core;

/**
 * When each transaction of an open-loop run is meant to be sent: a pure function from the index of
 * a transaction to its intended send offset from the start of the run. The generator sends
 * transaction {@code i} at {@code start + offsetNs(i)} whatever happened to earlier ones, and
 * measures latency from that instant, so a stalled system under test cannot slow the offered load
 * (no coordinated omission).
 */
public interface RateSchedule {
  /** Length of the schedule in nanoseconds. */
  long durationNs();

  /** Number of transactions the schedule sends. */
  long count();

  /**
   * Intended send offset of transaction {@code index} (0-based, below {@link #count()}), in
   * nanoseconds from the start; non-decreasing in {@code index}.
   */
  long offsetNs(long index);

  /** Offered rate (transactions per second) at {@code offsetNs}; for plots and reports. */
  double rateAt(long offsetNs);

  /** One line for reports: the controller type and its parameters. */
  String describe();
}
