package dev.agentledger.node.runtime;

import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.idle.StageAgent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * <p>An exception thrown by a duty cycle goes to the error handler and the agent keeps running (as
 * an {@link AgentRunner} does); in a shared thread the other agents of that cycle wait for the
 * next.
 */
public final class AgentHost implements AutoCloseable {
  private final ThreadingMode mode;
  private final List<AgentRunner> runners = new ArrayList<>();
  private final List<String> threadNames = new ArrayList<>();
  private final AgentInvoker invoker;

  private AgentHost(
      String name, List<StageAgent> agents, ThreadingMode mode, ErrorHandler errorHandler) {
    if (agents.isEmpty()) {
      throw new IllegalArgumentException("no agents to run");
    }
    this.mode = mode;
    switch (mode) {
      case DEDICATED -> {
        this.invoker = null;
        for (StageAgent a : agents) {
          runners.add(new AgentRunner(a.idle(), errorHandler, null, a.agent()));
          threadNames.add(a.roleName());
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
            members.add(a.agent());
            idles.add(a.idle());
          }
          runners.add(
              new AgentRunner(
                  ParkingIdleStrategy.shared(idles),
                  errorHandler,
                  null,
                  new Named(thread, new CompositeAgent(members))));
          threadNames.add(thread);
        }
      }
      case INVOKER -> {
        List<Agent> all = new ArrayList<>();
        for (StageAgent a : agents) {
          all.add(a.agent());
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
    AgentHost host = new AgentHost(name, List.copyOf(agents), mode, errorHandler);
    if (host.invoker != null) {
      host.invoker.start();
    }
    for (AgentRunner r : host.runners) {
      AgentRunner.startOnThread(r);
    }
    return host;
  }

  public ThreadingMode mode() {
    return mode;
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
