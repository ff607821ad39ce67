package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.health.HealthReport;
import dev.agentledger.node.net.TestKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The liveness and readiness rules over given signals and a stake-weighted committee. */
class ValidatorHealthTest {
  /** Settable signals: everything fine until a test says otherwise. */
  private static final class Settable implements ValidatorHealth.Signals {
    boolean running = true;
    String storage;
    String execution;
    boolean[] links = new boolean[4];
    boolean caughtUp = true;
    long refusals;

    @Override
    public boolean agentsRunning() {
      return running;
    }

    @Override
    public String storageFailure() {
      return storage;
    }

    @Override
    public String executionFailure() {
      return execution;
    }

    @Override
    public boolean linkUp(int index) {
      return links[index];
    }

    @Override
    public boolean caughtUp() {
      return caughtUp;
    }

    @Override
    public String catchUpDetail() {
      return caughtUp ? "executed 5, committed 5" : "executed 2, committed 5";
    }

    @Override
    public long overloadRefusals() {
      return refusals;
    }
  }

  /** Stakes 4, 3, 2, 1: a quorum is more than two thirds of 10, i.e. 7 or more. */
  private static Committee weighted() {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      keys.add(TestKeys.key(i).publicKey());
    }
    return Committee.ofStakes(0, keys, new long[] {4, 3, 2, 1});
  }

  private final Settable signals = new Settable();
  private long now = 1_000;
  private final ValidatorHealth health = new ValidatorHealth(weighted(), 0, signals, () -> now);

  @Test
  void liveWhileAgentsRunAndStorageAndExecutionWork() {
    assertThat(health.liveness().ok()).isTrue();
    assertThat(health.liveness().toJson())
        .isEqualTo(
            "{\"status\":\"ok\",\"checks\":{\"agents\":{\"ok\":true,\"detail\":\"running\"},"
                + "\"storage\":{\"ok\":true,\"detail\":\"writable\"},"
                + "\"execution\":{\"ok\":true,\"detail\":\"running\"}}}");
    signals.storage = "a write failed: No space left on device";
    HealthReport failed = health.liveness();
    assertThat(failed.ok()).isFalse();
    assertThat(failed.httpStatus()).isEqualTo(503);
    assertThat(failed.checks().get("storage").detail()).contains("No space left");
    signals.storage = null;
    signals.running = false;
    assertThat(health.liveness().checks().get("agents").ok()).isFalse();
    signals.running = true;
    signals.execution = "execution stopped: boom";
    assertThat(health.liveness().ok()).isFalse();
  }

  @Test
  void readyNeedsAQuorumOfStakeOverTheLinksThatAreUp() {
    // Own stake 4 alone: no quorum.
    HealthReport alone = health.readiness();
    assertThat(alone.ok()).isFalse();
    assertThat(alone.checks().get("links").detail())
        .isEqualTo("0 of 3 peer links up; stake 4 of 10, quorum 7");
    // 4 + 1 = 5: still no quorum, although a peer is up.
    signals.links[3] = true;
    assertThat(health.readiness().checks().get("links").ok()).isFalse();
    // 4 + 3 = 7: a quorum, with one link of three.
    signals.links[3] = false;
    signals.links[1] = true;
    HealthReport ready = health.readiness();
    assertThat(ready.ok()).as(ready.toJson()).isTrue();
    assertThat(ready.httpStatus()).isEqualTo(200);
    assertThat(ready.checks().keySet())
        .containsExactly("agents", "storage", "execution", "links", "caughtUp", "overload");
  }

  @Test
  void notReadyWhileBehindOrWhenNotLive() {
    signals.links = new boolean[] {false, true, true, true};
    assertThat(health.readiness().ok()).isTrue();
    signals.caughtUp = false;
    assertThat(health.readiness().checks().get("caughtUp").detail())
        .isEqualTo("executed 2, committed 5");
    assertThat(health.readiness().ok()).isFalse();
    signals.caughtUp = true;
    signals.storage = "data directory /x is not writable";
    assertThat(health.readiness().ok()).isFalse();
  }

  @Test
  void anOverloadRefusalKeepsTheNodeNotReadyForTheHoldTime() {
    signals.links = new boolean[] {false, true, true, true};
    assertThat(health.readiness().checks().get("overload").ok()).isTrue();
    signals.refusals = 3;
    now += 1;
    HealthReport overloaded = health.readiness();
    assertThat(overloaded.ok()).isFalse();
    assertThat(overloaded.checks().get("overload").detail())
        .isEqualTo("3 submissions refused as OVERLOADED since start, the latest within 10 s");
    now += ValidatorHealth.OVERLOAD_HOLD_NS - 2;
    assertThat(health.readiness().checks().get("overload").ok()).isFalse();
    now += 2;
    HealthReport recovered = health.readiness();
    assertThat(recovered.ok()).isTrue();
    assertThat(recovered.checks().get("overload").detail())
        .isEqualTo("3 submissions refused as OVERLOADED since start");
    // A new refusal restarts the hold.
    signals.refusals = 4;
    assertThat(health.readiness().ok()).isFalse();
  }
}
