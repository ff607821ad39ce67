package dev.agentledger.node.worker.core;

/**
 * Batch sealing and retransmission: seal when {@code batchSizeTxs} are ready or {@code
 * maxBatchDelayNs} passed since the oldest unsealed transaction; resend an uncertified batch (or a
 * missing-batch request) every {@code resendNs}; at most {@code maxPendingBatches} own batches
 * await certification (beyond that the worker stops sealing and the mempool fills: backpressure).
 */
public record WorkerConfig(
    int batchSizeTxs, long maxBatchDelayNs, long resendNs, int maxPendingBatches) {
  public static WorkerConfig defaults() {
    return new WorkerConfig(1000, 20_000_000L, 500_000_000L, 32);
  }
}
