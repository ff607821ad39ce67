package dev.agentledger.node.worker.core;

/**
 * Batch sealing and retransmission: seal when {@code batchSizeTxs} are ready or {@code
 * maxBatchDelayNs} passed since the oldest unsealed transaction; resend an uncertified batch (or a
 * missing-batch request) every {@code resendNs}; at most {@code maxPendingBatches} own batches
 * await certification (beyond that the worker stops sealing and the mempool fills: backpressure).
 *
 * <p>A batch sealed for its delay rather than full (a partial batch) is sealed only while fewer
 * than {@code maxPartialInFlight} own batches await certification; otherwise the ready transactions
 * wait for a certificate, then go out together. Sealing is self-clocked by the certification round
 * trip: a lightly loaded worker seals after the delay as before, a busy one seals fewer, larger
 * batches, and each batch's fixed cost (its signature, the peers' acknowledgement signatures and
 * certificate checks, the frames and the synced write) is shared by more transactions. Full batches
 * are sealed regardless, up to {@code maxPendingBatches}.
 */
public record WorkerConfig(
    int batchSizeTxs,
    long maxBatchDelayNs,
    long resendNs,
    int maxPendingBatches,
    int maxPartialInFlight) {

  /** Partial batches sealed while fewer than this many own batches await certification. */
  public static final int DEFAULT_MAX_PARTIAL_IN_FLIGHT = 1;

  public WorkerConfig {
    if (batchSizeTxs < 1) {
      throw new IllegalArgumentException("batchSizeTxs must be positive: " + batchSizeTxs);
    }
    if (maxPendingBatches < 1) {
      throw new IllegalArgumentException(
          "maxPendingBatches must be positive: " + maxPendingBatches);
    }
    if (maxPartialInFlight < 1 || maxPartialInFlight > maxPendingBatches) {
      throw new IllegalArgumentException(
          "maxPartialInFlight must be 1.." + maxPendingBatches + ": " + maxPartialInFlight);
    }
  }

  /** With {@link #DEFAULT_MAX_PARTIAL_IN_FLIGHT} (at most {@code maxPendingBatches}). */
  public WorkerConfig(
      int batchSizeTxs, long maxBatchDelayNs, long resendNs, int maxPendingBatches) {
    this(
        batchSizeTxs,
        maxBatchDelayNs,
        resendNs,
        maxPendingBatches,
        Math.min(DEFAULT_MAX_PARTIAL_IN_FLIGHT, Math.max(1, maxPendingBatches)));
  }

  public static WorkerConfig defaults() {
    return new WorkerConfig(1000, 20_000_000L, 500_000_000L, 32);
  }
}
