package dev.agentledger.bench.loadgen.core;

import java.util.List;

/**
 * Segments played one after another: the step controller (a list of fixed rates) and a workload
 * file's rounds. Transaction {@code i} belongs to the segment whose cumulative count first exceeds
 * it; its offset is that segment's start plus its offset inside the segment. Lookup is a binary
 * search over the (few) segments and allocates nothing.
 */
public final class CompositeSchedule implements RateSchedule {
  private final RateSchedule[] segments;
  private final long[] firstIndex;
  private final long[] startNs;
  private final long count;
  private final long durationNs;

  public CompositeSchedule(List<? extends RateSchedule> segments) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a composite schedule needs at least one segment");
    }
    this.segments = segments.toArray(new RateSchedule[0]);
    this.firstIndex = new long[this.segments.length];
    this.startNs = new long[this.segments.length];
    long total = 0;
    long time = 0;
    for (int s = 0; s < this.segments.length; s++) {
      firstIndex[s] = total;
      startNs[s] = time;
      total += this.segments[s].count();
      time += this.segments[s].durationNs();
    }
    this.count = total;
    this.durationNs = time;
  }

  /** Steps: {@code tps[k]} for {@code durationsNs[k]} each (Caliper's composite of fixed rates). */
  public static CompositeSchedule steps(double[] tps, long[] durationsNs) {
    if (tps.length != durationsNs.length || tps.length == 0) {
      throw new IllegalArgumentException("steps need one duration per rate, at least one step");
    }
    RateSchedule[] fixed = new RateSchedule[tps.length];
    for (int k = 0; k < tps.length; k++) {
      fixed[k] = new FixedRate(tps[k], durationsNs[k]);
    }
    return new CompositeSchedule(List.of(fixed));
  }

  public int segmentCount() {
    return segments.length;
  }

  /** Segment {@code s}. */
  public RateSchedule segment(int s) {
    return segments[s];
  }

  /** Index of the first transaction of segment {@code s}. */
  public long firstIndex(int s) {
    return firstIndex[s];
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
    int s = segmentOfIndex(index);
    return startNs[s] + segments[s].offsetNs(index - firstIndex[s]);
  }

  /** The last segment whose first index is at most {@code index}: it holds {@code index}. */
  private int segmentOfIndex(long index) {
    int lo = 0;
    int hi = segments.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (firstIndex[mid] <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  @Override
  public double rateAt(long offsetNs) {
    for (int s = segments.length - 1; s >= 0; s--) {
      if (offsetNs >= startNs[s]) {
        return segments[s].rateAt(offsetNs - startNs[s]);
      }
    }
    return segments[0].rateAt(0);
  }

  @Override
  public String describe() {
    StringBuilder text = new StringBuilder("composite[");
    for (int s = 0; s < segments.length; s++) {
      text.append(s == 0 ? "" : "; ").append(segments[s].describe());
    }
    return text.append(']').toString();
  }
}
