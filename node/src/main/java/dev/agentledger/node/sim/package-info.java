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
 * <p>It lives in main sources so {@code agentledger sim} can run it. Whole validators are simulated
 * in {@link dev.agentledger.node.sim.validator}. {@link
 * dev.agentledger.node.sim.FakeSignatureScheme} is a test double for speed; the same runs pass with
 * Ed25519 ({@code --real-signatures}).
 */
package dev.agentledger.node.sim;
