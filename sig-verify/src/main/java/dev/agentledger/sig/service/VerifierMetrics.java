package dev.agentledger.sig.service;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link VerifierService}: offered, rejected (queue full or closed), verified,
 * invalid, batches, a batch-size histogram with power-of-two buckets, per-backend batch counts; the
 * queue depth is read live. Updated without locks (LongAdder / atomic arrays).
 */
public final class VerifierMetrics {
  /** Histogram buckets: bucket b counts batches of size in [2^b, 2^(b+1)), b < 16 (last open). */
  public static final int HISTOGRAM_BUCKETS = 17;

  final LongAdder offered = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder verified = new LongAdder();
  final LongAdder invalid = new LongAdder();
  final LongAdder batches = new LongAdder();
  final LongAdder bisectedBatches = new LongAdder();
  final AtomicLongArray batchSizes = new AtomicLongArray(HISTOGRAM_BUCKETS);
  final AtomicLongArray backendBatches;
  private final String[] backendNames;
  private final java.util.function.IntSupplier queueDepth;
  private final long startNs;

  VerifierMetrics(String[] backendNames, java.util.function.IntSupplier queueDepth, long startNs) {
    this.backendNames = backendNames.clone();
    this.backendBatches = new AtomicLongArray(backendNames.length);
    this.queueDepth = queueDepth;
    this.startNs = startNs;
  }

  void recordBatch(int size, int invalidCount, int backend) {
    batches.increment();
    verified.add(size);
    invalid.add(invalidCount);
    if (invalidCount > 0) {
      bisectedBatches.increment();
    }
    int bucket =
        Math.min(HISTOGRAM_BUCKETS - 1, 31 - Integer.numberOfLeadingZeros(Math.max(1, size)));
    batchSizes.incrementAndGet(bucket);
    backendBatches.incrementAndGet(backend);
  }

  /** A consistent-enough copy of the counters at {@code nowNs} (System.nanoTime). */
  public Snapshot snapshot(long nowNs) {
    long[] histogram = new long[HISTOGRAM_BUCKETS];
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
      histogram[i] = batchSizes.get(i);
    }
    long[] perBackend = new long[backendNames.length];
    for (int i = 0; i < perBackend.length; i++) {
      perBackend[i] = backendBatches.get(i);
    }
    return new Snapshot(
        queueDepth.getAsInt(),
        offered.sum(),
        rejected.sum(),
        verified.sum(),
        invalid.sum(),
        batches.sum(),
        bisectedBatches.sum(),
        histogram,
        backendNames.clone(),
        perBackend,
        Math.max(1, nowNs - startNs));
  }

  /**
   * Counter values. {@code verified} counts items with a verdict (valid or not), {@code invalid}
   * those whose verdict was bad; {@code batchesWithFailures} those that needed bisection.
   */
  public record Snapshot(
      int queueDepth,
      long offered,
      long rejected,
      long verified,
      long invalid,
      long batches,
      long batchesWithFailures,
      long[] batchSizeHistogram,
      String[] backends,
      long[] backendBatches,
      long uptimeNs) {
    /** Average verifications per second since the service started. */
    public double verifiesPerSecond() {
      return verified * 1e9 / uptimeNs;
    }

    /** Verifications per second between an earlier snapshot and this one. */
    public double verifiesPerSecondSince(Snapshot earlier) {
      long dt = uptimeNs - earlier.uptimeNs;
      return dt <= 0 ? 0 : (verified - earlier.verified) * 1e9 / dt;
    }

    @Override
    public String toString() {
      StringBuilder histogram = new StringBuilder();
      for (int i = 0; i < batchSizeHistogram.length; i++) {
        if (batchSizeHistogram[i] > 0) {
          histogram
              .append(histogram.isEmpty() ? "" : " ")
              .append(1 << i)
              .append("+:")
              .append(batchSizeHistogram[i]);
        }
      }
      return String.format(
          "queue=%d offered=%d rejected=%d verified=%d invalid=%d batches=%d failedBatches=%d"
              + " verifies/s=%.0f sizes=[%s]",
          queueDepth,
          offered,
          rejected,
          verified,
          invalid,
          batches,
          batchesWithFailures,
          verifiesPerSecond(),
          histogram);
    }
  }
}
