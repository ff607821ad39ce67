package dev.agentledger.node.idle;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * An Agrona idle strategy that gives the core back when there is nothing to do and wakes at once
 * when there is: after {@code maxSpins} spins and {@code maxYields} yields it parks, for {@code
 * minParkNs} first and twice as long after each further idle cycle, up to a cap; a producer that
 * hands the agent work calls {@link #wake()}, which unparks it (a wake-up before the park makes the
 * park return at once, so none is lost).
 *
 * <p>The cap is {@code maxParkNs}, or less while the agent has a timer to serve: {@code parkCapNs},
 * asked on the agent's thread before each park, returns the longest sleep its pending deadlines
 * allow. An idle agent then costs about one wake-up per {@code maxParkNs} instead of one per
 * millisecond, and under load it behaves as Agrona's {@code BackoffIdleStrategy}.
 */
public final class ParkingIdleStrategy implements IdleStrategy {
  private final int maxSpins;
  private final int maxYields;
  private final long minParkNs;
  private final long maxParkNs;
  private final LongSupplier parkCapNs;
  private volatile Thread owner;
  private int spins;
  private int yields;
  private long parkNs;

  /**
   * @param parkCapNs the longest park the agent's timers allow now (called on the agent thread), or
   *     null for none
   */
  public ParkingIdleStrategy(
      int maxSpins, int maxYields, long minParkNs, long maxParkNs, LongSupplier parkCapNs) {
    if (maxSpins < 0 || maxYields < 0 || minParkNs < 1 || maxParkNs < minParkNs) {
      throw new IllegalArgumentException("need spins, yields >= 0 and 1 <= minParkNs <= maxParkNs");
    }
    this.maxSpins = maxSpins;
    this.maxYields = maxYields;
    this.minParkNs = minParkNs;
    this.maxParkNs = maxParkNs;
    this.parkCapNs = parkCapNs;
  }

  /** Parks between {@code minParkNs} and {@code maxParkNs} at once, with no timer cap. */
  public static ParkingIdleStrategy parking(long minParkNs, long maxParkNs) {
    return new ParkingIdleStrategy(0, 0, minParkNs, maxParkNs, null);
  }

  /** Unparks the agent (any thread); cheap when it is not parked. */
  public void wake() {
    Thread t = owner;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  @Override
  public void idle(int workCount) {
    if (workCount > 0) {
      reset();
    } else {
      idle();
    }
  }

  @Override
  public void idle() {
    if (owner == null) {
      owner = Thread.currentThread();
    }
    if (spins < maxSpins) {
      spins++;
      Thread.onSpinWait();
    } else if (yields < maxYields) {
      yields++;
      Thread.yield();
    } else {
      long cap = maxParkNs;
      if (parkCapNs != null) {
        cap = Math.max(minParkNs, Math.min(cap, parkCapNs.getAsLong()));
      }
      parkNs = Math.min(cap, parkNs == 0 ? minParkNs : parkNs << 1);
      LockSupport.parkNanos(this, parkNs);
    }
  }

  @Override
  public void reset() {
    spins = 0;
    yields = 0;
    parkNs = 0;
  }

  /** The next park's length without parking (tests). */
  long nextParkNs() {
    long cap = maxParkNs;
    if (parkCapNs != null) {
      cap = Math.max(minParkNs, Math.min(cap, parkCapNs.getAsLong()));
    }
    return Math.min(cap, parkNs == 0 ? minParkNs : parkNs << 1);
  }

  @Override
  public String alias() {
    return "parking";
  }
}
