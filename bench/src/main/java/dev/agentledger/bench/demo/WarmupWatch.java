package dev.agentledger.bench.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches the validators' JIT compiler threads while the demo's warm-up load runs: once a second it
 * reads each validator's compiler-thread CPU from {@code /proc} ({@link NativeThreadCpu#JIT}) into
 * a {@link WarmupEnd}, prints the compilers' share of a core every {@link #PRINT_EVERY_S} seconds,
 * and says {@link #quiet()} once the rule decided that the warm-up may stop. Its one thread is a
 * daemon and ends at {@link #close()} or once the rule decided.
 */
public final class WarmupWatch implements AutoCloseable {
  /** Seconds between the progress lines. */
  public static final int PRINT_EVERY_S = 10;

  private final List<ProcessSupervisor.Child> children;
  private final WarmupEnd end;
  private final PrintWriter out;
  private final long startNs;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;
  private final long minNs;
  private final double ratePerSecond;
  private volatile boolean quiet;
  private volatile long backlogAt = -1;

  /**
   * Starts watching the supervisor's children now.
   *
   * @param minNs the shortest warm-up
   * @param maxNs the longest
   * @param ratePerSecond the warm-up's offered rate
   * @param out where the progress lines go
   */
  public WarmupWatch(
      ProcessSupervisor supervisor, long minNs, long maxNs, double ratePerSecond, PrintWriter out) {
    this.children = supervisor.children();
    this.minNs = minNs;
    this.ratePerSecond = ratePerSecond;
    this.out = out;
    this.startNs = System.nanoTime();
    this.end = new WarmupEnd(minNs, maxNs, NativeThreadCpu.jitNs(children));
    this.thread = Thread.ofPlatform().daemon().name("demo-warmup-watch").start(this::watch);
  }

  private void watch() {
    long nextPrintNs = TimeUnit.SECONDS.toNanos(PRINT_EVERY_S);
    while (true) {
      try {
        if (closed.await(1, TimeUnit.SECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
      long elapsed = System.nanoTime() - startNs;
      long[] jit = NativeThreadCpu.jitNs(children);
      WarmupEnd.State state;
      synchronized (end) {
        state = end.sample(elapsed, jit);
      }
      if (state == WarmupEnd.State.QUIET) {
        quiet = true;
      }
      if (state != WarmupEnd.State.RUNNING) {
        return;
      }
      if (elapsed >= nextPrintNs) {
        nextPrintNs += TimeUnit.SECONDS.toNanos(PRINT_EVERY_S);
        out.printf(
            Locale.ROOT,
            "  warm-up %3.0f s: JIT compiler threads over the last %d s, share of a core: %s%n",
            elapsed / 1e9,
            WarmupEnd.WINDOW_INTERVALS,
            shares(lastWindowShares()));
        out.flush();
      }
    }
  }

  /**
   * Whether the warm-up load should stop ({@link dev.agentledger.bench.loadgen.LoadGenerator
   * .StopSignal}, asked before each send): the compilers were quiet under it past the minimum, or,
   * past the minimum, its load is queueing up ({@link WarmupEnd#backlogged}).
   */
  public boolean stop(long sent, long outstanding) {
    if (quiet) {
      return true;
    }
    if (WarmupEnd.backlogged(outstanding, ratePerSecond) && System.nanoTime() - startNs >= minNs) {
      backlogAt = outstanding;
      closed.countDown(); // the load stops here: the drain is not the warm-up's load
      return true;
    }
    return false;
  }

  /** Stops watching (waits for the thread, at most a few seconds). */
  @Override
  public void close() {
    closed.countDown();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Each validator's compiler-thread CPU over the watch, in milliseconds. */
  public List<Long> usedMs() {
    List<Long> ms = new ArrayList<>();
    synchronized (end) {
      for (long ns : end.usedNs()) {
        ms.add(ns / 1_000_000);
      }
    }
    return ms;
  }

  /** Each validator's compiler-thread share of a core over the last window, rounded to 0.1%. */
  public List<Double> lastWindowShares() {
    List<Double> shares = new ArrayList<>();
    synchronized (end) {
      for (double share : end.windowShares()) {
        shares.add(Math.round(share * 1000) / 1000.0);
      }
    }
    return shares;
  }

  /**
   * Why the warm-up ended, for the report's config ({@link WarmupEnd#endKey}): {@code jit-quiet},
   * {@code backlog}, {@code cap} or {@code fixed}.
   */
  public String endKey(boolean fixed) {
    synchronized (end) {
      return WarmupEnd.endKey(fixed, end.state(), backlogAt >= 0);
    }
  }

  /**
   * The report line: how long the warm-up load ran, why it ended, the compilers' share of a core
   * over its last window and their CPU over the whole warm-up.
   *
   * @param ranSeconds how long the load was sent
   * @param minSeconds {@code --warmup-s}
   * @param maxSeconds the cap
   * @param fixed whether the length was fixed (cap equal to the minimum)
   */
  public String describe(double ranSeconds, double minSeconds, double maxSeconds, boolean fixed) {
    WarmupEnd.State state;
    synchronized (end) {
      state = end.state();
    }
    String why =
        fixed
            ? String.format(
                Locale.ROOT,
                "fixed length of %.0f s (--warmup-max-s not above --warmup-s), the JIT %s",
                minSeconds,
                switch (state) {
                  case QUIET -> "quiet under load at its end";
                  case CAPPED -> "still busy under load at its end";
                  case RUNNING -> "not yet judged at its end";
                })
            : state == WarmupEnd.State.QUIET
                ? String.format(
                    Locale.ROOT,
                    "JIT quiet under load (every validator's compiler threads under %.0f%% of a core"
                        + " over %d s; at least %.0f s, at most %.0f s)",
                    100 * WarmupEnd.QUIET_FRACTION,
                    WarmupEnd.WINDOW_INTERVALS,
                    minSeconds,
                    maxSeconds)
                : backlogAt >= 0
                    ? String.format(
                        Locale.ROOT,
                        "its load queueing up (%,d runs unanswered, over %.0f s of the rate: the"
                            + " cluster commits less than offered) before the JIT was quiet",
                        backlogAt,
                        WarmupEnd.BACKLOG_SECONDS)
                    : String.format(
                        Locale.ROOT,
                        "cap of %.0f s reached with the JIT still busy under load (--warmup-max-s)",
                        maxSeconds);
    List<Long> used = usedMs();
    StringBuilder cpu = new StringBuilder();
    for (int v = 0; v < used.size(); v++) {
      cpu.append(v == 0 ? "" : ", ")
          .append(children.get(v).name())
          .append(' ')
          .append(
              String.format(
                  Locale.ROOT,
                  "%,d ms (%.1f%% of a core)",
                  used.get(v),
                  ranSeconds > 0 ? used.get(v) / (10 * ranSeconds) : 0.0));
    }
    return String.format(
        Locale.ROOT,
        "warm-up end (not counted): after %.1f s, %s; JIT compiler threads over the last %d s: %s;"
            + " their CPU during the warm-up: %s",
        ranSeconds,
        why,
        WarmupEnd.WINDOW_INTERVALS,
        shares(lastWindowShares()),
        cpu);
  }

  private String shares(List<Double> shares) {
    StringBuilder line = new StringBuilder();
    for (int v = 0; v < shares.size(); v++) {
      line.append(v == 0 ? "" : ", ")
          .append(children.get(v).name())
          .append(' ')
          .append(String.format(Locale.ROOT, "%.1f%%", 100 * shares.get(v)));
    }
    return line.toString();
  }
}
