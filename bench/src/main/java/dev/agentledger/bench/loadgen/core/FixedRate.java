package dev.agentledger.bench.loadgen.core;

/**
 * A constant rate: transaction {@code i} is due at {@code i / tps} seconds (Caliper "fixed-rate").
 */
public final class FixedRate implements RateSchedule {
  private final double tps;
  private final long durationNs;
  private final long count;
  private final double intervalNs;

  public FixedRate(double tps, long durationNs) {
    if (!(tps > 0) || Double.isInfinite(tps)) {
      throw new IllegalArgumentException("fixed-rate tps must be positive: " + tps);
    }
    if (durationNs <= 0) {
      throw new IllegalArgumentException("duration must be positive: " + durationNs + " ns");
    }
    this.tps = tps;
    this.durationNs = durationNs;
    this.count = (long) Math.floor(tps * durationNs / 1e9);
    this.intervalNs = 1e9 / tps;
  }

  public double tps() {
    return tps;
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
    return (long) (index * intervalNs);
  }

  @Override
  public double rateAt(long offsetNs) {
    return tps;
  }

  @Override
  public String describe() {
    return "fixed-rate "
        + Schedules.number(tps)
        + " tps for "
        + Schedules.seconds(durationNs)
        + " s";
  }
}
