package dev.agentledger.bench.loadgen;

import java.util.concurrent.locks.LockSupport;

/**
 * The generator's time source: monotonic nanoseconds and a way to wait until a deadline. The system
 * clock parks for long waits and spins for the last few microseconds; tests pass a fake clock whose
 * waits just advance time, which makes open-loop runs exactly reproducible.
 */
public interface NanoClock {
  long nanoTime();

  /** Returns once {@link #nanoTime()} has reached {@code deadlineNs} (or later). */
  void sleepUntil(long deadlineNs);

  /** {@link System#nanoTime()}; parks when more than {@value #SPIN_THRESHOLD_NS} ns remain. */
  NanoClock SYSTEM =
      new NanoClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNs) {
          long remaining;
          while ((remaining = deadlineNs - System.nanoTime()) > 0) {
            if (remaining > SPIN_THRESHOLD_NS) {
              LockSupport.parkNanos(remaining - SPIN_THRESHOLD_NS / 2);
            } else {
              Thread.onSpinWait();
            }
          }
        }
      };

  /** Below this the system clock spins instead of parking (park overshoots by ~50 us on Linux). */
  long SPIN_THRESHOLD_NS = 20_000;
}
