/**
 * The deterministic consensus simulator (DESIGN section 6): many primaries on one thread, one
 * seeded random generator, simulated time in milliseconds, a network with delay, reordering, loss,
 * partitions and healing, crash and restart from each validator's store, and Byzantine validators.
 * Invariants are checked as the run goes: safety (honest committed sequences are prefixes of one
 * another, one certificate per round and author), durability (a restarted validator's committed
 * prefix never changes), every certificate and honest batch ordered at most once, and at the end
 * liveness after the heal and no honest batch lost (each one ordered, or still held by its author's
 * primary to be proposed). In the manner of Hiero's simulated network and Narwhal's randomized
 * consensus tests; the fault model follows the Bullshark paper's partially synchronous setting (f
 * Byzantine of n = 3f+1 by stake, GST = heal).
 *
 * <p>{@link dev.agentledger.node.sim.ValidatorSimulator} runs whole validators the same way: each a
 * real {@code runtime.Validator} in invoker mode (worker, consensus primary and committer,
 * execution, commit feed), wired through {@code ValidatorNode.Environment} to a simulated transport
 * ({@link dev.agentledger.node.sim.SimTransport}), an in-memory store per validator that outlives
 * its crashes, and the simulated clock; signing clients submit runs over the client protocol.
 * Network faults act on frames, a crash stops a whole validator and restarts it from its store, and
 * Byzantine behaviour rewrites a validator's outbound consensus frames with its own key. At the end
 * it checks no fork (commit-log hash chains), equal state roots per executed commit, every accepted
 * run executed exactly once or answered expired, and liveness after the heal. Signature verdicts
 * are shared among the simulated validators ({@link dev.agentledger.node.sim.VerdictCache}):
 * verification is a pure function, so the answer is the same, only cheaper; signing is real
 * Ed25519.
 *
 * <p>It lives in main sources so {@code agentledger sim} can run it (whole validators with {@code
 * --whole-validators}). {@link dev.agentledger.node.sim.FakeSignatureScheme} is a test double for
 * speed; the same runs pass with Ed25519 ({@code --real-signatures}).
 */
package dev.agentledger.node.sim;
