package dev.agentledger.bench.loadgen;

/** A clock that only moves when told to: waits jump straight to their deadline. */
public final class FakeClock implements NanoClock {
  private long now;

  public FakeClock(long startNs) {
    this.now = startNs;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleepUntil(long deadlineNs) {
    now = Math.max(now, deadlineNs);
  }

  public void advance(long nanos) {
    now += nanos;
  }
}
