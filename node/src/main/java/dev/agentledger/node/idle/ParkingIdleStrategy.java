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
 *
 * <p>An agent that waits for a deadline of its own or for a producer, not for work it expects
 * within microseconds, calls {@link #parkAtOnce()} in the duty cycle that returns 0: the next idle
 * then skips the spins, the yields and the back-off and parks once, until the cap or a wake-up (one
 * wake-up per deadline or frame instead of a dozen duty cycles and short parks).
 */
public final class ParkingIdleStrategy implements IdleStrategy {
  private final int maxSpins;
  private final int maxYields;
  private final long minParkNs;
  private final long maxParkNs;
  private final LongSupplier parkCapNs;
  private final ParkingIdleStrategy[] members;
  private volatile Thread owner;
  private int spins;
  private int yields;
  private long parkNs;
  private boolean parkAtOnce;

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
    this.members = new ParkingIdleStrategy[0];
  }

  private ParkingIdleStrategy(ParkingIdleStrategy[] members) {
    int spinsMax = 0;
    int yieldsMax = 0;
    long minPark = Long.MAX_VALUE;
    long maxPark = 0;
    for (ParkingIdleStrategy m : members) {
      spinsMax = Math.max(spinsMax, m.maxSpins);
      yieldsMax = Math.max(yieldsMax, m.maxYields);
      minPark = Math.min(minPark, m.minParkNs);
      maxPark = Math.max(maxPark, m.maxParkNs);
    }
    this.maxSpins = spinsMax;
    this.maxYields = yieldsMax;
    this.minParkNs = minPark;
    this.maxParkNs = maxPark;
    this.members = members.clone();
    this.parkCapNs = this::membersCapNs;
  }

  /**
   * The idle strategy of one thread that runs the agents of {@code members} in turn (an Agrona
   * {@code CompositeAgent}): it parks no longer than the member whose timer is due first allows,
   * and a {@link #wake()} of any member unparks that thread. The members are not used to idle
   * themselves any more.
   */
  public static ParkingIdleStrategy shared(java.util.List<ParkingIdleStrategy> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a shared idle strategy needs at least one member");
    }
    return new ParkingIdleStrategy(members.toArray(new ParkingIdleStrategy[0]));
  }

  /** The longest park this strategy's timers allow now ({@code maxParkNs} without a timer). */
  long capNs() {
    return parkCapNs == null ? maxParkNs : Math.min(maxParkNs, parkCapNs.getAsLong());
  }

  private long membersCapNs() {
    long cap = Long.MAX_VALUE;
    for (ParkingIdleStrategy m : members) {
      cap = Math.min(cap, m.capNs());
    }
    return cap;
  }

  /** Parks between {@code minParkNs} and {@code maxParkNs} at once, with no timer cap. */
  public static ParkingIdleStrategy parking(long minParkNs, long maxParkNs) {
    return new ParkingIdleStrategy(0, 0, minParkNs, maxParkNs, null);
  }

  /**
   * Makes the next {@link #idle()} park at once for the longest the timers allow ({@code
   * parkCapNs}, at most {@code maxParkNs}) or until a {@link #wake()}, without spins, yields or
   * back-off. Called on the agent's thread, in a duty cycle that returns 0; work done in the next
   * cycle cancels it. In a {@link #shared} strategy a member's request parks the whole thread (its
   * other members wake it as usual).
   */
  public void parkAtOnce() {
    parkAtOnce = true;
  }

  /** Takes this strategy's and its members' park-at-once requests. */
  private boolean takeParkAtOnce() {
    boolean park = parkAtOnce;
    parkAtOnce = false;
    for (ParkingIdleStrategy m : members) {
      park |= m.takeParkAtOnce();
    }
    return park;
  }

  private boolean parkAtOncePending() {
    boolean park = parkAtOnce;
    for (ParkingIdleStrategy m : members) {
      park |= m.parkAtOncePending();
    }
    return park;
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
      takeParkAtOnce();
      reset();
    } else {
      idle();
    }
  }

  @Override
  public void idle() {
    if (owner == null) {
      Thread self = Thread.currentThread();
      owner = self;
      for (ParkingIdleStrategy m : members) {
        m.owner = self; // a member's producers now wake the thread that runs it
      }
    }
    if (takeParkAtOnce()) {
      // The back-off is left as it was: this park is the agent's own wait, not idleness.
      LockSupport.parkNanos(this, Math.max(1, capNs()));
    } else if (spins < maxSpins) {
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
    parkAtOnce = false;
    spins = 0;
    yields = 0;
    parkNs = 0;
  }

  /**
   * The next idle's park in ns if it parks (after the spins and yields, or at once after {@link
   * #parkAtOnce()}), without parking; for tests, on the agent's thread.
   */
  public long nextParkNs() {
    if (parkAtOncePending()) {
      return Math.max(1, capNs());
    }
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
