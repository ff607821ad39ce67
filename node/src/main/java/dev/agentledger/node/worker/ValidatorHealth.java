package dev.agentledger.node.worker;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.health.HealthReport;
import dev.agentledger.node.health.NodeHealth;
import java.util.function.LongSupplier;

/**
 * A validator's liveness and readiness from the signals its stages already keep.
 *
 * <p>Live: the worker agent runs ({@code agents}), the store has not failed a write and the data
 * directory is writable ({@code storage}), execution has not stopped ({@code execution}). Ready:
 * live, plus the validator's own stake and that of the peers whose links are up reach the
 * committee's quorum ({@code links}), execution has applied everything consensus committed and is
 * within two commits of every peer ({@code caughtUp}), and no submission was refused as OVERLOADED
 * within {@link #OVERLOAD_HOLD_NS} before the probe ({@code overload}: refusals are counted at each
 * probe, so the first probe after a burst sees it).
 */
public final class ValidatorHealth implements NodeHealth {
  /** How long a seen overload refusal keeps the node not ready. */
  public static final long OVERLOAD_HOLD_NS = 10_000_000_000L;

  /** What the checks read; a validator's stages provide them. */
  public interface Signals {
    /** True while the node's agents run. */
    boolean agentsRunning();

    /** Why storage does not take writes, or null when it does. */
    String storageFailure();

    /** Why execution stopped, or null while it runs (or when the node does not execute). */
    String executionFailure();

    /** Whether the link to validator {@code index} is up. */
    boolean linkUp(int index);

    /** Whether execution has caught up (true when the node does not execute). */
    boolean caughtUp();

    /** One line on execution progress (executed, committed, highest peer sequence). */
    String catchUpDetail();

    /** Submissions and frames refused as OVERLOADED since the start; never decreases. */
    long overloadRefusals();
  }

  private final Committee committee;
  private final int self;
  private final Signals signals;
  private final LongSupplier nanoClock;
  private long lastRefusals;
  private long lastOverloadNs;
  private boolean overloadSeen;

  public ValidatorHealth(Committee committee, int self, Signals signals, LongSupplier nanoClock) {
    this.committee = committee;
    this.self = self;
    this.signals = signals;
    this.nanoClock = nanoClock;
  }

  @Override
  public HealthReport liveness() {
    HealthReport report = new HealthReport();
    boolean running = signals.agentsRunning();
    report.check("agents", running, running ? "running" : "the worker agent has stopped");
    String storage = signals.storageFailure();
    report.check("storage", storage == null, storage == null ? "writable" : storage);
    String execution = signals.executionFailure();
    report.check("execution", execution == null, execution == null ? "running" : execution);
    return report;
  }

  @Override
  public HealthReport readiness() {
    HealthReport report = liveness();
    long stake = committee.stake(self);
    int up = 0;
    for (int i = 0; i < committee.size(); i++) {
      if (i != self && signals.linkUp(i)) {
        up++;
        stake += committee.stake(i);
      }
    }
    report.check(
        "links",
        committee.isQuorum(stake),
        up
            + " of "
            + (committee.size() - 1)
            + " peer links up; stake "
            + stake
            + " of "
            + committee.totalStake()
            + ", quorum "
            + committee.quorumThreshold());
    report.check("caughtUp", signals.caughtUp(), signals.catchUpDetail());
    report.check("overload", !overloaded(), overloadDetail());
    return report;
  }

  private synchronized boolean overloaded() {
    long refusals = signals.overloadRefusals();
    long now = nanoClock.getAsLong();
    if (refusals != lastRefusals) {
      lastRefusals = refusals;
      lastOverloadNs = now;
      overloadSeen = true;
    }
    return overloadSeen && now - lastOverloadNs < OVERLOAD_HOLD_NS;
  }

  private synchronized String overloadDetail() {
    return lastRefusals
        + " submissions refused as OVERLOADED since start"
        + (overloaded() ? ", the latest within " + OVERLOAD_HOLD_NS / 1_000_000_000L + " s" : "");
  }
}
