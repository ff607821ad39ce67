package dev.agentledger.node.mempool.core;

/**
 * An array of token buckets (rate per second, burst), indexed by slot. Time comes in as {@code
 * nowNs}; tokens are kept in nano-units so refill is exact integer arithmetic.
 */
final class TokenBuckets {
  private static final long NANOS = 1_000_000_000L;
  private final long ratePerSec;
  private final long capacityNano;
  private long[] tokensNano;
  private long[] lastNs;
  private boolean[] started;

  /** Heap bytes per slot of an enabled bucket array. */
  static final long SLOT_BYTES = 8 + 8 + 1;

  TokenBuckets(int slots, long ratePerSec, long burst) {
    this.ratePerSec = ratePerSec;
    this.capacityNano = Math.multiplyExact(Math.max(burst, 1), NANOS);
    this.tokensNano = new long[ratePerSec == 0 ? 0 : slots];
    this.lastNs = new long[tokensNano.length];
    this.started = new boolean[tokensNano.length];
  }

  /** Makes {@code slots} buckets (more than now; none when disabled); new ones start full. */
  void grow(int slots) {
    if (ratePerSec == 0) {
      return;
    }
    tokensNano = java.util.Arrays.copyOf(tokensNano, slots);
    lastNs = java.util.Arrays.copyOf(lastNs, slots);
    started = java.util.Arrays.copyOf(started, slots);
  }

  boolean enabled() {
    return ratePerSec > 0;
  }

  /** Takes one token from {@code slot}; false when empty. */
  boolean tryTake(int slot, long nowNs) {
    if (ratePerSec == 0) {
      return true;
    }
    long tokens;
    if (!started[slot]) {
      started[slot] = true;
      tokens = capacityNano;
    } else {
      long elapsed = Math.max(0, nowNs - lastNs[slot]);
      long maxElapsed = capacityNano / ratePerSec;
      tokens =
          elapsed >= maxElapsed
              ? capacityNano
              : Math.min(capacityNano, tokensNano[slot] + elapsed * ratePerSec);
    }
    lastNs[slot] = nowNs;
    if (tokens < NANOS) {
      tokensNano[slot] = tokens;
      return false;
    }
    tokensNano[slot] = tokens - NANOS;
    return true;
  }

  void reset(int slot) {
    if (ratePerSec != 0) {
      started[slot] = false;
    }
  }
}
