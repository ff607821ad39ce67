package dev.agentledger.node.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.worker.JitWarmup;
import dev.agentledger.node.worker.ValidatorNode;
import java.util.List;

/**
 * One running validator: the stages built from a {@link ValidatorContext}, bound ({@link
 * ValidatorNode#open()}), and their agents run by an {@link AgentHost} under the context's {@link
 * ThreadingMode} and {@link AgentPlacement}. Stops the agents before the stages ({@link #close()}),
 * and reports where each agent runs in the status JSON's {@code runtime} member: {@code threading},
 * {@code agents}, {@code threads}, and {@code placement} (per agent: its thread, and the CPUs it is
 * pinned to, null when not pinned), and {@code jitWarmup}: what the start-up JIT warm-up did
 * ({@link JitWarmup}, run on the launching thread before any port is bound, until the JIT settles
 * or the context's cap passes). {@link #failure()} says when it must stop: an agent died of an
 * {@link Error}, or execution stopped for good.
 */
public final class Validator implements AutoCloseable {
  private final ValidatorContext context;
  private final ValidatorNode node;
  private final AgentHost host;
  private final JitWarmup.Result jitWarmup;

  private Validator(
      ValidatorContext context, ValidatorNode node, AgentHost host, JitWarmup.Result jitWarmup) {
    this.context = context;
    this.node = node;
    this.host = host;
    this.jitWarmup = jitWarmup;
  }

  /**
   * How long a verify agent on its own thread waits for more frames when its round has few
   * signatures: a few milliseconds of latency against a batch call's fixed cost.
   */
  static final long VERIFY_LINGER_NS = 4_000_000L;

  /**
   * Concludes {@code context}, warms the JIT up ({@link ValidatorContext#jitWarmupMaxMs}), builds
   * the validator, binds its ports and starts its agents.
   *
   * @throws IllegalArgumentException or {@link ConfigException} for a bad setting (nothing bound)
   */
  public static Validator launch(ValidatorContext context) throws ConfigException {
    context.conclude();
    JitWarmup.Result warm = JitWarmup.run(context.jitWarmupMaxMs());
    ValidatorNode node =
        new ValidatorNode(
            context.nodeConfig(),
            context.certificateSink(),
            context.inlineVerifier(),
            context.consensus(),
            context.execution(),
            context.verifyThreads(),
            context.accelerators(),
            context.environment());
    try {
      node.configureAdmission(context.admission());
      if (context.threading() != ThreadingMode.INVOKER) {
        // On their own threads the verify agents gather rounds of more signatures (the cost per
        // signature falls with the round's size); a caller-driven agent verifies what queued at
        // once.
        node.lingerVerifyRounds(VERIFY_LINGER_NS);
      }
      node.open();
      List<StageAgent> agents = node.agents().stream().map(context.agentDecorator()).toList();
      AgentHost host =
          AgentHost.start(
              "validator-" + node.self(),
              agents,
              context.threading(),
              context.placement(),
              context.affinity(),
              node::onAgentError,
              node::onAgentFailed);
      node.runtimeStatus(status(host, agents, warm));
      return new Validator(context, node, host, warm);
    } catch (Throwable e) { // includes a bind failure, which Netty rethrows undeclared
      try {
        node.close(); // the store and its lock, the event loops: a later launch may retry
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static ObjectNode status(AgentHost host, List<StageAgent> agents, JitWarmup.Result warm) {
    ObjectNode json =
        JsonNodeFactory.instance.objectNode().put("threading", host.mode().configName());
    ArrayNode agentNames = json.putArray("agents");
    agents.forEach(a -> agentNames.add(a.roleName()));
    ArrayNode threads = json.putArray("threads");
    host.threadNames().forEach(threads::add);
    ArrayNode placement = json.putArray("placement");
    for (AgentHost.Placement p : host.placements()) {
      ObjectNode item = placement.addObject().put("agent", p.agent()).put("thread", p.thread());
      if (p.cpus().isEmpty()) {
        item.putNull("cpus");
      } else {
        item.put("cpus", p.cpus().toString());
      }
    }
    ObjectNode jit =
        json.putObject("jitWarmup")
            .put("outcome", warm.outcome())
            .put("elapsedMs", warm.elapsedMs())
            .put("capMs", warm.capMs())
            .put("rounds", warm.rounds())
            .put("iterations", warm.iterations())
            .put("signaturesVerified", warm.signaturesVerified())
            .put("hashes", warm.hashes())
            .put("compileMs", warm.compileMs())
            .put("runsExecuted", warm.runsExecuted())
            .put("consensusCommits", warm.consensusCommits());
    ArrayNode warmed = jit.putArray("warmed");
    if (warm.iterations() > 0) {
      JitWarmup.WARMED.forEach(warmed::add);
    }
    return json;
  }

  /** The stages (transport, store, primary, execution, feed, status). */
  public ValidatorNode node() {
    return node;
  }

  /**
   * Why this validator must stop, or null while it may run: the first agent that died of an {@link
   * Error}, else execution stopped for good ({@code ExecutionService.failure()}, as agent {@code
   * execution-<v>}) unless the store failed first (a storage failure is reported as such).
   */
  public AgentHost.Failure failure() {
    AgentHost.Failure fatal = host.failure();
    if (fatal != null) {
      return fatal;
    }
    var execution = node.execution();
    Throwable stopped = execution == null ? null : execution.failure();
    if (stopped != null && node.store().writeFailure() == null) {
      return new AgentHost.Failure(execution.agent().roleName(), stopped);
    }
    return null;
  }

  /** What the start-up JIT warm-up did. */
  public JitWarmup.Result jitWarmup() {
    return jitWarmup;
  }

  public ThreadingMode threading() {
    return host.mode();
  }

  public ValidatorContext context() {
    return context;
  }

  /**
   * One duty cycle of every agent ({@link ThreadingMode#INVOKER} only).
   *
   * @return the work done (0: every agent idle)
   */
  public int invoke() {
    return host.invoke();
  }

  /** Stops the agents, then the stages (ports, stores). */
  @Override
  public void close() {
    try {
      host.close();
    } finally {
      node.close();
    }
  }
}
