/**
 * The validator runtime: how one validator is composed and threaded. {@link
 * dev.agentledger.node.runtime.ValidatorContext} holds every setting of a validator process with
 * its default ({@code node run}'s flag defaults are its constants), validates and derives the
 * stages' configurations in {@code conclude()} (Aeron's {@code ConsensusModule.Context}); {@link
 * dev.agentledger.node.runtime.Validator#launch} builds the stages from it ({@code
 * worker.ValidatorNode}), binds their ports and hands every stage's agent to an {@link
 * dev.agentledger.node.runtime.AgentHost}, the one place in the node where agent threads are made.
 * Before it binds anything it warms the JIT up on the launching thread ({@code worker.JitWarmup})
 * until {@link dev.agentledger.node.runtime.core.JitSettling} says the JIT has settled or the
 * context's cap has passed.
 *
 * <p>A {@link dev.agentledger.node.runtime.ThreadingMode} places the agents (verify, worker,
 * primary, execution, feed; each an Agrona {@code Agent} with the idle strategy its producers
 * wake): {@code DEDICATED} one {@code AgentRunner} per agent; {@code SHARED} one runner per lane
 * over a {@code CompositeAgent} and a shared parking idle strategy (the verify lane apart, because
 * a verify agent may wait for its consumer's ring); {@code INVOKER} no thread, the caller runs
 * every duty cycle ({@code Validator#invoke()}), as tests and a simulator do. Netty's event loops,
 * the consensus signature pool and RocksDB's native threads are not agents and run in every mode.
 *
 * <p>Under {@code DEDICATED} an {@link dev.agentledger.node.runtime.AgentPlacement} (the node
 * configuration's {@code agent_cores}, CPUs by agent role) pins agent threads: each pins itself
 * with sched_setaffinity(2) through {@link dev.agentledger.node.runtime.ThreadAffinity} before its
 * first duty cycle.
 *
 * <p>Fail-stop: an {@link java.lang.Error} from any agent (OutOfMemoryError, StackOverflowError) is
 * recorded by the {@link dev.agentledger.node.runtime.AgentHost} with the agent's role name and
 * ends that agent's thread; {@link dev.agentledger.node.runtime.Validator#failure()} reports it (or
 * execution stopped for good), and {@code node run} then closes the validator and exits with 70.
 * Other exceptions are logged and the agent keeps running.
 */
package dev.agentledger.node.runtime;
