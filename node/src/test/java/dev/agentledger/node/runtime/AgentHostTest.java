package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.idle.StageAgent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

class AgentHostTest {
  /** An agent that records each duty cycle (its name and thread) and reports fixed work. */
  private static final class Recording implements Agent {
    final String name;
    final int work;
    final List<String> log;
    volatile boolean go;
    volatile Thread ranOn;
    final CountDownLatch went = new CountDownLatch(1);
    boolean closed;

    Recording(String name, int work, List<String> log) {
      this.name = name;
      this.work = work;
      this.log = log;
    }

    @Override
    public int doWork() {
      ranOn = Thread.currentThread();
      if (log != null) {
        log.add(name);
      }
      if (go) {
        go = false;
        went.countDown();
        return 1;
      }
      return work;
    }

    @Override
    public void onClose() {
      closed = true;
    }

    @Override
    public String roleName() {
      return name;
    }
  }

  private static StageAgent stage(Agent agent, StageAgent.Lane lane) {
    return new StageAgent(agent, ParkingIdleStrategy.parking(1_000, 1_000_000), lane);
  }

  @Test
  void invokerRunsEveryAgentOnceInOrderOnTheCallersThreadAndMakesNoThread() {
    List<String> log = new CopyOnWriteArrayList<>();
    Recording a = new Recording("a", 1, log);
    Recording b = new Recording("b", 0, log);
    Recording c = new Recording("c", 2, log);
    AgentHost host =
        AgentHost.start(
            "v",
            List.of(
                stage(a, StageAgent.Lane.VERIFY),
                stage(b, StageAgent.Lane.PIPELINE),
                stage(c, StageAgent.Lane.PIPELINE)),
            ThreadingMode.INVOKER,
            Throwable::printStackTrace);
    assertThat(host.threadNames()).isEmpty();
    assertThat(log).isEmpty();
    assertThat(host.invoke()).isEqualTo(3);
    assertThat(host.invoke()).isEqualTo(3);
    assertThat(log).containsExactly("a", "b", "c", "a", "b", "c");
    assertThat(a.ranOn).isSameAs(Thread.currentThread());
    assertThat(c.ranOn).isSameAs(Thread.currentThread());
    host.close();
    assertThat(a.closed && b.closed && c.closed).isTrue();
  }

  @Test
  void invokeIsRefusedWhenThreadsRunTheAgents() {
    Recording a = new Recording("a", 0, null);
    try (AgentHost host =
        AgentHost.start(
            "v",
            List.of(stage(a, StageAgent.Lane.PIPELINE)),
            ThreadingMode.DEDICATED,
            Throwable::printStackTrace)) {
      assertThat(host.threadNames()).containsExactly("a");
      assertThatThrownBy(host::invoke)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("invoker");
    }
  }

  @Test
  void sharedRunsEachLaneOnOneThreadAndAMembersWakeUnparksIt() throws Exception {
    Recording a = new Recording("a", 0, null);
    Recording b = new Recording("b", 0, null);
    Recording c = new Recording("c", 0, null);
    // Idle members park up to an hour: only a wake-up brings the shared thread back quickly.
    ParkingIdleStrategy bIdle =
        new ParkingIdleStrategy(0, 0, 1_000, TimeUnit.HOURS.toNanos(1), null);
    try (AgentHost host =
        AgentHost.start(
            "v",
            List.of(
                new StageAgent(
                    a,
                    new ParkingIdleStrategy(0, 0, 1_000, TimeUnit.HOURS.toNanos(1), null),
                    StageAgent.Lane.PIPELINE),
                new StageAgent(b, bIdle, StageAgent.Lane.PIPELINE),
                new StageAgent(
                    c,
                    new ParkingIdleStrategy(0, 0, 1_000, TimeUnit.HOURS.toNanos(1), null),
                    StageAgent.Lane.VERIFY)),
            ThreadingMode.SHARED,
            Throwable::printStackTrace)) {
      assertThat(host.threadNames()).containsExactlyInAnyOrder("v-pipeline", "v-verify");
      Thread.sleep(200); // let the shared threads back off into long parks
      b.go = true;
      bIdle.wake();
      assertThat(b.went.await(30, TimeUnit.SECONDS)).as("b ran after its wake-up").isTrue();
      assertThat(a.ranOn).isSameAs(b.ranOn);
      assertThat(b.ranOn.getName()).isEqualTo("v-pipeline");
      assertThat(c.ranOn.getName()).isEqualTo("v-verify");
    }
  }

  /** An agent that records the CPUs its thread may run on, once. */
  private static final class AffinityProbe implements Agent {
    final String name;
    final ThreadAffinity affinity;
    final CountDownLatch seen = new CountDownLatch(1);
    volatile CpuList cpus;
    volatile boolean ran;

    AffinityProbe(String name, ThreadAffinity affinity) {
      this.name = name;
      this.affinity = affinity;
    }

    @Override
    public int doWork() {
      ran = true;
      if (cpus == null) {
        cpus = affinity.current();
        seen.countDown();
      }
      return 0;
    }

    @Override
    public String roleName() {
      return name;
    }
  }

