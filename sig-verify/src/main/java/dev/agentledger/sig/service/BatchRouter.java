package dev.agentledger.sig.service;

/**
 * Chooses the backend for a batch (DESIGN.md section 4: small batches stay on the CPU, large ones
 * may go to an accelerator). Called on verifier threads; must be thread-safe and cheap.
 */
@FunctionalInterface
public interface BatchRouter {
  /** Index into the service's backend list for a batch of {@code batchSize} items. */
  int route(int batchSize, int backendCount);

  /** Always the first backend. */
  static BatchRouter first() {
    return (batchSize, backendCount) -> 0;
  }

  /** Backend 1 (an accelerator) for batches of at least {@code minBatch}, else backend 0. */
  static BatchRouter bySize(int minBatch) {
    return (batchSize, backendCount) -> backendCount > 1 && batchSize >= minBatch ? 1 : 0;
  }
}
