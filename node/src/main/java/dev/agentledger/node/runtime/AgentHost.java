package dev.agentledger.node.runtime;

import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.idle.StageAgent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

/**
 * Runs a validator's agents under a {@link ThreadingMode}: the only place in the node where agent
 * threads are made. {@link ThreadingMode#DEDICATED}: an Agrona {@link AgentRunner} per agent with
 * the agent's own idle strategy, the thread named after the agent's role. {@link
 * ThreadingMode#SHARED}: one runner per {@link StageAgent.Lane} over a {@link CompositeAgent} of
 * its agents (in the order given) and {@link ParkingIdleStrategy#shared} of their idle strategies,
 * the thread named {@code <name>-<lane>}. {@link ThreadingMode#INVOKER}: one {@link AgentInvoker}
 * over all agents, no thread; the caller calls {@link #invoke()}.
 *
 * <p>Under {@code DEDICATED} an {@link AgentPlacement} may pin agents' threads to CPUs: each pinned
 * agent's thread pins itself ({@link ThreadAffinity}) before its first duty cycle, and {@link
 * #start} returns only once every pinned thread is placed, or fails naming the agent and the CPUs.
 * {@link #placements()} says where each agent runs.
 *
 * <p>An exception thrown by a duty cycle goes to the error handler and the agent keeps running (as
 * an {@link AgentRunner} does); in a shared thread the other agents of that cycle wait for the
 * next. An {@link Error} (OutOfMemoryError, StackOverflowError, ...) thrown by an agent's start or
 * duty cycle is fatal: the host records the first one with the agent's role name ({@link
 * #failure()}), tells the failure listener, and the error then ends the agent's thread (Agrona
 * rethrows it after the error handler; under {@code INVOKER} it reaches the caller of {@link
 * #invoke()}). Recording it allocates nothing (the listener may), so {@link #failure()} is set even
 * while the heap is exhausted. Whoever owns the host stops the validator ({@code node run} exits
 * with its agent-failure code).
 */
public final class AgentHost implements AutoCloseable {
  private final ThreadingMode mode;
  private final List<AgentRunner> runners = new ArrayList<>();
  private final List<String> threadNames = new ArrayList<>();
  private final AgentInvoker invoker;
  private final List<Placement> placements = new ArrayList<>();
  private final List<Pinned> pinned = new ArrayList<>();
  private final AtomicReference<Throwable> fatalError = new AtomicReference<>();
  private volatile String fatalAgent;
  private final BiConsumer<String, Throwable> failureListener;

  /**
   * Where one agent runs.
   *
   * @param agent the agent's role name
   * @param thread the name of the thread that runs it (the invoker's name under {@code INVOKER})
   * @param cpus the CPUs its thread is pinned to (empty: not pinned)
   */
  public record Placement(String agent, String thread, CpuList cpus) {}

  /**
   * The fatal error that ended an agent.
   *
   * @param agent the agent's role name (for example {@code execution-1})
   * @param error what it threw
   */
  public record Failure(String agent, Throwable error) {}