  private static ThreadAffinity linuxAffinity() {
    Optional<ThreadAffinity> linux = ThreadAffinity.linux();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        linux.isPresent(), "skipped: sched_setaffinity is Linux's");
    return linux.get();
  }

  @Test
  void dedicatedPinsTheThreadsOfTheNamedRolesAndReportsWhereEachAgentRuns() throws Exception {
    ThreadAffinity affinity = linuxAffinity();
    CpuList allowed = affinity.current();
    int cpu = allowed.toArray()[allowed.size() - 1];
    AffinityProbe primary = new AffinityProbe("primary-0", affinity);
    AffinityProbe worker = new AffinityProbe("worker-0", affinity);
    try (AgentHost host =
        AgentHost.start(
            "v",
            List.of(
                stage(primary, StageAgent.Lane.PIPELINE), stage(worker, StageAgent.Lane.PIPELINE)),
            ThreadingMode.DEDICATED,
            new AgentPlacement(Map.of("primary", CpuList.of(cpu))),
            Optional.of(affinity),
            Throwable::printStackTrace)) {
      assertThat(host.placements())
          .containsExactly(
              new AgentHost.Placement("primary-0", "primary-0", CpuList.of(cpu)),
              new AgentHost.Placement("worker-0", "worker-0", CpuList.empty()));
      assertThat(primary.seen.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.seen.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(primary.cpus).isEqualTo(CpuList.of(cpu));
      assertThat(worker.cpus).as("not pinned: the process's CPUs").isEqualTo(allowed);
    }
  }

  @Test
  void aCpuTheKernelRefusesStopsTheStartNamingTheAgentAndNothingRuns() {
    ThreadAffinity affinity = linuxAffinity();
    AffinityProbe primary = new AffinityProbe("primary-0", affinity);
    assertThatThrownBy(
            () ->
                AgentHost.start(
                    "v",
                    List.of(stage(primary, StageAgent.Lane.PIPELINE)),
                    ThreadingMode.DEDICATED,
                    new AgentPlacement(Map.of("primary", CpuList.of(CpuList.MAX_CPU))),
                    Optional.of(affinity),
                    Throwable::printStackTrace))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("primary-0: cannot pin a thread to CPUs 8191");
    assertThat(primary.ran).isFalse();
  }

  @Test
  void aPlacementIsRefusedUnderSharedAndInvoker() {
    AgentPlacement placement = new AgentPlacement(Map.of("worker", CpuList.of(0)));
    for (ThreadingMode mode : List.of(ThreadingMode.SHARED, ThreadingMode.INVOKER)) {
      assertThatThrownBy(
              () ->
                  AgentHost.start(
                      "v",
                      List.of(stage(new Recording("worker-0", 0, null), StageAgent.Lane.PIPELINE)),
                      mode,
                      placement,
                      ThreadAffinity.linux(),
                      Throwable::printStackTrace))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("only under threading dedicated");
    }
  }

  @Test
  void threadingModesParseTheirConfigNamesAndRefuseOthers() {
    for (ThreadingMode m : ThreadingMode.values()) {
      assertThat(ThreadingMode.parse(m.configName())).isSameAs(m);
    }
    assertThat(ThreadingMode.parse(" Shared ")).isSameAs(ThreadingMode.SHARED);
    assertThatThrownBy(() -> ThreadingMode.parse("pooled"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threading mode 'pooled' is not one of dedicated, shared, invoker");
  }

  /** An agent whose first duty cycle throws {@code error}. */
  private record Dying(String roleName, Error error) implements Agent {
    @Override
    public int doWork() {
      throw error;
    }
  }

  @Test
  void anErrorInAnyModeIsRecordedOnceWithTheAgentsNameAndToldToTheListener() throws Exception {
    for (ThreadingMode mode : ThreadingMode.values()) {
      OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
      List<String> told = new CopyOnWriteArrayList<>();
      CountDownLatch failed = new CountDownLatch(1);
      Recording worker = new Recording("worker-0", 0, null);
      try (AgentHost host =
          AgentHost.start(
              "v",
              List.of(
                  stage(worker, StageAgent.Lane.PIPELINE),
                  stage(new Dying("execution-0", oom), StageAgent.Lane.PIPELINE)),
              mode,
              AgentPlacement.NONE,
              Optional.empty(),
              t -> {},
              (agent, error) -> {
                told.add(agent + " " + error.getMessage());
                failed.countDown();
              })) {
        if (mode == ThreadingMode.INVOKER) {
          assertThat(host.failure()).as("no duty cycle yet").isNull();
          assertThatThrownBy(host::invoke).as("the error reaches the caller").isSameAs(oom);
        }
        assertThat(failed.await(30, TimeUnit.SECONDS)).as(mode.configName()).isTrue();
        assertThat(host.failure()).isEqualTo(new AgentHost.Failure("execution-0", oom));
        assertThat(told).containsExactly("execution-0 Java heap space");
      }
    }
  }

  @Test
  void anExceptionIsNotFatal() {
    IllegalStateException bug = new IllegalStateException("bug");
    List<Throwable> handled = new CopyOnWriteArrayList<>();
    Agent throwing =
        new Agent() {
          @Override
          public int doWork() {
            throw bug;
          }

          @Override
          public String roleName() {
            return "feed-0";
          }
        };
    try (AgentHost host =
        AgentHost.start(
            "v",
            List.of(stage(throwing, StageAgent.Lane.PIPELINE)),
            ThreadingMode.INVOKER,
            AgentPlacement.NONE,
            Optional.empty(),
            handled::add,
            (agent, error) -> handled.add(new AssertionError("told " + agent)))) {
      host.invoke();
      assertThat(handled).containsExactly(bug);
      assertThat(host.failure()).isNull();
    }
  }
}
