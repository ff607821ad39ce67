package dev.agentledger.bench.loadgen.core;

/**
 * A rate that changes linearly from {@code startTps} to {@code endTps} over the duration (Caliper
 * "linear-rate"). With {@code a = (end - start) / (2T)} the number sent by time {@code t} is {@code
 * N(t) = start t + a t^2}; the send time of transaction {@code i} is the root of {@code N(t) = i},
 * computed in the cancellation-free form {@code t = 2i / (start + sqrt(start^2 + 4 a i))}.
 */
public final class LinearRamp implements RateSchedule {
  private final double startTps;
  private final double endTps;
  private final long durationNs;
  private final double durationS;
  private final double a;
  private final long count;

  public LinearRamp(double startTps, double endTps, long durationNs) {
    if (startTps < 0 || endTps < 0 || (startTps == 0 && endTps == 0)) {
      throw new IllegalArgumentException(
          "linear-rate needs non-negative rates, not both zero: " + startTps + " -> " + endTps);
    }
    if (durationNs <= 0) {
      throw new IllegalArgumentException("duration must be positive: " + durationNs + " ns");
    }
    this.startTps = startTps;
    this.endTps = endTps;
    this.durationNs = durationNs;
    this.durationS = durationNs / 1e9;
    this.a = (endTps - startTps) / (2 * durationS);
    this.count = (long) Math.floor((startTps + endTps) * durationS / 2);
  }

  @Override
  public long durationNs() {
    return durationNs;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long offsetNs(long index) {
    if (index == 0) {
      return 0;
    }
    double discriminant = Math.max(0, startTps * startTps + 4 * a * index);
    double t = 2.0 * index / (startTps + Math.sqrt(discriminant));
    return (long) Math.min(t * 1e9, durationNs - 1);
  }

  @Override
  public double rateAt(long offsetNs) {
    double t = Math.clamp(offsetNs / 1e9, 0, durationS);
    return startTps + (endTps - startTps) * t / durationS;
  }

  @Override
  public String describe() {
    return "linear-rate "
        + Schedules.number(startTps)
        + " -> "
        + Schedules.number(endTps)
        + " tps over "
        + Schedules.seconds(durationNs)
        + " s";
  }
}
