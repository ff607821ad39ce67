package dev.agentledger.node.mempool.core;

/**
 * Counters of a {@link Mempool}: one per admission outcome, evictions, drained transactions, and
 * pending transactions dropped because a commit passed their nonce, drained transactions taken back
 * after execution found their nonce ahead of the ledger's, held transactions expired, and refusals
 * made before the pool that it recorded.
 */
public final class MempoolMetrics {
  private final long[] byAdmission = new long[Admission.values().length];
  long evicted;
  long drained;
  long committedDropped;
  long requeued;
  long expired;
  long refusedBeforeAdmission;

  void count(Admission admission) {
    byAdmission[admission.ordinal()]++;
  }

  public long admitted() {
    return byAdmission[Admission.ADMITTED.ordinal()];
  }

  public long of(Admission admission) {
    return byAdmission[admission.ordinal()];
  }

  public long rejected() {
    long sum = 0;
    for (int i = 1; i < byAdmission.length; i++) {
      sum += byAdmission[i];
    }
    return sum;
  }

  public long evicted() {
    return evicted;
  }

  /** Held transactions dropped by {@link Mempool#expireHeld}: held longer than the bound. */
  public long expired() {
    return expired;
  }

  public long drained() {
    return drained;
  }

  public long committedDropped() {
    return committedDropped;
  }

  /** Drained transactions execution refused as ahead of their signer's nonce, taken back. */
  public long requeued() {
    return requeued;
  }

  /** Refusals for load made before the pool ({@link Mempool#refusedBeforeAdmission}) recorded. */
  public long refusedBeforeAdmission() {
    return refusedBeforeAdmission;
  }
}
