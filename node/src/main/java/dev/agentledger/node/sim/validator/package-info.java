/**
 * The whole-validator simulator: {@link dev.agentledger.node.sim.validator.ValidatorSimulator} runs
 * a committee of real {@code runtime.Validator}s in invoker mode (worker, consensus primary and
 * committer, execution, commit feed) on one thread, each wired through {@code
 * ValidatorNode.Environment} to a simulated transport ({@link
 * dev.agentledger.node.sim.validator.SimTransport}), an in-memory store that outlives its crashes,
 * and the simulated clock; signing clients submit runs over the client protocol. One seeded random
 * generator and fixed 1 ms steps make a seed replay the same run.
 *
 * <p>Faults are the consensus simulator's kinds ({@link dev.agentledger.node.sim.Fault}) applied to
 * whole validators: network faults act on frames, a crash stops a validator and restarts it from
 * its store, and Byzantine behaviour rewrites a validator's outbound consensus frames with its own
 * key. At the end of a seed it checks no fork (commit-log hash chains), equal state roots per
 * executed commit, every accepted run executed exactly once or answered expired, and liveness after
 * the heal.
 *
 * <p>Signatures are real Ed25519; verdicts are shared among the simulated validators ({@link
 * dev.agentledger.node.sim.validator.VerdictCache}): verification is a pure function, so the answer
 * is the same, only cheaper. This package sits above {@code sim}, {@code runtime} and {@code
 * worker}; nothing but the CLI depends on it.
 */
package dev.agentledger.node.sim.validator;
