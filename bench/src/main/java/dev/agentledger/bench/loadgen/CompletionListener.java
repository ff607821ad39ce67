package dev.agentledger.bench.loadgen;

/**
 * How a {@link LoadTarget} reports what became of each submitted transaction, identified by the
 * sequence number the generator gave it. Callbacks may arrive on any thread, in any order (a commit
 * may overtake its acceptance). Implementations must not block and must not allocate per call.
 */
public interface CompletionListener {
  /** The target admitted the transaction (it owes a commit or a later rejection). */
  void onAccepted(long sequence, long nowNs);

  /**
   * The target refused the transaction. {@code reason} is a constant, short code (for example
   * {@code bad_signature}); codes that start with {@value LoadTarget#OVERLOAD_PREFIX} mean the
   * target shed load and count against find-max.
   */
  void onRejected(long sequence, String reason, long nowNs);

  /**
   * The target refused the transaction for a passing reason (load shedding, {@code reason} coded as
   * in {@link #onRejected}) and will resubmit it; not final. Counted as a retry.
   */
  default void onRetried(long sequence, String reason, long nowNs) {}

  /** The transaction is committed (durable under the target's definition) at {@code commitNs}. */
  void onCommitted(long sequence, long commitNs);
}