  private AgentHost(
      String name,
      List<StageAgent> agents,
      ThreadingMode mode,
      AgentPlacement placement,
      Optional<ThreadAffinity> affinity,
      ErrorHandler errorHandler,
      BiConsumer<String, Throwable> failureListener) {
    this.failureListener = failureListener;
    if (agents.isEmpty()) {
      throw new IllegalArgumentException("no agents to run");
    }
    if (!placement.isEmpty() && mode != ThreadingMode.DEDICATED) {
      throw new IllegalArgumentException(
          "agents are pinned to CPUs only under threading dedicated, not " + mode.configName());
    }
    if (!placement.isEmpty() && affinity.isEmpty()) {
      throw new IllegalArgumentException(
          "pinning agents to CPUs needs Linux sched_setaffinity, not available here");
    }
    this.mode = mode;
    switch (mode) {
      case DEDICATED -> {
        this.invoker = null;
        for (StageAgent a : agents) {
          CpuList cpus = placement.coresOf(a.roleName());
          Agent agent = new Guarded(a.agent());
          if (!cpus.isEmpty()) {
            Pinned p = new Pinned(agent, cpus, affinity.orElseThrow());
            pinned.add(p);
            agent = p;
          }
          runners.add(new AgentRunner(a.idle(), errorHandler, null, agent));
          threadNames.add(a.roleName());
          placements.add(new Placement(a.roleName(), a.roleName(), cpus));
        }
      }
      case SHARED -> {
        this.invoker = null;
        Map<StageAgent.Lane, List<StageAgent>> lanes = new EnumMap<>(StageAgent.Lane.class);
        for (StageAgent a : agents) {
          lanes.computeIfAbsent(a.lane(), k -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<StageAgent.Lane, List<StageAgent>> lane : lanes.entrySet()) {
          String thread = name + "-" + lane.getKey().name().toLowerCase(java.util.Locale.ROOT);
          List<Agent> members = new ArrayList<>();
          List<ParkingIdleStrategy> idles = new ArrayList<>();
          for (StageAgent a : lane.getValue()) {
            members.add(new Guarded(a.agent()));
            idles.add(a.idle());
          }
          runners.add(
              new AgentRunner(
                  ParkingIdleStrategy.shared(idles),
                  errorHandler,
                  null,
                  new Named(thread, new CompositeAgent(members))));
          threadNames.add(thread);
          for (StageAgent a : lane.getValue()) {
            placements.add(new Placement(a.roleName(), thread, CpuList.empty()));
          }
        }
      }
      case INVOKER -> {
        List<Agent> all = new ArrayList<>();
        for (StageAgent a : agents) {
          all.add(new Guarded(a.agent()));
          placements.add(new Placement(a.roleName(), name, CpuList.empty()));
        }
        this.invoker =
            new AgentInvoker(errorHandler, null, new Named(name, new CompositeAgent(all)));
      }
      default -> throw new IllegalStateException("unknown mode " + mode);
    }
  }

  /**
   * Starts {@code agents} under {@code mode}: threads for {@code DEDICATED} and {@code SHARED};
   * under {@code INVOKER} only each agent's {@code onStart}.
   *
   * @param name the validator's name in shared thread names (for example {@code validator-0})
   */
  public static AgentHost start(
      String name, List<StageAgent> agents, ThreadingMode mode, ErrorHandler errorHandler) {
    return start(name, agents, mode, AgentPlacement.NONE, Optional.empty(), errorHandler);
  }

  /**
   * Starts {@code agents} under {@code mode} with the threads of the agents {@code placement} names
   * pinned to their CPUs through {@code affinity} ({@code DEDICATED} only); returns once every
   * pinned thread is placed.
   *
   * @throws IllegalArgumentException when a placement is given under another mode or without {@code
   *     affinity}, or a thread cannot be pinned (the kernel refused the CPUs; the message names the
   *     agent and the CPUs); no thread is left running then
   */
  public static AgentHost start(
      String name,
      List<StageAgent> agents,
      ThreadingMode mode,
      AgentPlacement placement,
      Optional<ThreadAffinity> affinity,
      ErrorHandler errorHandler) {
    return start(name, agents, mode, placement, affinity, errorHandler, (agent, error) -> {});
  }

  /**
   * As {@link #start(String, List, ThreadingMode, AgentPlacement, Optional, ErrorHandler)}, and
   * tells {@code failureListener} (on the failing agent's thread, once) the role name and the
   * {@link Error} of the first agent that dies of one.
   */
  public static AgentHost start(
      String name,
      List<StageAgent> agents,
      ThreadingMode mode,
      AgentPlacement placement,
      Optional<ThreadAffinity> affinity,
      ErrorHandler errorHandler,
      BiConsumer<String, Throwable> failureListener) {
    AgentHost host =
        new AgentHost(
            name,
            List.copyOf(agents),
            mode,
            placement,
            affinity,
            errorHandler,
            java.util.Objects.requireNonNull(failureListener, "failureListener"));
    if (host.invoker != null) {
      host.invoker.start();
    }
    for (AgentRunner r : host.runners) {
      AgentRunner.startOnThread(r);
    }
    for (Pinned p : host.pinned) {
      String failure = p.awaitPlaced();
      if (failure != null) {
        host.close();
        throw new IllegalArgumentException(failure);
      }
    }
    return host;
  }

  /** Where each agent runs, in the order the agents were given. */
  public List<Placement> placements() {
    return List.copyOf(placements);
  }

  public ThreadingMode mode() {
    return mode;
  }

  /** The first agent that died of an {@link Error}, or null while none has. */
  public Failure failure() {
    String agent = fatalAgent; // written after the error
    return agent == null ? null : new Failure(agent, fatalError.get());
  }

  /** Records the first fatal error (no allocation) and tells the listener. */
  private void fatal(String agent, Error error) {
    if (fatalError.compareAndSet(null, error)) {
      fatalAgent = agent;
      try {
        failureListener.accept(agent, error);
      } catch (Throwable listenerFailed) { // the error that ends the agent is rethrown regardless
        error.addSuppressed(listenerFailed);
      }
    }
  }

  /** An agent whose {@link Error}s are recorded as fatal before they end its thread. */
  private final class Guarded implements Agent {
    private final Agent agent;
    private final String role;

    Guarded(Agent agent) {
      this.agent = agent;
      this.role = agent.roleName();
    }

    @Override
    public void onStart() {
      try {
        agent.onStart();
      } catch (Error e) {
        fatal(role, e);
        throw e;
      }
    }

    @Override
    public int doWork() throws Exception {
      try {
        return agent.doWork();
      } catch (Error e) {
        fatal(role, e);
        throw e;
      }
    }

    @Override
    public void onClose() {
      agent.onClose();
    }

    @Override
    public String roleName() {
      return role;
    }
  }

  /** The names of the threads this host made (none under {@code INVOKER}). */
  public List<String> threadNames() {
    return List.copyOf(threadNames);
  }

  /**
   * One duty cycle of every agent, in the order they were given ({@code INVOKER} only).
   *
   * @return the work they did (0: all idle)
   * @throws IllegalStateException under another mode
   */
  public int invoke() {
    if (invoker == null) {
      throw new IllegalStateException("invoke() needs the invoker threading mode, not " + mode);
    }
    return invoker.invoke();
  }

  /** Stops the threads (each agent's {@code onClose} runs on its thread) or the invoker. */
  @Override
  public void close() {
    for (AgentRunner r : runners) {
      r.close();
    }
    if (invoker != null) {
      invoker.close();
    }
  }

  /**
   * An agent whose thread pins itself to {@code cpus} before its first duty cycle. A thread that
   * cannot be pinned does no work; {@link #start} stops the host then.
   */
  private static final class Pinned implements Agent {
    private static final long PLACE_TIMEOUT_S = 30;
    private final Agent agent;
    private final CpuList cpus;
    private final ThreadAffinity affinity;
    private final CountDownLatch placed = new CountDownLatch(1);
    private volatile String failure;

    Pinned(Agent agent, CpuList cpus, ThreadAffinity affinity) {
      this.agent = agent;
      this.cpus = cpus;
      this.affinity = affinity;
    }

    @Override
    public void onStart() {
      try {
        affinity.pinCurrentThread(cpus);
      } catch (RuntimeException e) {
        failure = agent.roleName() + ": " + e.getMessage();
      } finally {
        placed.countDown();
      }
      if (failure == null) {
        agent.onStart();
      }
    }

    /** Null once the thread is pinned, else why it is not. */
    String awaitPlaced() {
      try {
        if (!placed.await(PLACE_TIMEOUT_S, TimeUnit.SECONDS)) {
          return agent.roleName() + ": its thread did not start within " + PLACE_TIMEOUT_S + " s";
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return agent.roleName() + ": interrupted while its thread was being pinned";
      }
      return failure;
    }

    @Override
    public int doWork() throws Exception {
      return failure == null ? agent.doWork() : 0;
    }

    @Override
    public void onClose() {
      if (failure == null) {
        agent.onClose();
      }
    }

    @Override
    public String roleName() {
      return agent.roleName();
    }
  }

  /** A composite under the name its thread (or invoker) carries. */
  private record Named(String roleName, Agent agent) implements Agent {
    @Override
    public void onStart() {
      agent.onStart();
    }

    @Override
    public int doWork() throws Exception {
      return agent.doWork();
    }

    @Override
    public void onClose() {
      agent.onClose();
    }
  }
}
